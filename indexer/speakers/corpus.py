"""One person, one facet value across a corpus.

Within an article the extractor already gives each person one name. Across
articles the same person comes as «محمد باقر تیزپاک», «محمدباقر تیزپاک»
(one ``facet_key``), and as a bare «تیزپاک» where an article gave only the
surname. ``resolve_names`` maps every extracted name to the commonest
spelling of its key; that is the only merge a name of two words or more
gets («حسن شبانگیز» is never stretched to a longer name that ends the same
way, such as a misread «امید حسن شبانگیز»).

A surname alone (one word, or one surname written apart from its ending:
«سلیمی نژاد») is completed to a full name when the corpus makes it clear:

- the candidates are the full names (two words or more) that end with it;
- a candidate that extends another («اخیر دونالد کارلتون» extends «دونالد
  کارلتون») counts for the shorter one: the longer is the shorter with a word
  read too many;
- the surname takes the candidate group with at least ``DOMINANT`` of the
  candidates' mentions, and otherwise stays as it is («حسینی», shared by
  several people, is not a guess).

>>> mapping = resolve_names(["محمدباقر تیزپاک", "محمد باقر تیزپاک", "تیزپاک",
...                          "هومن آذرنوشی", "مریم آذرنوشی", "آذرنوشی"])
>>> mapping["تیزپاک"], mapping["محمد باقر تیزپاک"], mapping["آذرنوشی"]
('محمدباقر تیزپاک', 'محمدباقر تیزپاک', 'آذرنوشی')

A full name is not completed, and a candidate that extends another falls
into the shorter one:

>>> mapping = resolve_names(["حسن شبانگیز", "امید حسن شبانگیز", "شبانگیز",
...                          "دونالد کارلتون", "دونالد کارلتون", "اخیر دونالد کارلتون", "کارلتون"])
>>> mapping["حسن شبانگیز"], mapping["شبانگیز"], mapping["کارلتون"]
('حسن شبانگیز', 'حسن شبانگیز', 'دونالد کارلتون')

One person must dominate the mentions of the full names that end with the
surname: 4 of 5 is enough, 3 of 5 is not.

>>> resolve_names(["جلال کریمی"] * 4 + ["مینا کریمی", "کریمی"])["کریمی"]
'جلال کریمی'
>>> resolve_names(["جلال کریمی"] * 3 + ["مینا کریمی"] * 2 + ["کریمی"])["کریمی"]
'کریمی'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from indexer.metadata import facet_key
from indexer.normalize import normalize
from indexer.speakers.lexicon import SURNAME_PARTS
from indexer.speakers.words import key

#: The share of the candidates' mentions one person needs before a bare
#: surname is taken to mean them.
DOMINANT = 0.8


def resolve_names(names: Iterable[str]) -> dict[str, str]:
    """Map each name (as given) to its corpus-canonical spelling.

    Pass every speaker name of the corpus, repeats included: the counts
    choose the spelling shown for each person, and who a bare surname is.
    """
    given = list(names)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in given:
        k = facet_key(name)
        if k:
            spellings[k][normalize(name)] += 1
    display = {k: counts.most_common(1)[0][0] for k, counts in spellings.items()}
    mentions = {k: counts.total() for k, counts in spellings.items()}
    # Full names by the key of each of their proper word-suffixes:
    # «محمدباقر تیزپاک» is reachable from «تیزپاک», «دونالد کارلتون» from «کارلتون».
    by_suffix: dict[str, set[str]] = defaultdict(set)
    suffixes: dict[str, set[str]] = defaultdict(set)  # the other way round
    for k, shown in display.items():
        words = shown.split()
        for n in range(1, len(words)):
            by_suffix[facet_key(" ".join(words[n:]))].add(k)
            suffixes[k].add(facet_key(" ".join(words[n:])))
    resolved: dict[str, str] = {}
    for k in display:
        person = _person(by_suffix.get(k, set()), suffixes, mentions) if _is_surname(display[k]) else None
        resolved[k] = display[person or k]
    return {name: resolved[k] for name in given if (k := facet_key(name))}


def _is_surname(name: str) -> bool:
    """One word, or a surname written apart from its ending («سلیمی نژاد»)."""
    words = name.split()
    return len(words) == 1 or (len(words) == 2 and key(words[1]) in SURNAME_PARTS)


def _person(candidates: set[str], suffixes: dict[str, set[str]], mentions: dict[str, int]) -> str | None:
    """The key of the full name a surname stands for, or ``None`` when unclear.

    ``candidates`` are the keys of the full names that end with the surname;
    ``suffixes`` gives the keys of each full name's proper word-suffixes.
    """
    if not candidates:
        return None
    # Each candidate counts for the shortest candidate it extends (itself if none).
    groups: Counter[str] = Counter()
    for k in candidates:
        shorter = candidates & suffixes[k]
        groups[min(shorter, key=len) if shorter else k] += mentions[k]
    best, count = groups.most_common(1)[0]
    return best if count >= DOMINANT * groups.total() else None
