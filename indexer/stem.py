"""Stemmers for canonical terms, chosen by name.

Terms reach a stemmer in their joined canonical form («کتابها», not
«کتاب‌ها»). hazm's tools expect ZWNJs, so the ``lexicon`` stemmer re-keys
hazm's word list and verb conjugations by their joined spelling and strips
suffixes only when what is left is a known word: that avoids the classic
errors (Snowball: دانشگاه -> دانش; hazm's Stemmer: ایران -> ایر).

Every stemmer caches its answers: news vocabulary repeats, so the cost per
token after warm-up is a dict lookup (``Stemmer.many`` stems a whole text's
terms with set and dict operations). The cache is bounded and
``clear_cache`` empties it. Latin terms get the English Snowball stemmer
whatever the Persian choice.

>>> stemmer = get_stemmer("lexicon")
>>> [stemmer(w) for w in ["کتابها", "دانشگاه", "ایران", "میتوانیم", "نامهای", "elections"]]
['کتاب', 'دانشگاه', 'ایران', 'توانست#توان', 'نامه', 'elect']
>>> stemmer.many(["کتابها", "ایران", "کتابها"])
['کتاب', 'ایران', 'کتاب']
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Container
from functools import cache
from operator import itemgetter
from typing import Protocol, cast

import Stemmer as snowball

from indexer import normalize as normalize_module
from indexer.derived import derived, derived_tables
from indexer.normalize import ZWNJ, normalize

#: Stemmer names accepted by ``get_stemmer`` (and ``kavosh reindex --stemmer``).
STEMMERS = ("none", "snowball", "hazm-stemmer", "hazm-lemmatizer", "lexicon")
DEFAULT_STEMMER = "lexicon"

# Inflections the lexicon stemmer strips whenever the rest is a known word
# (hazm's word list also holds many inflected forms such as «کتابها»), longest
# first so «هایشان» goes before «ها».
_INFLECTIONS = sorted(
    ["ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان"],
    key=len,
    reverse=True,
)
# Endings that are often part of the word itself («ایران», «دانشگاه»): stripped
# only from words that are not lexemes of their own (see ``_Lexicon``).
_ENDINGS = sorted(
    ["ترین", "تر", "ان", "ات", "ی", "یی", "ای", "ام", "ت", "ش", "اش", "مان", "تان", "شان", "یم", "ید", "ند"],
    key=len,
    reverse=True,
)
#: The indefinite «ای» after a final «ه» («نامه‌ای», «هفته‌ای») joins to the spelling of the
#: plural «های» after the word without its «ه» («نام‌های»): when the word with «ه» is a common
#: lexeme, it is the reading (a letter, not names; a week, not sevens; but «کتابهای» is books,
#: not the rare «کتابه»).
_HEH_YEH = "های"
#: hazm's word list also lists 158,000 inflected and derived forms without a part of speech
#: or a count («کتابی», «زیادی», «خوبترین», «شادمانی»). An ending is stripped from such a form
#: when what is left is a lexeme this common (a count in hazm's corpus): «کتاب» (13.8 M) and
#: «زیاد» (5.3 M) are, «شادمان» (142 k) is not, so «شادمانی» (happiness) stays its own word.
MIN_BASE_COUNT = 1_000_000


def _by_length(suffixes: list[str]) -> list[tuple[int, frozenset[str]]]:
    """Suffixes grouped by length, longest first: one slice and one set lookup per length.

    Two suffixes of one length never both end a word, so trying the groups longest
    first tries the suffixes in the order of the list.

    >>> [(n, sorted(group)) for n, group in _by_length(["های", "ها", "هم"])]
    [(3, ['های']), (2, ['ها', 'هم'])]
    """
    lengths = sorted({len(s) for s in suffixes}, reverse=True)
    return [(n, frozenset(s for s in suffixes if len(s) == n)) for n in lengths]


_INFLECTIONS_BY_LENGTH = _by_length(_INFLECTIONS)
_INFLECTIONS_START = "ها"  # what every inflection starts with
assert all(inflection.startswith(_INFLECTIONS_START) for inflection in _INFLECTIONS)
_ENDINGS_BY_LENGTH = _by_length(_ENDINGS)
# The plural endings of a word hazm tags as a plural («جامدات», «مشروبات»); broken plurals
# («سهام», «آثار») have none and stay whole.
_PLURALS_BY_LENGTH = _by_length(["ات", "ان", "ین"])


def _joined(word: str) -> str:
    return normalize(word).replace(ZWNJ, "").replace(" ", "")


def _all_joined(words: list[str]) -> list[str]:
    """``_joined`` of each word, normalized as one text: half the start-up time of word by word.

    Every rule of ``normalize`` is per character or collapses spaces (removed here anyway),
    and NUL, which no word holds, keeps the words apart.

    >>> _all_joined(["مي شود", "كتاب\u200cها"]) == [_joined("مي شود"), _joined("كتاب\u200cها")]
    True
    """
    if any("\0" in word for word in words):
        return [_joined(word) for word in words]
    return normalize("\0".join(words)).replace(ZWNJ, "").replace(" ", "").split("\0")


#: Words a lexicon stems from its tables on disk before it loads itself whole: a search stems a
#: handful (tens of microseconds each from the file, where loading the lexicon takes half a
#: second of CPU), a reindex or a server hundreds of thousands (a dict lookup each once loaded).
LOAD_AFTER = 2_000


class _Lexicon:
    """hazm's lexicon keyed by joined spelling (derived once, then read from the cache).

    ``words`` is every form the word list holds; ``lexemes`` those it gives a part of
    speech (35,000 of 193,000), ``plurals`` («جامدات», tagged PL) left out; ``common`` the
    lexemes counted at least ``MIN_BASE_COUNT`` times; ``compounds`` the parts of the
    compounds it writes with a ZWNJ.

    It starts on the cache's SQLite copy of these (``derived_tables``), a lookup a query, and
    ``load``s them into memory after ``LOAD_AFTER`` stems, or when a caller knows it will stem
    many words. The answers are the same either way (tests/test_stem.py).
    """

    words: Container[str]
    verbs: Lookup[str]
    lexemes: Container[str]
    plurals: Container[str]
    common: Container[str]
    compounds: Lookup[tuple[str, ...]]

    def __init__(self) -> None:
        self.loaded = False
        self._stemmed = 0
        tables = derived_tables("stemmer-lexicon", [sys.modules[__name__], normalize_module], _as_tables)
        if tables is None:  # no cache to write the tables to: loaded whole, as from hazm
            self.load()
            return
        self.words, self.lexemes, self.plurals, self.common = (
            tables.table(name, str) for name in ("words", "lexemes", "plurals", "common")
        )
        self.verbs = tables.table("verbs", str)
        self.compounds = tables.table("compounds", _parts_of)

    def load(self) -> None:
        """Read the whole lexicon into memory (half a second of CPU; a dict or set lookup a word from then on)."""
        if self.loaded:
            return
        lexicon = _lexicon_data()
        self.words, self.verbs, self.lexemes, self.plurals, self.common, self.compounds = lexicon
        self.loaded = True

    def parts(self, term: str) -> tuple[str, ...]:
        """The parts of a known compound written together, else ``()``: see ``compound_parts``."""
        known = self.compounds.get(term)
        if known is not None:
            return known
        if term.startswith(COMPOUND_HEADS):
            for head in COMPOUND_HEADS:
                rest = term[len(head) :]
                if term.startswith(head) and len(rest) > 1 and rest in self.lexemes:
                    return (head, rest)
        return ()

    def stem(self, term: str) -> str:
        if not self.loaded:
            self._stemmed += 1
            if self._stemmed > LOAD_AFTER:
                self.load()
        if _INFLECTIONS_START in term:  # else no inflection ends it (most words): no slicing
            if term.endswith(_HEH_YEH) and term[:-2] in self.common:  # «نامهای»: نامه + ای
                return term[:-2]
            rest = self._strip(term, _INFLECTIONS_BY_LENGTH, self.words)
            if rest is not None:
                return rest
        if term.endswith("ه"):
            participle = self._participle(term)
            if participle is not None:  # «گفته», «نچشیده»: the verb, as its other forms
                return participle
        lemma = self.verbs.get(term)
        # The word list also holds some verb forms («میکند»): prefer the lemma
        # for forms with a verbal prefix, the word itself otherwise («کرد»).
        if lemma is not None and (
            (term.startswith(("می", "نمی")) and term not in ("می", "نمی")) or term not in self.words
        ):  # «می» alone is a word (the month in «ماه می»), not «است»
            return str(lemma)
        if term in self.lexemes:
            return term
        if term in self.plurals:  # «جامدات»: the lexeme it is the plural of (not «سهام»: سه + ام)
            return self._strip(term, _PLURALS_BY_LENGTH, self.lexemes) or term
        if term in self.words:  # a listed inflected form: only a common lexeme is its stem
            return self._strip(term, _ENDINGS_BY_LENGTH, self.common) or term
        return self._strip(term, _ENDINGS_BY_LENGTH, self.words) or term

    def _participle(self, term: str) -> str | None:
        """The lemma of a past participle («گفته» -> گفت#گو), also negated («نچشیده»): the word
        without its «ه» is the past stem of the verb, not merely some form of it («زنده» is not
        «زند», a form of زدن whose past stem is زد).

        Most participles are also in the word list as adjectives and nouns («گفته», «بسته»); as
        Lucene's and hazm's analyses do, they are stemmed with their verb.
        """
        for stem in (term[:-1], term[1:-1] if term.startswith("ن") else ""):
            lemma = self.verbs.get(stem)
            if lemma is not None and str(lemma).split("#", 1)[0] == stem:
                return str(lemma)
        return None

    @staticmethod
    def _strip(term: str, suffixes: list[tuple[int, frozenset[str]]], known: Container[str]) -> str | None:
        """What is left of ``term`` without its longest suffix that leaves a ``known`` word (of 2+ letters)."""
        longest = len(term) - 2  # what is left must have two letters
        for length, group in suffixes:
            if length <= longest and term[-length:] in group:
                rest = term[:-length]
                if rest in known:
                    return rest
        return None


LexiconData = tuple[set[str], dict[str, str], set[str], set[str], set[str], dict[str, tuple[str, ...]]]


class Lookup[V](Protocol):
    """What the stemmer asks of a mapping: a ``dict``, or a table on disk (``indexer.derived.Table``)."""

    def get(self, key: str, /) -> V | None: ...


def _lexicon_data() -> LexiconData:
    return derived("stemmer-lexicon", [sys.modules[__name__], normalize_module], _from_hazm)


def _as_tables() -> dict[str, dict[str, str]]:
    """The lexicon as tables of strings (``derived_tables``): a set's words map to "", a compound to
    its parts joined by NUL (``_parts_of``)."""
    words, verbs, lexemes, plurals, common, compounds = _lexicon_data()
    tables = {name: dict.fromkeys(group, "") for name, group in
              (("words", words), ("lexemes", lexemes), ("plurals", plurals), ("common", common))}  # fmt: skip
    return {**tables, "verbs": verbs, "compounds": {whole: "\0".join(parts) for whole, parts in compounds.items()}}


def _parts_of(joined: str) -> tuple[str, ...]:
    return tuple(joined.split("\0"))


def _from_hazm() -> LexiconData:
    """hazm's words, verb forms (form -> «past#present» lemma), lexemes, plurals, common lexemes
    and ZWNJ compounds (see ``_Lexicon``), keyed by their joined spelling."""
    from hazm import Lemmatizer
    from hazm.utils import words_list

    lemmatizer = Lemmatizer(joined_verb_parts=False)
    words = set(_all_joined(list(lemmatizer.words)))
    forms = list(lemmatizer.verbs)
    verbs = {joined: str(lemmatizer.verbs[form]) for form, joined in zip(forms, _all_joined(forms), strict=True)}
    verbs.pop("", None)
    listed = [(word, count, tags) for word, count, tags in words_list() if tags != ("0",)]
    joined = _all_joined([word for word, _, _ in listed])
    plurals = {word for word, (_, _, tags) in zip(joined, listed, strict=True) if "PL" in tags}
    lexemes = set(joined) - plurals
    common = {word for word, (_, count, _) in zip(joined, listed, strict=True) if count >= MIN_BASE_COUNT} - plurals
    # hazm writes 13,000 compounds with a ZWNJ («هم‌زمان»): their parts, by joined spelling
    written = [word for word, _, _ in listed if ZWNJ in word]
    compounds = {
        whole: tuple(normalize(word).split(ZWNJ))
        for word, whole in zip(written, _all_joined(written), strict=True)
        if all(len(part) > 1 for part in normalize(word).split(ZWNJ))
    }
    return words, verbs, lexemes, plurals, common, compounds


#: Words that begin compounds written apart, together or with a ZWNJ («این جا», «اینجا»,
#: «این‌جا»; «هم زمان», «بی دلیل», «چند سال»): a word that starts with one and goes on with a
#: lexeme is split there for matching. Not «به»: «به میدان» is a preposition and its noun.
COMPOUND_HEADS = ("این", "آن", "هم", "بی", "چند", "هر")


@cache
def _lexicon() -> _Lexicon:
    return _Lexicon()


def load_lexicon() -> None:
    """Load the ``lexicon`` stemmer's word lists whole now: for a process that will stem many words
    (a reindex, a server), and before it forks workers, so that they share one copy."""
    _lexicon().load()


def compound_parts(term: str) -> tuple[str, ...]:
    """The words a compound written together («همزمان», «اینجا») is also written apart with:
    from hazm's compounds written with a ZWNJ, and a ``COMPOUND_HEADS`` word followed by a
    lexeme. ``()`` for any other term.

    >>> compound_parts("همزمان"), compound_parts("اینجا"), compound_parts("ایران")
    (('هم', 'زمان'), ('این', 'جا'), ())
    """
    return _lexicon().parts(term)


def is_lexeme(term: str) -> bool:
    """Whether hazm's word list gives ``term`` (joined spelling) a part of speech: a word of its own,
    which the stemmer strips no ending from and a search never cuts into parts (``search.decompound``).

    >>> is_lexeme("چهارمحال"), is_lexeme("همسرداری")
    (True, False)
    """
    return term in _lexicon().lexemes


@cache
def _persian_stemmer(name: str) -> Callable[[str], str]:
    if name == "none":
        return lambda term: term
    if name == "snowball":
        return cast(Callable[[str], str], snowball.Stemmer("persian").stemWord)
    if name == "hazm-stemmer":
        from hazm import Stemmer as HazmStemmer

        return cast(Callable[[str], str], HazmStemmer().stem)
    if name == "hazm-lemmatizer":
        from hazm import Lemmatizer

        return cast(Callable[[str], str], Lemmatizer().lemmatize)
    if name == "lexicon":
        return _lexicon().stem
    raise ValueError(f"unknown stemmer {name!r}; choose one of {', '.join(STEMMERS)}")


#: Most distinct terms a stemmer remembers (per process): a 100k-article reindex meets
#: a few hundred thousand; past the bound new terms are stemmed every time.
CACHE_SIZE = 300_000
_memos: list[dict[str, str]] = []  # every Stemmer's cache, for clear_cache


def clear_cache() -> None:
    """Forget every stemmer's cached answers (the benchmark times a cold pass with it)."""
    for memo in _memos:
        memo.clear()


class Stemmer:
    """``term -> stem`` for one Persian stemmer, Latin terms by English Snowball, with a bounded cache.

    A forked worker starts with a copy of its parent's cache; threads share it (dict
    operations are atomic under the GIL, and a miss only costs a recomputation).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._persian = _persian_stemmer(name)
        self._english = snowball.Stemmer("english").stemWord
        self._memo: dict[str, str] = {}
        _memos.append(self._memo)

    def __call__(self, term: str) -> str:
        try:
            return self._memo[term]
        except KeyError:
            pass
        result = self._stem(term)
        if len(self._memo) < CACHE_SIZE:
            self._memo[term] = result
        return result

    def many(self, terms: list[str]) -> list[str]:
        """The stem of each of ``terms``: the same as ``[self(t) for t in terms]``, in C loops when cached."""
        memo = self._memo
        missing = set(terms).difference(memo)
        found = {term: self._stem(term) for term in missing}
        if found and len(memo) + len(found) <= CACHE_SIZE:
            memo.update(found)
        try:
            if len(terms) > 1:  # ``itemgetter`` of many keys: a quarter faster than ``map``
                return list(itemgetter(*terms)(memo))
            return [memo[term] for term in terms]
        except KeyError:  # the cache is full, or was cleared meanwhile
            return [found[term] if term in found else self(term) for term in terms]

    def _stem(self, term: str) -> str:
        first = term[:1]
        if first.isascii() and first.isalpha():  # a Latin term
            return str(self._english(term))
        if term.isdigit():
            return term
        return self._persian(term) or term


@cache
def get_stemmer(name: str = DEFAULT_STEMMER) -> Stemmer:
    """The (shared, cached) ``Stemmer`` of the named Persian stemmer."""
    return Stemmer(name)
