"""The benchmark corpus: real articles read as the indexer reads them, and more made from them.

``load_articles`` reads files with ``indexer.readers`` (the same Articles a reindex sees).
``build_records`` picks ``docs`` of them, or, when more are asked for than exist, adds new
articles made deterministically from real sentences (new ids, dates shifted within the
corpus's range): the same seed and input always give the same corpus, so runs compare.

>>> from datetime import datetime, UTC
>>> from indexer.article import Article
>>> real = [Article(id=f"a{i}", title=f"عنوان {i}", body="جمله یک. جمله دو! جمله سه؟", tags=["ورزش"],
...                 published=datetime(2020, 1, i + 1, tzinfo=UTC)) for i in range(3)]
>>> records = build_records(real, 5, seed=1)
>>> [r["id"] for r in records]
['a0', 'a1', 'a2', 'bench-000000', 'bench-000001']
>>> records == build_records(real, 5, seed=1)
True
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from indexer.article import Article
from indexer.normalize import normalize
from indexer.readers import ReadError, find_files, read_file

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: The shared corpora (about 12k articles), read by the project's own readers.
SHARED_CORPORA = ("corpus/ir-news/Dataset", "corpus/farsnews", "eval/hamshahri/docs")
SAMPLE_CORPUS = ROOT / "corpus"

# A sentence ends at . ! ? ؟ or a line break; the mark stays with its sentence.
_SENTENCE = re.compile(r"[^.!?؟\n]+[.!?؟]*")
_PARAGRAPH = 4  # sentences per paragraph in made-up articles


@dataclass
class Loaded:
    """What reading the corpus gave: articles, and what was skipped (with the reason)."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def default_paths() -> list[Path]:
    """The shared corpora that exist on this machine."""
    return [SHARED / rel for rel in SHARED_CORPORA if (SHARED / rel).exists()]


def load_articles(paths: Iterable[str | Path]) -> Loaded:
    """Every readable article under ``paths``, first copy of each id kept, in file order."""
    loaded = Loaded()
    seen: set[str] = set()
    for path in find_files(paths):
        try:
            for item in read_file(path):
                if isinstance(item, ReadError):
                    loaded.skipped.append(str(item))
                elif item.id not in seen:
                    seen.add(item.id)
                    loaded.articles.append(item)
        except ReadError as err:
            loaded.skipped.append(str(err))
    return loaded


def record(article: Article) -> dict[str, Any]:
    """An article as one line of the project's JSON Lines format."""
    data = article.to_json()
    return {key: data[key] for key in ("id", "url", "title", "lead", "body", "source", "tags", "speakers", "published")}


def build_records(articles: list[Article], docs: int | None, seed: int = 2024) -> list[dict[str, Any]]:
    """``docs`` records: all real articles (a seeded sample when fewer are asked), then made-up ones."""
    if not articles:
        raise ValueError("no articles to build a benchmark corpus from")
    real = [record(a) for a in articles]
    if docs is None or docs == len(real):
        return real
    if docs < len(real):
        picked = sorted(random.Random(seed).sample(range(len(real)), docs))
        return [real[i] for i in picked]
    return real + list(_made_up(articles, docs - len(real), seed))


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.split()) >= 3]


def sentence_pool(articles: list[Article]) -> list[str]:
    """The real sentences made-up articles are filled with."""
    return [s for a in articles for s in _sentences(a.body)] or [a.title for a in articles]


def _made_up(articles: list[Article], count: int, seed: int) -> Iterator[dict[str, Any]]:
    """New articles: a real article's shape (length, tags, source) filled with real sentences."""
    for rec, _ in made_up_plans(articles, count, seed):
        yield rec


def made_up_plans(articles: list[Article], count: int, seed: int) -> Iterator[tuple[dict[str, Any], list[int]]]:
    """``_made_up``'s records, each with the positions in ``sentence_pool`` of its body's sentences, in
    order (``bench.neighbours_step`` analyses each sentence once and composes the articles' stems)."""
    rng = random.Random(seed)
    pool = sentence_pool(articles)
    titles = [a.title for a in articles]
    dates = sorted(a.published for a in articles if a.published)
    for number in range(count):
        shape = articles[rng.randrange(len(articles))]
        length = min(40, max(1, len(_SENTENCE.findall(shape.body))))
        positions = [rng.randrange(len(pool)) for _ in range(length)]
        chosen = [pool[i] for i in positions]
        paragraphs = [" ".join(chosen[i : i + _PARAGRAPH]) for i in range(0, length, _PARAGRAPH)]
        published: datetime | None = None
        if dates and shape.published:
            span = (dates[-1] - dates[0]).days or 1
            published = dates[0] + timedelta(days=rng.randrange(span), minutes=rng.randrange(24 * 60))
        yield {
            "id": f"bench-{number:06d}",
            "url": "",
            "title": titles[rng.randrange(len(titles))],
            "lead": "",
            "body": "\n\n".join(paragraphs),
            "source": shape.source,
            "tags": list(shape.tags),
            "speakers": list(shape.speakers),
            "published": published.isoformat() if published else None,
        }, positions


def characters(rec: dict[str, Any]) -> int:
    """The characters an engine analyses for one record (title, lead and body)."""
    return len(rec["title"]) + len(rec["lead"]) + len(rec["body"])


def peer_record(rec: dict[str, Any]) -> dict[str, Any]:
    """The record as the peer engines get it: the same text, already normalized by our rules."""
    from indexer.dates import jalali_month, parse_date
    from indexer.metadata import facet_key

    text = f"{rec['lead']}\n\n{rec['body']}" if rec["lead"] else rec["body"]
    published = rec["published"]
    return {
        "id": rec["id"],
        "title": normalize(rec["title"]),
        "text": normalize(text),
        "source": facet_key(rec["source"]),
        "month": jalali_month(parse_date(published)) if published else "undated",
        "tags": [k for k in map(facet_key, rec["tags"]) if k],
    }


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> int:
    """Write records one a line; the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False) + "\n")
            count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
