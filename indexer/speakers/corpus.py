"""One person, one facet value across a corpus.

Within an article the extractor already gives each person one name. Across
articles the same person comes as «محمد باقر قالیباف», «محمدباقر قالیباف»
(one ``facet_key``), and as a bare «قالیباف» where an article gave only the
surname. ``resolve_names`` maps every extracted name to the commonest
spelling of its key, and a surname-only name (no given name first) to the
one full name in the corpus that ends with it; a surname shared by several
full names («حسینی») stays as it is, since choosing would be a guess.

>>> mapping = resolve_names(["محمدباقر قالیباف", "محمد باقر قالیباف", "قالیباف",
...                          "حمید حسینی", "مریم حسینی", "حسینی"])
>>> mapping["قالیباف"], mapping["محمد باقر قالیباف"], mapping["حسینی"]
('محمدباقر قالیباف', 'محمدباقر قالیباف', 'حسینی')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from indexer.metadata import facet_key
from indexer.normalize import normalize
from indexer.speakers.names import is_given_name


def resolve_names(names: Iterable[str]) -> dict[str, str]:
    """Map each name (as given) to its corpus-canonical spelling.

    Pass every speaker name of the corpus, repeats included: the counts
    choose the spelling shown for each person.
    """
    given = list(names)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name in given:
        k = facet_key(name)
        if k:
            spellings[k][normalize(name)] += 1
    display = {k: counts.most_common(1)[0][0] for k, counts in spellings.items()}
    # Full names by the key of each of their proper word-suffixes:
    # «محمدباقر قالیباف» is reachable from «قالیباف».
    by_suffix: dict[str, set[str]] = defaultdict(set)
    for k, shown in display.items():
        words = shown.split()
        for n in range(1, len(words)):
            by_suffix[facet_key(" ".join(words[n:]))].add(k)
    resolved: dict[str, str] = {}
    for name in given:
        k = facet_key(name)
        if not k:
            continue
        # Only a surname-only name is completed: «حسن روحانی» is already a full name.
        surname_only = not is_given_name(normalize(name).split()[0])
        fuller = by_suffix.get(k, set()) - {k} if surname_only else set()
        # Only the longest names: «قالیباف» ← «محمدباقر قالیباف», and not also
        # a «باقر قالیباف» that is itself a shorter form of it.
        longest = {f for f in fuller if not any(f != g and g in by_suffix.get(f, ()) for g in fuller)}
        resolved[name] = display[longest.pop()] if len(longest) == 1 else display[k]
    return resolved
