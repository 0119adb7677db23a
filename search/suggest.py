"""Forgive how a query was spelled, using the index's own vocabulary.

* ``Lexicon``: how many documents hold each term of an index (the ``text``
  field, surface forms, and ``text_stem``), read once per index generation
  from the backend's term statistics.
* ``suggest``: for a query word that matches little or nothing, the likeliest
  intended word of the index («آیا منظور شما ... بود؟»). Edits are weighed for
  Persian: letters of the same sound or shape (ث س ص, ذ ز ض ظ, ت ط, ه ح, ق غ,
  ا آ, ی ئ, و ؤ) are cheap confusions; a missing or extra space costs little;
  a dropped, extra, swapped or wrong letter costs more. A missing or extra
  ZWNJ needs no edit: the analyzer already joins the parts of a word.
* ``variants``: other spellings of the same word that the index holds, so a
  query finds them all: hamza seats (هیئت/هیات, مسئول/مسوول/مسؤول,
  رئیس/رییس), a non-standard spelling one confusion away from a standard one
  (اطاق/اتاق), and a short list of names spelled two standard ways
  (آمریکا/امریکا), which no rule can tell from استان/آستان.
"""

from __future__ import annotations

import bisect
import gzip
import json
import math
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from backends.base import Opened
from indexer import normalize as normalize_module
from indexer.derived import derived
from indexer.normalize import ZWNJ, normalize
from indexer.stem import DEFAULT_STEMMER
from search.keyboard import chunks, join, retype, rewritable, to_latin, to_persian
from search.query import analyzers
from search.syntax import MAX_CLAUSES, MAX_QUERY_CHARS

# Letters a Persian typist confuses: same sound, same shape but for the dots
# (a phone keyboard's neighbours), or a hamza or madda left out. Swapping within a group is a cheap edit.
CONFUSIONS = ("ثسص", "ذزضظ", "تط", "هح", "قغ", "اآ", "یئ", "وؤ", "جچ", "کگ", "بپ", "زژ")
_CONFUSABLE = {ch: group.replace(ch, "") for group in CONFUSIONS for ch in group}
PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآئؤء"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"

#: Edit costs (a cost of 1 is one ordinary typing error).
CONFUSION_COST = 0.4
SPACE_COST = 0.5
EDIT_COST = 1.0
#: The noisy channel: the chance of typing a word for another is e^(-COST_WEIGHT * cost)
#: of typing it right, so a candidate's score is log(documents) - COST_WEIGHT * cost:
#: one ordinary edit must be paid for by ~e^2.5 = 12 times more documents.
COST_WEIGHT = 2.5
#: The word as typed scores log(documents it finds) + log(GAIN), plus log(DICTIONARY_ODDS)
#: when it is a word of the Persian dictionary: a correction must be GAIN times likelier
#: than the word as typed (a real word, DICTIONARY_ODDS times more). A word the index does
#: not hold has no likelihood of its own: its likeliest correction wins. No fixed floor:
#: «کرنا» in a few articles is a slip for «کرونا» in a thousand.
GAIN = 10
DICTIONARY_ODDS = 50
#: Split words («بیمار ستان») are joined when one part finds at most this many articles.
RARE = 2
#: Words shorter than this get no suggestion (too many neighbours), longer
#: than MAX_LENGTH none either (no word is that long; bounds the work).
MIN_LENGTH = 3
MAX_LENGTH = 30

#: Names with two standard spellings (both in hazm's dictionary, so no rule
#: tells them from distinct words such as استان/آستان or اسم/آسم). A pair
#: applies to words starting with either spelling (آمریکایی/امریکایی) and only
#: where the index holds the other spelling. Tested in tests/test_forgiveness.py.
NAME_SPELLINGS = (
    ("آمریکا", "امریکا"),
    ("آفریقا", "افریقا"),
    ("آلمان", "المان"),
    ("ترامپ", "trump"),
)
#: Hamza on its seat <-> the seat alone (see ``_hamza_variants``).
_SEATS = {"ئ": "ی", "ی": "ئ", "ؤ": "و", "و": "ؤ"}


class Lexicon:
    """Documents per term of one index (surface forms and stems)."""

    def __init__(self, index: Opened) -> None:
        self._exact, self._stem = analyzers(str(index.meta.get("stemmer") or DEFAULT_STEMMER))
        self.documents = max(1, index.document_count())
        self.terms, self.stems = index.term_counts()
        self._sorted: list[str] | None = None  # the terms in order, for prefixes (read when first needed)
        self._most: int | None = None  # ``most_documents``, counted when first needed

    @classmethod
    def from_counts(
        cls, terms: dict[str, int], stems: dict[str, int], documents: int, stemmer: str = DEFAULT_STEMMER
    ) -> Lexicon:
        """A lexicon of given counts, analysed as an index with ``stemmer`` analyses (for tests and tools).

        >>> Lexicon.from_counts({"کتاب": 3}, {"کتاب": 3}, 10).matches("کتاب")
        3
        """
        lex = cls.__new__(cls)
        lex._exact, lex._stem = analyzers(stemmer)
        lex.terms, lex.stems, lex.documents, lex._sorted, lex._most = dict(terms), dict(stems), documents, None, None
        return lex

    def words(self, text: str) -> list[str]:
        """The whole-word terms of ``text`` as the index analyzes it."""
        return [t.text for t in self._exact(text, mode="query") if not t.part]

    def stem(self, term: str) -> str:
        return str(next(iter(self._stem(term, tokenize=False, mode="query"))).text)

    def frequency(self, text: str) -> int:
        """Documents holding every word of ``text`` (at most: the rarest word's count)."""
        words = self.words(text)
        return min((self.terms.get(w, 0) for w in words), default=0)

    def prefixed(self, text: str) -> int:
        """Whether some term of the index begins with the one word of ``text`` (1 or 0)."""
        words = self.words(text)
        if len(words) != 1:
            return 0
        if self._sorted is None:
            self._sorted = sorted(self.terms)
        at = bisect.bisect_left(self._sorted, words[0])
        return int(at < len(self._sorted) and self._sorted[at].startswith(words[0]))

    def most_documents(self) -> int:
        """The most documents a candidate spelling can find: a term's, or a pair of terms' (``correct``)."""
        if self._most is None:
            most = max(self.terms.values(), default=0)
            self._most = max(most, most * most // self.documents)
        return self._most

    def matches(self, term: str) -> int:
        """Documents a query word finds, by its form or its stem."""
        return max(self.terms.get(term, 0), self.stems.get(self.stem(term), 0))


_lexicons: weakref.WeakKeyDictionary[Opened, Lexicon] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def lexicon(index: Opened) -> Lexicon:
    """The lexicon of ``index``, read once (about 0.5 s for 5,000 news articles)."""
    with _lock:
        found = _lexicons.get(index)
        if found is None:
            found = _lexicons[index] = Lexicon(index)
        return found


@cache
def _english() -> frozenset[str]:
    """English words (pyspellchecker's frequency list, without its rarest words)."""
    data = resources.files("spellchecker").joinpath("resources/en.json.gz").read_bytes()
    counts: dict[str, int] = json.loads(gzip.decompress(data))
    return frozenset(word for word, count in counts.items() if count >= 50)


def is_english(word: str) -> bool:
    """Whether a lowercase Latin word is a real English word.

    >>> is_english("and"), is_english("hdvhk")
    (True, False)
    """
    return word in _english()


@cache
def _dictionary() -> frozenset[str]:
    """Persian words in common use: hazm's word list (joined spelling), attested words only.

    Derived once and then read from the cache (``indexer.derived``): importing hazm takes seconds.
    """
    return frozenset(derived("dictionary", [sys.modules[__name__], normalize_module], _from_hazm))


def _from_hazm() -> set[str]:
    from hazm import words_list

    return {normalize(w).replace(ZWNJ, "") for w, count, _ in words_list() if count > 0}


def is_standard(term: str, stem: str) -> bool:
    """Whether a term (or its stem) is a word of the Persian dictionary."""
    words = _dictionary()
    return term in words or stem in words


# --- spelling suggestions ------------------------------------------------------------------


def _confusions(word: str) -> Iterator[str]:
    """``word`` with one letter swapped for a confusable one (cost ``CONFUSION_COST``)."""
    for i, ch in enumerate(word):
        for other in _CONFUSABLE.get(ch, ""):
            yield word[:i] + other + word[i + 1 :]


def _spaces(word: str) -> Iterator[str]:
    """``word`` with a space inside (cost ``SPACE_COST``)."""
    for i in range(1, len(word) - 1):
        yield word[:i] + " " + word[i:]


def _typing_errors(word: str) -> Iterator[str]:
    """``word`` with an extra, swapped, wrong or dropped letter undone (cost ``EDIT_COST``)."""
    letters = LATIN_LETTERS if word.isascii() else PERSIAN_LETTERS
    n = len(word)
    for i in range(n):
        yield word[:i] + word[i + 1 :]  # an extra letter
        if i + 1 < n:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # two letters swapped
        for other in letters:
            if other != word[i]:
                yield word[:i] + other + word[i + 1 :]
    for i in range(n + 1):
        for other in letters:
            yield word[:i] + other + word[i:]  # a dropped letter


def _two_confusions(word: str) -> Iterator[str]:
    """Two same-sound letters at once («ثواب» for «صواب» and more; cost 2 × ``CONFUSION_COST``)."""
    for i, a in enumerate(word):
        for x in _CONFUSABLE.get(a, ""):
            for j in range(i + 1, len(word)):
                for y in _CONFUSABLE.get(word[j], ""):
                    yield word[:i] + x + word[i + 1 : j] + y + word[j + 1 :]


#: The candidates of ``correct``, in the order they are tried, with what each costs.
_EDIT_STAGES: tuple[tuple[Callable[[str], Iterator[str]], float], ...] = (
    (_confusions, CONFUSION_COST),
    (_spaces, SPACE_COST),
    (_typing_errors, EDIT_COST),
    (_two_confusions, 2 * CONFUSION_COST),
)


def correct(term: str, lex: Lexicon) -> str | None:
    """The likeliest intended spelling of ``term`` if it is much likelier than ``term`` itself, or ``None``.

    A noisy channel: P(intended) from the index's document counts, P(typed | intended)
    from the edit cost (``_EDIT_STAGES``); the word as typed competes with its own count.
    """
    if not MIN_LENGTH <= len(term) <= MAX_LENGTH or term.isdigit():
        return None
    # another standard spelling (رییس for رئیس) is no misspelling
    found = max([lex.matches(term), *(lex.terms[w] for w in spellings(term, lex))])
    typed = math.log(found) + math.log(GAIN) if found else -math.inf
    best: tuple[float, str] | None = None
    ceiling = lex.most_documents()
    if ceiling <= found:
        return None  # no candidate finds more than the word as typed
    for stage, cost in _EDIT_STAGES:
        # No candidate of this stage can score above log(ceiling) - its cost: when that cannot
        # beat the word as typed or the best so far, its hundreds of strings are not made.
        # (The margin keeps the skip safe from the last bit of rounding in ``math.log``.)
        if math.log(ceiling) - COST_WEIGHT * cost + 1e-9 <= max(typed, best[0] if best else -math.inf):
            continue
        for candidate in stage(term):
            if " " in candidate:
                left, right = candidate.split(" ")
                if len(left) < 2 or len(right) < 2:
                    continue
                # documents expected to hold both words, were they independent
                count = lex.terms.get(left, 0) * lex.terms.get(right, 0) // lex.documents
            else:
                count = lex.terms.get(candidate, 0)
            if count <= found:
                continue
            score = math.log(count) - COST_WEIGHT * cost
            if score > typed and (best is None or score > best[0]):
                best = (score, candidate)
    if best is None:
        return None
    if found and best[0] <= typed + math.log(DICTIONARY_ODDS) and is_standard(term, lex.stem(term)):
        return None  # a real word, used here: not likely enough to be a slip
    return best[1]


def suggest(query: str, lex: Lexicon) -> str | None:
    """The query with its misspelled words corrected, or ``None`` when nothing is.

    Words joined by an extra space («بیمار ستان») are joined when one part is
    rare and the whole is common.
    """
    parts = chunks(query)
    changed = False
    for i, (space, pre, word, post) in enumerate(parts[:MAX_CLAUSES]):
        terms = lex.words(word) if rewritable(pre) else []
        if len(terms) != 1:
            continue
        term = terms[0]
        if i + 1 < len(parts) and not post and not parts[i + 1][1]:
            nxt = lex.words(parts[i + 1][2])
            if len(nxt) == 1 and min(lex.matches(term), lex.matches(nxt[0])) <= RARE:
                joined = term + nxt[0]
                if lex.terms.get(joined, 0) >= GAIN * max(1, min(lex.terms.get(term, 0), lex.terms.get(nxt[0], 0))):
                    parts[i] = (space, pre, joined, post)
                    parts[i + 1] = ("", "", "", parts[i + 1][3])
                    changed = True
                    continue
        fixed = correct(term, lex)
        if fixed is not None:
            parts[i] = (space, pre, fixed, post)
            changed = True
    return " ".join(join(parts).split()) if changed else None


# --- variant spellings ---------------------------------------------------------------------


def _hamza_variants(term: str) -> Iterator[str]:
    """Spellings of ``term`` with one hamza seat written another way.

    ئ is also written ی (رئیس/رییس, ارائه/ارایه) and, before ت or ل, ا
    (هیئت/هیات, مسئله/مساله); ؤ is also written و (مؤثر/موثر); ئو and ؤو
    are also written وو (مسئول/مسؤول/مسوول).
    """
    for i, ch in enumerate(term):
        before, after = term[:i], term[i + 1 :]
        if ch in _SEATS:
            yield before + _SEATS[ch] + after
        if ch in "ئؤ":
            yield before + ("ؤ" if ch == "ئ" else "ئ") + after
        if after[:1] == "و" and ch in "ئؤو":
            yield from (before + x + after for x in "ئؤو" if x != ch)
        if i > 0 and after[:1] in ("ت", "ل") and ch in "ئا":
            yield before + ("ا" if ch == "ئ" else "ئ") + after


def _name_variants(term: str) -> Iterator[str]:
    for a, b in NAME_SPELLINGS:
        for this, other in ((a, b), (b, a)):
            if term.startswith(this):
                yield other + term[len(this) :]


def spellings(term: str, lex: Lexicon) -> list[str]:
    """Other standard spellings of ``term`` (hamza seats, names) that the index holds."""
    return [w for w in {*_hamza_variants(term), *_name_variants(term)} if w != term and lex.terms.get(w, 0) > 0]


def variants(term: str, lex: Lexicon) -> list[str]:
    """Other spellings of ``term`` that the index holds, most frequent first.

    Candidates are kept only where the index holds them:

    >>> sorted(_hamza_variants("هیئت"))
    ['هئئت', 'هیؤت', 'هیات', 'هییت']
    """
    if not MIN_LENGTH <= len(term) <= MAX_LENGTH or term.isdigit():
        return []
    found = set(spellings(term, lex))
    # One confusion away, where exactly one of the two is a standard word and
    # is much more frequent here: the other is a non-standard spelling of it
    # (اطاق/اتاق), not a word of its own (سفر/صفر are both standard: never
    # merged; هیات is frequent in Hamshahri: not a misspelling of حیات).
    standard: bool | None = None  # looked up only when needed: the dictionary takes a second to read
    for i, ch in enumerate(term):
        for x in _CONFUSABLE.get(ch, ""):
            other = term[:i] + x + term[i + 1 :]
            if other in found or lex.terms.get(other, 0) == 0:
                continue
            if standard is None:
                standard = is_standard(term, lex.stem(term))
            if is_standard(other, lex.stem(other)) == standard:
                continue
            rare, common = (term, other) if standard is False else (other, term)
            if lex.terms.get(rare, 0) * GAIN <= lex.terms.get(common, 0):
                found.add(other)
    found.discard(term)
    return sorted(found, key=lambda w: -lex.terms.get(w, 0))


# --- what the engine calls -----------------------------------------------------------------


@dataclass(frozen=True)
class Forgiven:
    """What to search instead of the query as typed, and what to suggest."""

    query: str
    searched: dict[str, Any] | None  # {"query", "original", "reason"} when query was rewritten
    suggestion: str | None


def keyboard(query: str, lex: Lexicon, prefix: bool = False) -> str | None:
    """``query`` with words typed on the wrong keyboard layout read on the other one, or ``None``.

    The one rescue of the search page, the API and the suggestions while typing. With
    ``prefix``, the last word may be unfinished: its other reading need only begin a word
    of the index («hdv» is «ایر», the start of «ایران»).
    """
    query = query[:MAX_QUERY_CHARS]  # what the parser reads
    frequency = lex.frequency
    if prefix:
        last = chunks(query)[-1][2] if query.strip() else ""
        unfinished = {last, to_persian(last), to_latin(last)}

        def frequency(text: str) -> int:
            return lex.frequency(text) or (lex.prefixed(text) if text in unfinished else 0)

    return retype(query, frequency, is_english)


def forgive(query: str, lex: Lexicon) -> Forgiven:
    """Read wrongly-typed words on the other keyboard layout, and suggest spellings."""
    searched = None
    retyped = keyboard(query, lex)
    if retyped is not None:
        searched = {"query": retyped, "original": query, "reason": "keyboard"}
        query = retyped
    return Forgiven(query, searched, suggest(query[:MAX_QUERY_CHARS], lex))


def found_as_variants(query: str, suggestion: str, lex: Lexicon) -> bool:
    """Whether searching ``query`` already found ``suggestion``'s words, as other spellings of its own.

    «کطابخانه» is searched as «کتابخانه» too (a confusion away from a standard word): the
    correction was applied, and is to be said as such, not offered again.
    """
    typed = set(lex.words(query))
    found = typed | {v for word in typed for v in variants(word, lex)}
    corrected = set(lex.words(suggestion))
    return bool(corrected - typed) and corrected <= found


def variant_finder(lex: Lexicon) -> Callable[[str], list[tuple[str, str]]]:
    """``variants`` bound to one lexicon as (spelling, stem) pairs, memoized."""
    memo: dict[str, list[tuple[str, str]]] = {}

    def find(term: str) -> list[tuple[str, str]]:
        if term not in memo:
            memo[term] = [(v, lex.stem(v)) for v in variants(term, lex)]
        return memo[term]

    return find
