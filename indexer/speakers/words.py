"""Words as the speaker rules key and count them: ``key`` (a token without ZWNJ)
and hazm's word list (how common a word is, whether it is a verb form, an adverb or
a conjunction, whether a dictionary lists it at all).

The name rules (``names``) and the extractor read these tests; this module reads no
other speaker module, so that everything may import it.

>>> key("حجت‌الاسلام"), is_verb_form("ندارد"), frequency("قیمت") >= COMMON
('حجتالاسلام', True, True)
"""

from __future__ import annotations

import sys
from functools import cache, lru_cache

from indexer import normalize as normalize_module
from indexer.derived import derived
from indexer.normalize import ZWNJ, normalize

# A word this frequent in hazm's corpus counts is a common word, not a
# surname, when it follows a name («نیکبخت قیمت»); surnames that are
# also words («معین»، «نجار») are still read as the first surname word.
COMMON = 300_000


def key(token: str) -> str:
    """A token as the lexicons key it: without ZWNJ."""
    return token.replace(ZWNJ, "")


@cache
def _frequencies() -> dict[str, int]:
    """hazm's word frequencies, keyed like the lexicons (loaded once). Most of hazm's words
    carry a count of 0 (159,000 of 186,000), everyday ones too («جوان»، «اطلاعات»); one
    tagged a noun or adjective is a dictionary word, as common as ``COMMON`` says (a
    name guessed from rare words is not «جوان دیگری»). Untagged ones stay 0: most surnames
    hazm lists are («هاشمی»، «جهانگیری»)."""
    return {
        k: count or (COMMON if tags & _DICTIONARY_TAGS else 0) for k, (count, tags) in _hazm_words().items()
    }


_DICTIONARY_TAGS = frozenset({"N", "AJ"})


@cache
def _hazm_words() -> dict[str, tuple[int, frozenset[str]]]:
    """hazm's word list: each word's corpus count and every part-of-speech
    tag it is listed with (a word may be listed more than once).

    Derived once and then read from the cache (``indexer.derived``): a reindex loads it in the
    parent before forking its workers, and deriving it there (importing hazm) was the longest
    stretch during which a two-process reindex used one core.
    """
    return derived("speaker-words", [sys.modules[__name__], normalize_module], _words_from_hazm)


def _words_from_hazm() -> dict[str, tuple[int, frozenset[str]]]:
    from hazm.utils import words_list

    words: dict[str, tuple[int, frozenset[str]]] = {}
    for word, count, tags in words_list():
        k = key(normalize(word))
        old_count, old_tags = words.get(k, (0, frozenset()))
        words[k] = (max(count, old_count), old_tags | frozenset(tags))
    return words


def load_lexicons() -> None:
    """Load the word lists the rules read (seconds, once a process): a parent calls
    it before forking workers, so that they share one copy instead of each loading it."""
    from indexer.stem import load_lexicon

    _hazm_words()
    _frequencies()
    load_lexicon()


# hazm's tags of words that only modify a clause: adverbs, conjunctions
# (and its markers for residual and untagged entries).
_CLAUSE_TAGS = frozenset({"ADV", "CONJ", "RES", "0"})


@lru_cache(maxsize=200_000)
def is_clause_word(token: str) -> bool:
    """An adverb or conjunction by hazm's lexicon, never part of a name:
    listed only as ADV or CONJ, with no noun or adjective sense («قطعا»،
    «اساسا»، «درواقع»، «اگرچه»، «چنانچه»). Words of three letters or less
    are left out: they are also syllables of foreign names («سو کی لان»،
    «کیم جو کین»).

    >>> is_clause_word("قطعا"), is_clause_word("اگرچه"), is_clause_word("کین"), is_clause_word("تیزپاک")
    (True, True, False, False)
    """
    k = key(token)
    tags = _hazm_words().get(k, (0, frozenset()))[1]
    return len(k) > 3 and bool(tags & {"ADV", "CONJ"}) and tags <= _CLAUSE_TAGS


def in_dictionary(token: str) -> bool:
    """Whether hazm's word list has the word at all (its count may be 0)."""
    return key(token) in _frequencies()


def frequency(token: str) -> int:
    """How common a word is in hazm's corpus (0 when unknown)."""
    return _frequencies().get(key(token), 0)


def counted(token: str) -> int:
    """hazm's own count of a word (0 for most words, everyday ones too): beside a strong
    cue (a role after it, quote marks) a word it never counted may still be a name («گرونتال»)."""
    return _hazm_words().get(key(token), (0, frozenset()))[0]


@lru_cache(maxsize=200_000)
def is_verb_form(token: str) -> bool:
    """A conjugated verb («ندارد»، «می‌گوید»), by hazm's conjugation table."""
    from indexer.stem import get_stemmer

    return "#" in get_stemmer("lexicon")(key(token))


def token_keys(tokens: list[str]) -> list[str]:
    """``key`` of each token, at once: tokens hold no spaces (see ``names._TOKEN``), so the
    joined text splits back into one key a token.

    >>> token_keys(["حجت‌الاسلام", "سید", "،"])
    ['حجتالاسلام', 'سید', '،']
    """
    return " ".join(tokens).replace(ZWNJ, "").split(" ") if tokens else []
