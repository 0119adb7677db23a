"""A person-name model learned from the corpus itself (issue 17).

Hand-written lists know the common given names; news quotes thousands of
people whose names no list holds («شکور پورحسین»، «جهانپور»، «گانتز»). Across
thousands of articles a surname shows itself by where it stands: after a
given name or an honorific («دکتر جهانپور»), before a quote verb at the start
of a clause («جهانپور گفت»), before «، role». A common word stands there too,
but is far more often elsewhere: a word is a surname when at least
``NAME_SHARE`` of its occurrences are in those places, and at least
``MIN_CONTEXTS`` are. A given name shows itself before those surnames at the
start of a name. A word that follows «خبرگزاری»، «روزنامه»، «به گزارش» …
as often is an outlet («رویترز»), never a person.

``build`` counts over any texts; ``kavosh speaker-names`` (``make
speaker-names``) runs it over corpus folders and writes the lists, one word
a line with its kind; the extractor reads ``corpus_names.txt`` beside this
module (or ``$KAVOSH_SPEAKER_NAMES``). Only the name lists are written: no
counts, no text.

>>> texts = ["دکتر کیانوش جهانپور گفت: بیماران بهبود یافتند."] * 3 + ["جهانپور افزود: آمار کم شد."] * 3
>>> model = build(texts)
>>> "جهانپور" in model.surnames, "کیانوش" in model.given, "بیماران" in model.surnames
(True, False, False)
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.speakers.lexicon import HONORIFICS, ORGANIZATIONS, ROLES, STOP, VERB_STARTS
from indexer.speakers.names import COMMON, frequency, is_name_word, key, tokenize
from indexer.speakers.names import is_listed_given_name as is_given_name  # never the lists being rebuilt

#: Where the extractor looks for the lists (``$KAVOSH_SPEAKER_NAMES`` overrides; empty turns them off).
NAMES_FILE = Path(__file__).with_name("corpus_names.txt")
#: A word counts as a name when this share of its occurrences are in name places ...
NAME_SHARE = 0.4
#: ... and at least this many are.
MIN_CONTEXTS = 3
#: Words before an outlet's name.
_OUTLET_CUES = frozenset({"خبرگزاری", "روزنامه", "شبکه", "گزارش", "نقل", "نشریه", "پایگاه", "سایت", "تلویزیون"})
_PUNCTUATION = frozenset("،,:؛;.!?؟«»\"'()")
_QUOTE_MARKS = frozenset("«»\"'")


@dataclass(frozen=True)
class NameModel:
    """Words the corpus uses as given names and as surnames (keys without ZWNJ)."""

    given: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()


def build(texts: Iterable[str]) -> NameModel:
    """Learn the lists from ``texts`` (any number of sentences or articles)."""
    total: Counter[str] = Counter()
    named: Counter[str] = Counter()  # occurrences in a surname's place
    outlet: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()  # (word, next word) at the start of a name
    for text in texts:
        outlet_run: set[str] = set()  # the word before, when it named an outlet («ساوت» of «ساوت چاینا»)
        tokens = tokenize(text)
        keys = [key(t) for t in tokens]
        for i, (token, k) in enumerate(zip(tokens, keys, strict=True)):
            if not is_name_word(token):
                continue
            total[k] += 1
            before = keys[i - 1] if i else ""
            if before in _QUOTE_MARKS and i >= 2 and keys[i - 2] in _OUTLET_CUES | ORGANIZATIONS:
                before = keys[i - 2]  # «روزنامه «ساوت چاینا»»: the outlet's name in quote marks
            after = keys[i + 1] if i + 1 < len(keys) else ""
            if before in _OUTLET_CUES or before in ORGANIZATIONS or (i >= 2 and before in outlet_run):
                outlet[k] += 1
                outlet_run = {k}
                continue
            outlet_run = set()
            clause_start = not i or before in _PUNCTUATION
            titled = before in HONORIFICS
            after_given = bool(i) and is_given_name(tokens[i - 1]) and not is_given_name(token)
            before_verb = clause_start and after in VERB_STARTS
            before_role = after == "،" and i + 2 < len(keys) and keys[i + 2] in ROLES
            if titled or after_given or before_verb or before_role:
                named[k] += 1
            # A possible given name: a clause or title start, then this word and a name-like word
            # that ends the name (a verb, a comma, a preposition follows).
            if (clause_start or titled) and i + 2 < len(keys) and is_name_word(tokens[i + 1]):
                end = keys[i + 2]
                if end in VERB_STARTS or end in _PUNCTUATION or end in STOP:
                    pairs[(k, keys[i + 1])] += 1
    surnames = {
        k
        for k, n in named.items()
        if n >= MIN_CONTEXTS
        and n >= NAME_SHARE * total[k]
        and frequency(k) < COMMON
        and outlet[k] * 2 < n
        and not is_given_name(k)
    }
    given_counts: Counter[str] = Counter()
    for (first, second), n in pairs.items():
        if second in surnames and first not in surnames:
            given_counts[first] += n
    given = {
        k
        for k, n in given_counts.items()
        if n >= MIN_CONTEXTS and n >= NAME_SHARE * total[k] and frequency(k) < COMMON and not is_given_name(k)
    }
    outlets = {k for k, n in outlet.items() if n >= MIN_CONTEXTS and n >= NAME_SHARE * total[k]}
    return NameModel(frozenset(given), frozenset(surnames - outlets), frozenset(outlets))


def save(model: NameModel, path: Path) -> None:
    """One ``kind<TAB>word`` a line, sorted: a diff shows what a rebuild changed."""
    lines = [f"{kind}\t{word}" for kind, words in (("given", model.given), ("surname", model.surnames),
             ("outlet", model.outlets)) for word in sorted(words)]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(path: Path) -> NameModel:
    """The lists in ``path``; ``ValueError`` naming the line of a bad one."""
    kinds: dict[str, set[str]] = {"given": set(), "surname": set(), "outlet": set()}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        kind, _, word = line.partition("\t")
        if kind not in kinds or not word:
            raise ValueError(f"{path}:{number}: expected 'given|surname|outlet<TAB>word'")
        kinds[kind].add(key(word))
    return NameModel(frozenset(kinds["given"]), frozenset(kinds["surname"]), frozenset(kinds["outlet"]))


@cache
def corpus_names() -> NameModel:
    """The lists the extractor uses (loaded once): ``$KAVOSH_SPEAKER_NAMES``, else
    ``NAMES_FILE`` when it exists, else none."""
    configured = os.environ.get("KAVOSH_SPEAKER_NAMES")
    if configured is not None:
        return load(Path(configured)) if configured else NameModel()
    return load(NAMES_FILE) if NAMES_FILE.is_file() else NameModel()
