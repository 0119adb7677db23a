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
>>> [stemmer(w) for w in ["کتابها", "دانشگاه", "ایران", "میتوانیم", "elections"]]
['کتاب', 'دانشگاه', 'ایران', 'توانست#توان', 'elect']
>>> stemmer.many(["کتابها", "ایران", "کتابها"])
['کتاب', 'ایران', 'کتاب']
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import cast

import Stemmer as snowball

from indexer import normalize as normalize_module
from indexer.derived import derived
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
# only from words the lexicon does not know.
_ENDINGS = sorted(
    ["ترین", "تر", "ان", "ات", "ی", "یی", "ای", "ام", "ت", "ش", "مان", "تان", "شان", "یم", "ید", "ند"],
    key=len,
    reverse=True,
)


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


class _Lexicon:
    """hazm's lexicon keyed by joined spelling (derived once, then read from the cache)."""

    def __init__(self) -> None:
        self.words, self.verbs = derived("stemmer-lexicon", [sys.modules[__name__], normalize_module], _from_hazm)

    def stem(self, term: str) -> str:
        if _INFLECTIONS_START in term:  # else no inflection ends it (most words): no slicing
            rest = self._strip(term, _INFLECTIONS_BY_LENGTH)
            if rest is not None:
                return rest
        lemma = self.verbs.get(term)
        # The word list also holds some verb forms («میکند»): prefer the lemma
        # for forms with a verbal prefix, the word itself otherwise («کرد»).
        if lemma is not None and (term.startswith(("می", "نمی")) or term not in self.words):
            return str(lemma)
        if term in self.words:
            return term
        return self._strip(term, _ENDINGS_BY_LENGTH) or term

    def _strip(self, term: str, suffixes: list[tuple[int, frozenset[str]]]) -> str | None:
        """What is left of ``term`` without its longest suffix that leaves a known word (of 2+ letters)."""
        longest = len(term) - 2  # what is left must have two letters
        for length, group in suffixes:
            if length <= longest and term[-length:] in group:
                rest = term[:-length]
                if rest in self.words:
                    return rest
        return None


def _from_hazm() -> tuple[set[str], dict[str, str]]:
    """hazm's words and verb forms (form -> «past#present» lemma), keyed by their joined spelling."""
    from hazm import Lemmatizer

    lemmatizer = Lemmatizer(joined_verb_parts=False)
    words = set(_all_joined(list(lemmatizer.words)))
    forms = list(lemmatizer.verbs)
    verbs = {joined: str(lemmatizer.verbs[form]) for form, joined in zip(forms, _all_joined(forms), strict=True)}
    verbs.pop("", None)
    return words, verbs


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
        return _Lexicon().stem
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
