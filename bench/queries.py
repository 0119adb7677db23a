"""A realistic query mix, built deterministically from the corpus itself.

Four kinds, as people search news: words of real titles (one or two), the Hamshahri
evaluation queries, two-word phrases from titles, and words with a filter (a source, a
month or a tag of the article the words came from). Each query is given as the URL
parameters of ``/api/search`` (Kavosh, web) and as a plain form for the peer engines.

>>> recs = [{"title": "بازگشایی مدارس در تهران", "source": "همشهری", "tags": ["آموزش"],
...          "published": "2020-03-01T10:00:00+03:30"}]
>>> mix = query_mix(recs, [], count=8, seed=3)
>>> sorted({item.kind for item in mix})
['filtered', 'phrase', 'words']
>>> mix == query_mix(recs, [], count=8, seed=3)
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.dates import jalali_month, parse_date
from indexer.metadata import facet_key
from indexer.normalize import normalize

_WORD = re.compile(r"\w{3,}")  # a word worth searching: letters, three or more


@dataclass(frozen=True)
class Query:
    """One query of the mix."""

    kind: str  # words | hamshahri | phrase | filtered
    params: dict[str, list[str]]  # /api/search parameters
    words: tuple[str, ...]  # normalized words, for the peers
    phrase: bool = False
    filters: tuple[tuple[str, str], ...] = field(default=())  # (source|month|tag, facet key)


def read_queries(path: Path) -> list[str]:
    """The query texts of a ``qid<TAB>query`` file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1)[1].strip() for line in lines if "\t" in line]


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(normalize(text)) if not w.isdigit()]


def query_mix(records: Sequence[dict[str, Any]], hamshahri: Sequence[str], count: int, seed: int) -> list[Query]:
    """``count`` queries plus every Hamshahri query, in a seeded order."""
    rng = random.Random(seed)
    usable = [r for r in records if len(_words(r["title"])) >= 2]
    mix: list[Query] = []
    for text in hamshahri:
        words = tuple(_words(text))
        if words:
            mix.append(Query("hamshahri", {"q": [text]}, words))
    kinds = ("words", "words", "phrase", "filtered")
    for number in range(count if usable else 0):
        rec = usable[rng.randrange(len(usable))]
        title_words = _words(rec["title"])
        start = rng.randrange(len(title_words) - 1)
        kind = kinds[number % len(kinds)]
        if kind == "phrase":
            pair = tuple(title_words[start : start + 2])
            mix.append(Query("phrase", {"q": [f'"{" ".join(pair)}"']}, pair, phrase=True))
            continue
        words = tuple(title_words[start : start + 1 + rng.randrange(2)])
        if kind == "words":
            mix.append(Query("words", {"q": [" ".join(words)]}, words))
            continue
        options: list[tuple[str, str, str]] = []  # (parameter, display value, facet key)
        if rec["source"]:
            options.append(("source", rec["source"], facet_key(rec["source"])))
        if rec["published"]:
            month = jalali_month(parse_date(rec["published"]))
            options.append(("month", month, month))
        options += [("tag", tag, facet_key(tag)) for tag in rec["tags"][:1]]
        if not options:
            mix.append(Query("words", {"q": [" ".join(words)]}, words))
            continue
        name, value, key = options[rng.randrange(len(options))]
        mix.append(Query("filtered", {"q": [" ".join(words)], name: [value]}, words, filters=((name, key),)))
    rng.shuffle(mix)
    return mix


def to_json(mix: Sequence[Query]) -> list[dict[str, Any]]:
    return [
        {"kind": m.kind, "params": m.params, "words": list(m.words), "phrase": m.phrase, "filters": list(m.filters)}
        for m in mix
    ]


def from_json(items: Sequence[dict[str, Any]]) -> list[Query]:
    return [
        Query(i["kind"], i["params"], tuple(i["words"]), i["phrase"], tuple(tuple(f) for f in i["filters"]))
        for i in items
    ]
