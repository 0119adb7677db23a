"""Stemmers for canonical terms, chosen by name.

Terms reach a stemmer in their joined canonical form («کتابها», not
«کتاب‌ها»). hazm's tools expect ZWNJs, so the ``lexicon`` stemmer re-keys
hazm's word list and verb conjugations by their joined spelling and strips
suffixes only when what is left is a known word: that avoids the classic
errors (Snowball: دانشگاه -> دانش; hazm's Stemmer: ایران -> ایر).

Every stemmer caches its answers: news vocabulary repeats, so the cost per
token after warm-up is a dict lookup. Latin terms get the English Snowball
stemmer whatever the Persian choice.

>>> stemmer = get_stemmer("lexicon")
>>> [stemmer(w) for w in ["کتابها", "دانشگاه", "ایران", "میتوانیم", "elections"]]
['کتاب', 'دانشگاه', 'ایران', 'توانست#توان', 'elect']
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import cast

import Stemmer as snowball

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


def _is_latin(term: str) -> bool:
    return term[:1].isascii() and term[:1].isalpha()


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
    """hazm's lexicon keyed by joined spelling."""

    def __init__(self) -> None:
        from hazm import Lemmatizer

        lemmatizer = Lemmatizer(joined_verb_parts=False)
        self.words = set(_all_joined(list(lemmatizer.words)))
        forms = list(lemmatizer.verbs)
        self.verbs = {joined: lemmatizer.verbs[form] for form, joined in zip(forms, _all_joined(forms), strict=True)}
        self.verbs.pop("", None)

    def stem(self, term: str) -> str:
        rest = self._strip(term, _INFLECTIONS)
        if rest is not None:
            return rest
        lemma = self.verbs.get(term)
        # The word list also holds some verb forms («میکند»): prefer the lemma
        # for forms with a verbal prefix, the word itself otherwise («کرد»).
        if lemma is not None and (term.startswith(("می", "نمی")) or term not in self.words):
            return str(lemma)
        if term in self.words:
            return term
        return self._strip(term, _ENDINGS) or term

    def _strip(self, term: str, suffixes: list[str]) -> str | None:
        for suffix in suffixes:
            if term.endswith(suffix) and len(term) - len(suffix) >= 2:
                rest = term[: -len(suffix)]
                if rest in self.words:
                    return rest
        return None


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


@cache
def get_stemmer(name: str = DEFAULT_STEMMER) -> Callable[[str], str]:
    """A cached ``term -> stem`` function for the named Persian stemmer."""
    persian = _persian_stemmer(name)
    english = snowball.Stemmer("english").stemWord
    memo: dict[str, str] = {}

    def stem(term: str) -> str:
        try:
            return memo[term]
        except KeyError:
            pass
        if _is_latin(term):
            result = str(english(term))
        elif term.isdigit():
            result = term
        else:
            result = persian(term) or term
        if len(memo) < 500_000:  # bounded: a pathological corpus cannot exhaust memory
            memo[term] = result
        return result

    return stem
