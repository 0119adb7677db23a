"""A person-name model learned from the corpus itself (issue 17).

Hand-written lists know the common given names; news quotes thousands of
people whose names no list holds («شکور ایزدپناه»، «مهرپویان»، «گرونتال»). Across
thousands of articles a surname shows itself by where it stands: after a
given name or an honorific («دکتر مهرپویان»), before a quote verb at the start
of a clause («مهرپویان گفت»), before «، role». A common word stands there too,
but is far more often elsewhere: a word is a surname when at least
``NAME_SHARE`` of its occurrences are in those places, and at least
``MIN_CONTEXTS`` are. A given name shows itself before those surnames at the
start of a name. A word that follows «خبرگزاری»، «روزنامه»، «به گزارش» …
as often is an outlet («رویترز»), never a person; so is one that stands alone
between «به گزارش» and a comma ``MIN_CONTEXTS`` times, whatever its share (an
everyday word, «مهر», is an outlet there only: ``NameModel.reports``).

Full names are learned too, by bootstrapping from the contexts that surely
name a person: a run of two to four name words between a clause start and a
quote verb («نفتالی بروخ گفت»), after an honorific («دکتر کیانوش مهرپویان،»),
before «، role», or between «به گفته» and a comma. A run that recurs there in
at least ``MIN_FULL_CONTEXTS`` different sentences, in at least
``FULL_SHARE`` of all the sentences that hold it, and whose words are given
names or uncommon, is a full name: the extractor then reads it wherever a name
may stand (after a role chain, «به گفته X» without a comma, «گفت‌وگو با X»),
with its boundaries («حسین ورزنده تبریزی» whole; a name no list starts).

A surname is written joined in some articles and in two words in others
(«مهرآذین‌فرد»، «مهرآذین فرد»), and the second word is often an everyday word
(«فرد»، «عادل»). A joined word that is no dictionary word counts its two-word
spellings too, in surname places and everywhere, so that a surname the corpus
mostly writes apart is learned whole; the extractor then reads the two words
as one surname (``names.surname_apart``).

``build`` counts over any texts; ``kavosh speaker-names`` (``make
speaker-names``) runs it over corpus folders and writes the lists, one word
a line with its kind; the extractor reads ``corpus_names.txt`` beside this
module (or ``$KAVOSH_SPEAKER_NAMES``). Only the name lists are written: no
counts, no text.

>>> texts = [f"دکتر کیانوش مهرپویان گفت: {n} بیمار بهبود یافتند." for n in (2, 3, 4)]
>>> texts += ["مهرپویان افزود: آمار کم شد."] * 3
>>> model = build(texts)
>>> "مهرپویان" in model.surnames, "کیانوش" in model.given, "بیمار" in model.surnames
(True, False, False)
>>> "کیانوش مهرپویان" in model.full
True
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from indexer.speakers.cues import LETTERS_ONLY
from indexer.speakers.initials import is_initial
from indexer.speakers.lexicon import ACCORDING_TO, HONORIFICS, ORGANIZATIONS, ROLES, STOP, VERB_STARTS
from indexer.speakers.names import is_listed_given_name as is_given_name  # never the lists being rebuilt
from indexer.speakers.names import is_name_word
from indexer.speakers.tokens import tokenize
from indexer.speakers.words import COMMON, frequency, in_dictionary, is_verb_form, key

#: Where the extractor looks for the lists (``$KAVOSH_SPEAKER_NAMES`` overrides; empty turns them off).
NAMES_FILE = Path(__file__).with_name("corpus_names.txt")
#: A word counts as a name when this share of its occurrences are in name places ...
NAME_SHARE = 0.4
#: ... and at least this many are.
MIN_CONTEXTS = 3
#: A run of name words is a full name when it stands in a name's place in this many different sentences ...
MIN_FULL_CONTEXTS = 2
#: ... and those are at least this share of the sentences that hold it.
FULL_SHARE = 0.3
#: The longest full name learned, in words.
MAX_FULL = 4
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
    full: frozenset[str] = frozenset()  # full names: their keys joined by one space
    reports: frozenset[str] = frozenset()  # outlets only right after «به گزارش» (everyday words: «مهر»)

    @property
    def full_firsts(self) -> frozenset[str]:
        """The first words of the full names (a cheap test before looking one up)."""
        return _firsts(self.full)


@cache
def _firsts(full: frozenset[str]) -> frozenset[str]:
    return frozenset(name.partition(" ")[0] for name in full)


def build(texts: Iterable[str]) -> NameModel:
    """Learn the lists from ``texts`` (any number of sentences or articles)."""
    return build_from_tokens(tokenize(text) for text in texts)


def build_from_tokens(sentences: Iterable[list[str]]) -> NameModel:
    """``build`` from sentences already cut into tokens (``tokens.tokenize``)."""
    total: Counter[str] = Counter()
    named: Counter[str] = Counter()  # occurrences in a surname's place
    outlet: Counter[str] = Counter()
    reported: Counter[str] = Counter()  # one word between «به گزارش» and a comma
    pairs: Counter[tuple[str, str]] = Counter()  # (word, next word) at the start of a name
    places: dict[str, set[int]] = {}  # full name -> the different sentences (hashes) where it stands in a name's place
    runs: Counter[str] = Counter()  # ... and how many sentences in all
    held: Counter[str] = Counter()  # a possible full name -> the sentences that hold it anywhere
    # Two words that may be one surname written apart («مهرآذین فرد»), by the joined key: everywhere,
    # and in a surname's place (after a given name or an honorific, the name ending there).
    apart: Counter[str] = Counter()
    apart_named: Counter[str] = Counter()
    for tokens in sentences:
        outlet_run: set[str] = set()  # the word before, when it named an outlet («کوهستان» of «کوهستان پست»)
        keys = [key(t) for t in tokens]
        found = set(_full_name_runs(tokens, keys))
        if found:
            sentence = hash(tuple(keys))
            for run in found:
                places.setdefault(run, set()).add(sentence)
            runs.update(found)
        _count_held(tokens, keys, held)
        for i, (token, k) in enumerate(zip(tokens, keys, strict=True)):
            if not is_name_word(token):
                continue
            total[k] += 1
            split = _second_part(tokens, keys, i + 1)  # this word and the next: one surname written apart?
            if split:
                apart[k + keys[i + 1]] += 1
            before = keys[i - 1] if i else ""
            if before in _QUOTE_MARKS and i >= 2 and keys[i - 2] in _OUTLET_CUES | ORGANIZATIONS:
                before = keys[i - 2]  # «روزنامه «کوهستان پست»»: the outlet's name in quote marks
            after = keys[i + 1] if i + 1 < len(keys) else ""
            if before in _OUTLET_CUES or before in ORGANIZATIONS or (i >= 2 and before in outlet_run):
                outlet[k] += 1
                if before == "گزارش" and i >= 2 and keys[i - 2] == "به" and after in ("،", ","):
                    reported[k] += 1  # «به گزارش ایرنا، ...»: the report frame names an outlet
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
            if split and (titled or after_given) and not is_given_name(token) and _ends_name_at(keys, i + 2):
                apart_named[k + keys[i + 1]] += 1  # «دکتر کیوان مهرآذین فرد گفت»: maybe «مهرآذین‌فرد»
            # A possible given name: a clause or title start, then this word and a name-like word
            # that ends the name (a verb, a comma, a preposition follows).
            if (clause_start or titled) and i + 2 < len(keys) and is_name_word(tokens[i + 1]):
                end = keys[i + 2]
                if end in VERB_STARTS or end in _PUNCTUATION or end in STOP:
                    pairs[(k, keys[i + 1])] += 1

    def surname(k: str, n: int, occurrences: int) -> bool:
        """``n`` of a word's ``occurrences`` in surname places make it a surname."""
        return (
            n >= MIN_CONTEXTS
            and n >= NAME_SHARE * occurrences
            and LETTERS_ONLY.fullmatch(k) is not None  # not an initial («ا.»)
            and frequency(k) < COMMON
            and outlet[k] * 2 < n
            and not is_given_name(k)
        )

    surnames = {k for k, n in named.items() if surname(k, n, total[k])}
    # A surname the corpus also writes joined («مهرآذین‌فرد», no dictionary word) counts its
    # spellings in two words too, in surname places and everywhere.
    surnames |= {
        joined
        for joined, n in apart_named.items()
        if total[joined]
        and not in_dictionary(joined)
        and surname(joined, named[joined] + n, total[joined] + apart[joined])
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
    # The report frame «به گزارش X،» names nothing but an outlet: so many times there are enough for
    # one the corpus also cites elsewhere («خبرنگار X»، «X -»), under the share. Hazm counts some as
    # everyday words («مهر»: a month, kindness, a name's part): those are outlets in the frame only.
    framed = {k for k, n in reported.items() if n >= MIN_CONTEXTS} - outlets
    outlets |= {k for k in framed if frequency(k) < COMMON}
    reports = {k for k in framed if frequency(k) >= COMMON}
    full = {
        run
        for run, where in places.items()
        if len(where) >= MIN_FULL_CONTEXTS
        and runs[run] >= FULL_SHARE * held[run]
        and _plausible(run.split(" "), given, outlets)
    }
    full = {run for run in full if not _overreaches(run.split(" "), full)}
    return NameModel(*map(frozenset, (given, surnames - outlets, outlets, full, reports)))


def _second_part(tokens: list[str], keys: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` may be a surname's second word written apart after the word before
    it: both name words of two letters or more, neither a quote verb's first word, no initial,
    and this one no given name nor verb.

    >>> toks = "دکتر کیوان مهرآذین فرد گفت".split()
    >>> _second_part(toks, toks, 3), _second_part(toks, toks, 4), _second_part(toks, toks, 0)
    (True, False, False)
    """
    if not 0 < i < len(tokens):
        return False
    first, token = tokens[i - 1], tokens[i]
    return (
        is_name_word(token)
        and len(keys[i]) >= 2
        and len(keys[i - 1]) >= 2
        and LETTERS_ONLY.fullmatch(keys[i - 1] + keys[i]) is not None
        and keys[i] not in VERB_STARTS
        and keys[i - 1] not in VERB_STARTS
        and not is_given_name(token)
        and not is_verb_form(token)
        and not is_initial(first)
    )


def _ends_name_at(keys: list[str], i: int) -> bool:
    """Whether a name ends before ``keys[i]``: a quote verb, a mark, a preposition or a role, or the end."""
    after = keys[i] if i < len(keys) else ""
    return not after or after in VERB_STARTS or after in _PUNCTUATION or after in STOP or after in ROLES


def _plausible(words: list[str], given: set[str], outlets: set[str]) -> bool:
    """A full name's words: each a given name or an uncommon word, none an outlet's."""
    return all(
        (is_given_name(w) or w in given or frequency(w) < COMMON) and w not in outlets for w in words
    )


def _overreaches(words: list[str], full: set[str]) -> bool:
    """A run that reads a dictionary word past a name already read: the rules' own name
    (given names only before it: «قاسم می») or a shorter learned one («قاسم فرهمند نطق»).
    The extractor takes the longer name, so such a run would swallow the next word.

    >>> _overreaches(["قاسم", "فرهمند", "نطق"], {"قاسم فرهمند"}), _overreaches(["یوزف", "کرامر"], set())
    (True, False)
    """
    head, last = words[:-1], words[-1]
    return in_dictionary(last) and (" ".join(head) in full or all(is_given_name(w) for w in head))


def _full_name_runs(tokens: list[str], keys: list[str]) -> Iterable[str]:
    """Runs of two to ``MAX_FULL`` name words (keys joined by a space) in a place only a
    person's name stands in: from a clause start to a quote verb, after an honorific to
    the end of the name, before «، role», from «به گفته» to a comma."""
    for i, token in enumerate(tokens):
        if not is_name_word(token):
            continue
        before = keys[i - 1] if i else ""
        start = not i or before in _PUNCTUATION
        titled = before in HONORIFICS
        according = _after_according_to(keys, i)
        if not (start or titled or according):
            continue
        for size in range(2, MAX_FULL + 1):
            end = i + size
            if end > len(tokens) or not is_name_word(tokens[end - 1]):
                break
            after = keys[end] if end < len(keys) else ""
            role = after == "،" and end + 1 < len(keys) and keys[end + 1] in ROLES
            if (
                (start and after in VERB_STARTS)
                or role
                or (titled and (after in VERB_STARTS or after in _PUNCTUATION or after in STOP))
                or (according and after in ("،", ","))
            ):
                yield " ".join(keys[i:end])


def _after_according_to(keys: list[str], i: int) -> bool:
    """Whether the words before ``keys[i]`` end with «به گفته»، «طبق اظهارات» … (``ACCORDING_TO``).

    >>> _after_according_to(["به", "گفته", "علی"], 2), _after_according_to(["در", "گفته", "علی"], 2)
    (True, False)
    """
    if not i:
        return False
    tail = " ".join(keys[max(0, i - 3) : i]) + " "
    return any(match.end() == len(tail) for match in ACCORDING_TO.finditer(tail))


def _count_held(tokens: list[str], keys: list[str], held: Counter[str]) -> None:
    """Count, once a sentence, every run of two to ``MAX_FULL`` words that could be a full name
    (name words, each a given name or uncommon): the share's denominator."""
    fit = [is_name_word(t) and (is_given_name(t) or frequency(k) < COMMON) for t, k in zip(tokens, keys, strict=True)]
    seen: set[str] = set()
    for i in range(len(keys) - 1):
        name = keys[i]
        for size in range(2, MAX_FULL + 1):
            if i + size > len(keys) or not fit[i] or not fit[i + size - 1]:
                break
            name += " " + keys[i + size - 1]
            seen.add(name)
    held.update(seen)


#: The kinds of line of the lists file, in ``NameModel``'s order.
_KINDS = ("given", "surname", "outlet", "name", "report")


def save(model: NameModel, path: Path) -> None:
    """One ``kind<TAB>word`` a line, sorted: a diff shows what a rebuild changed."""
    lists = (model.given, model.surnames, model.outlets, model.full, model.reports)
    lines = [f"{kind}\t{word}" for kind, words in zip(_KINDS, lists, strict=True) for word in sorted(words)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def load(path: Path) -> NameModel:
    """The lists in ``path``; ``ValueError`` naming the line of a bad one."""
    kinds: dict[str, set[str]] = {kind: set() for kind in _KINDS}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        kind, _, word = line.partition("\t")
        if kind not in kinds or not word:
            raise ValueError(f"{path}:{number}: expected '{'|'.join(_KINDS)}<TAB>word(s)'")
        kinds[kind].add(" ".join(key(w) for w in word.split()))
    return NameModel(*(frozenset(kinds[kind]) for kind in _KINDS))


@cache
def corpus_names() -> NameModel:
    """The lists the extractor uses (loaded once): ``$KAVOSH_SPEAKER_NAMES``, else
    ``NAMES_FILE`` when it exists, else none."""
    configured = os.environ.get("KAVOSH_SPEAKER_NAMES")
    if configured is not None:
        return load(Path(configured)) if configured else NameModel()
    return load(NAMES_FILE) if NAMES_FILE.is_file() else NameModel()
