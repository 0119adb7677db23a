"""Tokens and person names: where a name starts, where it ends.

A name is read from a position in a token list: optional honorifics
(«حجت‌الاسلام سید»), then either a run of given names and a surname
(«محمدباقر تیزپاک»، «محمد رضا آذین نژاد») or, after an honorific, any
name-like words («سردار نوروزپاد»). A name ends at a role, a preposition,
a time word, punctuation, or a common word (hazm's frequencies say which
words are common: «محمود نیکبخت قیمت ...» stops before «قیمت»).

Tokens come from ``tokens.tokenize``, which imports this module.

>>> from indexer.speakers.tokens import tokenize
>>> toks = tokenize("حجت‌الاسلام سید محمد رضا آذین نژاد در جلسه گفت")
>>> read_name(toks, 0)
(6, ['محمد', 'رضا', 'آذین', 'نژاد'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.normalize import ZWNJ
from indexer.speakers.initials import is_initial
from indexer.speakers.lexicon import (
    ALLAH_HEADS,
    AMBIGUOUS_GIVEN_NAMES,
    DESCRIPTORS,
    GIVEN_NAME_HEADS,
    GIVEN_NAME_TAILS,
    GIVEN_NAMES,
    HONORIFIC_HEADS,
    HONORIFIC_TAILS,
    HONORIFICS,
    NAME_JOINERS,
    NATIONALITIES,
    ORGANIZATIONS,
    PRONOUNS,
    ROLES,
    STOP,
    SURNAME_PARTS,
    SURNAME_SECONDS,
    VERB_STARTS,
)
from indexer.speakers.words import COMMON, frequency, in_dictionary, is_clause_word, is_verb_form, key, token_keys

if TYPE_CHECKING:
    from indexer.speakers.model import NameModel

_LETTERS = re.compile(r"[\u0600-\u06ff\u200ca-z]+")
_MAX_NAME_WORDS = 5
# Fewer occurrences than this in hazm's corpus make a word rare.
_RARE = 1000
# Verbs that make a compound verb with the noun before them («قدردانی شد»، «شناسایی کرد»).
_LIGHT_VERBS = frozenset({"شد", "شده", "شود", "میشود", "کرد", "کرده", "کند", "میکند", "نمود", "نموده", "گردید", "داد"})


# News vocabulary repeats: the word tests below are cached (bounded, so a
# pathological corpus cannot exhaust memory).
@lru_cache(maxsize=200_000)
def is_given_name(token: str) -> bool:
    """A given name: listed (``is_listed_given_name``) or one the corpus uses as a
    given name (``model.corpus_names``: «شکور»، «جروم»)."""
    return is_listed_given_name(token) or key(token) in _corpus().given


def is_corpus_surname(token: str) -> bool:
    """A word the corpus uses as a surname («مهرپویان»، «گرونتال»): see ``model``; or
    one shaped as a surname (``is_surname_shaped``)."""
    return key(token) in _corpus().surnames or is_surname_shaped(token)


# Endings of a Persian surname joined to its stem by a ZWNJ («بهرنگ‌نژاد»، «مهرآیین‌زاده»، «بهرنگ‌فر»);
# without a ZWNJ only the unmistakable ones («علیزاده»، «حسین‌پور»), as «نفر»، «دنیا»، «افراد» end so too.
_JOINED_ENDINGS = ("نژاد", "زاده", "پور", "فر", "نیا", "راد", "کیا", "منش", "وند", "لو", "یگانه")
_GLUED_ENDINGS = ("نژاد", "زاده", "پور")


@lru_cache(maxsize=200_000)
def is_surname_shaped(token: str) -> bool:
    """A surname by its shape: a stem and a surname ending, joined by a ZWNJ or glued.

    >>> is_surname_shaped("بهرنگ‌نژاد"), is_surname_shaped("مهرآیین‌زاده"), is_surname_shaped("علیزاده")
    (True, True, True)
    >>> is_surname_shaped("دنیا"), is_surname_shaped("شاهزاده"), is_surname_shaped("آزاده"), is_surname_shaped("نفر")
    (False, False, False, False)
    """
    stem, zwnj, ending = token.rpartition(ZWNJ)
    if zwnj:
        return ending in _JOINED_ENDINGS and len(key(stem)) >= 2 and _LETTERS.fullmatch(token) is not None
    k = key(token)
    return (
        any(k.endswith(e) and len(k) - len(e) >= 3 for e in _GLUED_ENDINGS)
        and not is_listed_given_name(k)
        and k not in ROLES
        and frequency(k) < COMMON
    )


def surname_apart(first: str, second: str) -> bool:
    """Whether two words are one surname written apart: joined, they are a word the corpus
    uses as a surname («رهنمافرد» learned, so «رهنما فرد» is it, not «رهنما» and «individual»).
    The corpus writes the same surname joined in some articles and apart in others; its
    own joined spelling shows where a common second word («فرد»، «نام»، «عادل») belongs.

    >>> from indexer.speakers.model import NameModel
    >>> _set_corpus(NameModel(surnames=frozenset({"رهنمافرد"})))
    >>> surname_apart("رهنما", "فرد"), surname_apart("رهنما", "نام"), surname_apart("فرد", "رهنما")
    (True, False, False)
    >>> _set_corpus(None)
    """
    return key(first) + key(second) in _corpus().surnames


def is_outlet(token: str) -> bool:
    """A word the corpus uses as an outlet's name («رویترز»): never a speaker."""
    return key(token) in _corpus().outlets


def reports_outlet(token: str) -> bool:
    """An outlet's name in the report frame «به گزارش X»: an outlet, or an everyday word the
    corpus uses as one there («مهر»)."""
    return is_outlet(token) or key(token) in _corpus().reports


_override: list[NameModel] = []  # a model set by ``_set_corpus`` (doctests)


def _corpus() -> NameModel:
    if _override:
        return _override[0]
    from indexer.speakers.model import corpus_names  # the model reads this module's rules

    return corpus_names()


def _set_corpus(model: NameModel | None) -> None:
    """Use ``model`` instead of the corpus lists (``None``: the lists again), for doctests."""
    _override[:] = [model] if model is not None else []
    for cached in (is_given_name, is_surname_shaped, is_plural_noun, is_name_word, may_start_name, inflected_noun):
        cached.cache_clear()
    for clear in _CORPUS_CACHES:
        clear()


# The ``cache_clear`` of cached tests in modules that import this one (``tokens._unglue``), whose
# answers read the corpus model too: ``_set_corpus`` calls them, without importing those modules.
_CORPUS_CACHES: list[Callable[[], None]] = []


def clear_with_corpus(clear: Callable[[], None]) -> None:
    """Have ``_set_corpus`` call ``clear`` (a cache's ``cache_clear``) whenever the model changes."""
    _CORPUS_CACHES.append(clear)


@lru_cache(maxsize=200_000)
def is_listed_given_name(token: str) -> bool:
    """A given name of the hand-written lists, single or compound («محمدباقر»، «ولی‌الله»، «عبدالرضا»).
    A preposition joined by a ZWNJ makes a word, not a name: «به‌نام» is «named», not Behnam."""
    if token.partition(ZWNJ)[0] in _JOINED_PREPOSITIONS and ZWNJ in token:
        return False
    k = key(token)
    if k in GIVEN_NAMES or (k.startswith("سید") and k[3:] in GIVEN_NAMES):  # «سیدعباس»
        return True
    for head in GIVEN_NAME_HEADS:
        rest = k[len(head) :]
        if k.startswith(head) and (rest in GIVEN_NAMES or rest in GIVEN_NAME_TAILS):
            return True
    if k.endswith(("الله", "اله")) and k[: k.rindex("ال")] in ALLAH_HEADS:
        return True
    if k.endswith(_DIN) and len(k) - len(_DIN) >= 2 and _LETTERS.fullmatch(k):
        return True  # «علاءالدین»، «شمس‌الدین»: «... الدین» makes a given name of any head
    return any(k.endswith(tail) and k[: -len(tail)] in GIVEN_NAMES for tail in GIVEN_NAME_TAILS if len(k) > len(tail))


#: «the faith»: the tail of compound given names, whatever their head («علاءالدین»، «فخرالدین»).
_DIN = "الدین"


@lru_cache(maxsize=200_000)
def is_name_word(token: str) -> bool:
    """A word that can be part of a person's name: letters only, and not a
    role, honorific, pronoun, organization or function word, nor a role joined to
    more by a ZWNJ («رئیس‌جمهوری‌آمریکا»; «قاضی‌نژاد» is a surname)."""
    k = key(token)
    if is_initial(token):
        return True  # tokenize keeps the dot only for an initial before a name («ام. تیبور هالستد»)
    return (
        len(k) >= 2
        and bool(_LETTERS.fullmatch(token))
        and not any(k in words for words in (STOP, ROLES, HONORIFICS, PRONOUNS, ORGANIZATIONS))
        and (ZWNJ not in token or key(token.partition(ZWNJ)[0]) not in ROLES or is_surname_shaped(token))
        and not _PLURAL_ROLE.fullmatch(k)
        and k not in DESCRIPTORS
        and not (k not in GIVEN_NAMES and (_is_verb(k) or is_clause_word(token)))  # «شنیدیم»، «قطعا»
        and not is_plural_noun(token)
        and not _never_a_name_ending(token)
    )


#: A word this common before the indefinite «ای» makes a noun phrase («ساده‌ای»، «نامه‌ای»); surnames in
#: «‌ای» have rarer stems («کلاته‌ای») or are a given name's («کاوه‌ای») or the corpus's.
_VERY_COMMON = 1_000_000


@lru_cache(maxsize=200_000)
def inflected_noun(token: str) -> int:
    """How common the word is that ``token`` inflects with an ending no name takes, when hazm gives
    ``token`` no count of its own: the ezafe «ی» after a vowel («فضای» of «فضا»، «دانشجوی»), the
    indefinite «ای» after a silent «ه» («ساده‌ای»), a participle's plural («کنندگان» of «کننده»);
    0 otherwise, and for the forms of a given name or a corpus surname («کاوه‌ای»: hazm splits some
    surnames in «ای» and counts their stem).

    >>> [inflected_noun(w) >= COMMON for w in ("فضای", "دانشجوی", "ساده‌ای", "کنندگان")]
    [True, True, True, True]
    >>> [inflected_noun(w) >= COMMON for w in ("کلاته‌ای", "موسوی", "کاوه‌ای", "هالستد")]
    [False, False, False, False]
    """
    return max((frequency(s) for s in _inflected(token).values() if not is_listed_given_name(s)), default=0)


def _inflected(token: str) -> dict[str, str]:
    """The stems ``token`` may be an inflection of, by ending: «ندگان» (a participle's plural, stem
    in «ه»), «ای» (the indefinite after a silent «ه»), «ی» (the ezafe after a vowel); none for a
    word hazm counts, a listed given name or a corpus surname. A word may fit two endings (the
    second stem of «ساده‌ای» is no word: hazm gives it no count).

    >>> _inflected("کنندگان"), _inflected("فضای"), _inflected("ساده‌ای")
    ({'ندگان': 'کننده'}, {'ی': 'فضا'}, {'ای': 'ساده', 'ی': 'سادها'})
    """
    k = key(token)
    if frequency(k) or is_listed_given_name(token) or is_corpus_surname(token):
        return {}
    stems = {}
    if k.endswith("ندگان"):
        stems["ندگان"] = k[: -len("گان")] + "ه"
    if k.endswith("ای") and k[-3:-2] == "ه":
        stems["ای"] = k[:-2]
    if k.endswith("ی") and k[-2:-1] in ("ا", "و"):
        stems["ی"] = k[:-1]
    return stems


def _never_a_name_ending(token: str) -> bool:
    """The indefinite «ای» of a very common word or a participle's plural: in a name neither first
    nor last («پیام کوتاه‌ای»، «X جمله‌ای گفت»، «توقیع کنندگان»)."""
    stems = _inflected(token)
    if "ندگان" in stems:
        return frequency(stems["ندگان"]) >= COMMON
    return "ای" in stems and frequency(stems["ای"]) >= _VERY_COMMON


# Plural endings of nouns, glued or after a ZWNJ; a name never takes one («صحبت‌های نوری‌زاده»).
# Not «ان»: it also ends given names and surnames («پوران»، «کیوان»، «کریمیان»).
_PLURALS = ("هایی", "های", "ها")


@lru_cache(maxsize=200_000)
def is_plural_noun(token: str) -> bool:
    """A common noun in the plural: «ها»/«های»/«هایی» after a word hazm counts as common,
    when the whole is no listed given name nor a corpus surname.

    >>> is_plural_noun("صحبت‌های"), is_plural_noun("پیشنهادهای"), is_plural_noun("کارها")
    (True, True, True)
    >>> is_plural_noun("کلاته‌ای"), is_plural_noun("نامه‌ای"), is_plural_noun("رها")
    (False, False, False)
    """
    for ending in _PLURALS:
        stem = token[: -len(ending)].rstrip(ZWNJ)
        if token.endswith(ending) and len(stem) >= 2 and frequency(stem) >= COMMON:
            return not (is_listed_given_name(token) or is_corpus_surname(token))
    return False


def _is_verb(k: str) -> bool:
    """A conjugated verb, but not a word ending in «ی» that only reads as one
    («فرهنگی»، «پرویزی»، «میری» are surnames, not «you ...» forms)."""
    return is_verb_form(k) and not (k.endswith("ی") and len(k) > 3)


def _joined_word(token: str) -> bool:
    """The word after «بن»/«آل»: an Arabic name, even one that reads as a
    Persian verb («یوسف بن زاید»)."""
    return is_name_word(token) or (bool(_LETTERS.fullmatch(token)) and is_verb_form(token) and key(token) not in STOP)


_JOINED_PREPOSITIONS = frozenset({"به", "با", "در", "بی", "بر"})

# Plurals of roles («پزشکان»، «کارشناسان»): groups, never a name.
_PLURAL_ROLE = re.compile("(?:" + "|".join(sorted(ROLES, key=len, reverse=True)) + ")(?:ان|ها|های|ین|یان)")


def is_role(token: str) -> bool:
    return key(token) in ROLES


def honorifics_at(tokens: list[str], i: int) -> int:
    """How many honorific tokens start at ``i`` («حجت الاسلام والمسلمین سید»)."""
    j = i
    while j < len(tokens):
        k = key(tokens[j])
        after = key(tokens[j + 1]) if j + 1 < len(tokens) else ""
        if k in HONORIFICS or (j > i and k in HONORIFIC_TAILS):
            j += 1
        elif (k in HONORIFIC_HEADS and after in HONORIFIC_TAILS) or (j > i and k == "و" and after == "المسلمین"):
            j += 2  # «حجت الاسلام»، and «و المسلمین» written apart after it
        elif k == "امیر" and after in HONORIFICS:  # «امیر سرتیپ»: a rank, not a name
            j += 1
        else:
            break
    return j - i


@lru_cache(maxsize=200_000)
def may_start_name(token: str) -> bool:
    """A cheap test before ``read_name``: names start with a title or a given name."""
    k = key(token)
    return (
        k in HONORIFICS
        or k in HONORIFIC_HEADS
        or k in ALLAH_HEADS
        or k == "امیر"
        or is_given_name(token)
        or k in _corpus().full_firsts
        or is_initial(token)
    )


def read_name(tokens: list[str], i: int) -> tuple[int, list[str]] | None:
    """The name starting at ``i`` (after any honorifics): (end index, words).

    Needs a given name followed by a surname, an honorific followed by a
    name-like word, or a full name the corpus model learned (``learned_name``),
    which wins when it is longer. ``None`` when there is no name at ``i``.
    """
    found = _read_listed_name(tokens, i)
    learned = learned_name(tokens, i + honorifics_at(tokens, i)) if i < len(tokens) else None
    if learned and (found is None or learned[0] > found[0]):
        return learned
    return found


def learned_name(tokens: list[str], j: int) -> tuple[int, list[str]] | None:
    """The longest full name of the corpus model at ``j`` («نفتالی بروخ»), with a surname part
    written apart after it; ``None`` when none starts there.

    >>> from indexer.speakers.model import NameModel
    >>> from indexer.speakers.tokens import tokenize
    >>> _set_corpus(NameModel(full=frozenset({"نفتالی بروخ"})))
    >>> learned_name(tokenize("نفتالی بروخ گفت"), 0), learned_name(tokenize("نفتالی گفت"), 0)
    ((2, ['نفتالی', 'بروخ']), None)
    >>> _set_corpus(None)
    """
    if j >= len(tokens):
        return None
    model = _corpus()
    if key(tokens[j]) not in model.full_firsts:
        return None
    keys = token_keys(tokens[j : j + _MAX_LEARNED])
    for size in range(len(keys), 1, -1):
        if " ".join(keys[:size]) in model.full:
            end = j + size
            while end < len(tokens) and key(tokens[end]) in SURNAME_PARTS and end - j < _MAX_NAME_WORDS:
                end += 1  # «... پور» written apart
            return end, tokens[j:end]
    return None


_MAX_LEARNED = 4


def _read_listed_name(tokens: list[str], i: int) -> tuple[int, list[str]] | None:
    """``read_name`` by the hand-written rules and the corpus's word lists."""
    if not may_start_name(tokens[i] if i < len(tokens) else ""):
        return None
    titled = honorifics_at(tokens, i)
    j = i + titled
    run = j
    while run < len(tokens) and run - j < 3:
        k = key(tokens[run])
        after = key(tokens[run + 1]) if run + 1 < len(tokens) else ""
        if is_given_name(tokens[run]) or (run > j and k in GIVEN_NAME_TAILS) or is_initial(tokens[run]):
            run += 1  # an initial stands for a given name («ام. تیبور هالستد»، «جرج دبلیو. هالستد»)
        elif k in ALLAH_HEADS and after in ("الله", "اله"):  # «قدرت الله»
            run += 2
        else:
            break
    if run - j >= 2 and _drops_first(tokens[j], tokens[j + 1]):
        j += 1  # «امید حسن شبانگیز» is «hope of» Hassan Shabangiz; «امیر حسین» stays whole
    words = tokens[j:run]
    if words and key(words[0]).startswith("سید") and key(words[0])[3:] in GIVEN_NAMES:
        words[0] = key(words[0])[3:]  # «سیدعباس رهنما»: the title written together
    end = run
    if run - j >= 2 and end < len(tokens) and key(tokens[end]) in SURNAME_PARTS:
        # «غلامرضا کاظم زاده»: the last given name and a surname part written apart are the surname
        return end + 1, [*words, tokens[end]]
    # «منصور سید مرتضوی»: «سید» inside a surname, after a given name and before a name word.
    sayyid = bool(words) and end + 1 < len(tokens) and key(tokens[end]) == "سید" and _surname_word(tokens[end + 1])
    surname = end < len(tokens) and (is_name_word(tokens[end]) or sayyid) and key(tokens[end]) not in VERB_STARTS
    if surname and titled and not words and key(tokens[end]) in NATIONALITIES:
        surname = False  # «دریادار انگلیسی»: a rank and a nationality, no name
    if surname and run - j >= 2 and key(words[-1]) not in GIVEN_NAME_TAILS and _common_inside(tokens, end):
        surname = False  # «توماس جرج سخن استادش را ...»: «جرج» is the surname, «سخن» a word
    if surname and (words or titled):
        joiner = key(tokens[end]) in NAME_JOINERS and end + 1 < len(tokens) and _joined_word(tokens[end + 1])
        joined = sayyid or joiner
        words = [*words, *tokens[end : end + 1 + joined]]  # «خالد بن فرحان»: «بن» and what follows
        end += 1 + joined
        # «ستاره»، «پیام» are words too: a name only if the next word ends it.
        # (After an honorific it is a name: «سردار رمضان صبور».)
        ambiguous = not titled and run - j == 1 and key(words[0]) in AMBIGUOUS_GIVEN_NAMES
        if ambiguous and (frequency(words[1]) >= COMMON or not _ends_name(tokens, end)):
            return None
        while end < len(tokens) and len(words) < _MAX_NAME_WORDS:
            if key(tokens[end]) in NAME_JOINERS and end + 1 < len(tokens) and _joined_word(tokens[end + 1]):
                words += tokens[end : end + 2]  # «یوسف بن زاید»
                end += 2
            elif _continues(tokens, end) or (not run - j and len(words) == 1 and _place_surname(tokens[end])):
                words.append(tokens[end])  # «آیت الله کامکار شیرازی»: a title and a two-word name
                end += 1
            else:
                break
    elif len(words) < 2:  # a given name alone («نگین گفت») is not enough
        return None
    if end < len(tokens) and tokens[end] == "ای" and words:  # «کلاته ای» = «کلاته‌ای»
        words = [*words[:-1], words[-1] + ZWNJ + "ای"]
        end += 1
    return end, words


def _surname_word(token: str) -> bool:
    return is_name_word(token) and not is_given_name(token) and key(token) not in VERB_STARTS


def _common_inside(tokens: list[str], i: int) -> bool:
    """A common word at ``i`` that the next word does not close: a phrase goes on, no surname."""
    return frequency(tokens[i]) >= COMMON and not is_corpus_surname(tokens[i]) and not _ends_name(tokens, i + 1)


def _drops_first(first: str, second: str) -> bool:
    """A given name that is also a word before another given name is the word:
    «امید حسن شبانگیز» is «hope of» Hassan Shabangiz; «امیر حسین»، «ولی الله» stay."""
    k = key(first)
    return k in AMBIGUOUS_GIVEN_NAMES and k not in GIVEN_NAME_HEADS and key(second) not in ("الله", "اله")


def _continues(tokens: list[str], i: int) -> bool:
    """Whether the word at ``i``, after the first surname word, still belongs
    to the name: a surname part («نژاد»), or an uncommon word right before
    something that ends a name («حاجی کلانتری، دبیر»; not «تیزپاک معمولا خبرساز»)."""
    token = tokens[i]
    if key(token) in SURNAME_PARTS:
        return True  # «نژاد»; «زاده» too, which alone reads as a participle («born»), no name word
    if not is_name_word(token):
        return False
    if i and surname_apart(tokens[i - 1], token):
        return True  # «رهنما فرد» for the corpus's surname «رهنما‌فرد»
    if key(token) in SURNAME_SECONDS:
        return _ends_name(tokens, i + 1)  # «کیوان رهنما مقدم گفت»، not «کیوان رهنما نوری تازه دید»
    if frequency(token) >= COMMON or is_verb_form(token) or _glued_preposition(token):
        return False
    # Before a light verb the word is the verb's noun: «از محمد نیک‌رفتار قدردانی شد».
    return _ends_name(tokens, i + 1) and not (i + 1 < len(tokens) and key(tokens[i + 1]) in _LIGHT_VERBS)


#: Prepositions the source glues to the next word («درگفتگو»، «بااشاره»).
_GLUED_PREPOSITIONS = ("در", "با", "به", "از", "بر")


def _glued_preposition(token: str) -> bool:
    """A preposition glued to a common word or a quote verb's first word («گفت» of «گفت و گو»), no
    dictionary word as a whole: never a name's next word («حسین رهنما تبریزی درگفتگو با ...»،
    «... درگفت و گو با ...»).

    >>> [_glued_preposition(w) for w in ("درگفتگو", "درگفت", "درخشان", "بهرامی")]
    [True, True, False, False]
    """
    k = key(token)
    return not in_dictionary(k) and any(
        k.startswith(p) and len(k) - len(p) >= 3 and (frequency(k[len(p) :]) >= COMMON or k[len(p) :] in VERB_STARTS)
        for p in _GLUED_PREPOSITIONS
    )


def _place_surname(token: str) -> bool:
    """A rare adjective of origin («شیرازی»، «همدانی») that ends a name (not a noun in «ی»:
    «به گفته سید مرتضوی شناسایی ...»)."""
    k = key(token)
    return is_name_word(token) and k.endswith("ی") and len(k) > 3 and frequency(token) < _RARE


def _ends_name(tokens: list[str], i: int) -> bool:
    """Whether the token at ``i`` (or the end) closes a name."""
    after = tokens[i] if i < len(tokens) else ""
    k = key(after)
    return (
        not after
        or not _LETTERS.fullmatch(after)
        or k in VERB_STARTS
        or any(k in words for words in (STOP, ROLES, HONORIFICS, PRONOUNS))
        or is_verb_form(after)
        or is_clause_word(after)
    )
