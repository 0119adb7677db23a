"""Tokens: normalized words and punctuation marks, with words the source glued split apart
and initials kept whole; what ``names`` reads names from.

>>> tokenize("وجود نداردبهروز کاردان نوشت")
['وجود', 'ندارد', '.', 'بهروز', 'کاردان', 'نوشت']
>>> tokenize("ام. تیبور هالستد گفت")
['ام.', 'تیبور', 'هالستد', 'گفت']

Splitting a glued word asks the name tests (``names``), so this module imports ``names``,
never the other way; ``names._set_corpus`` clears ``_unglue``'s cache through
``names.clear_with_corpus``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.normalize import ZWNJ, normalize
from indexer.speakers.initials import is_initial
from indexer.speakers.lexicon import (
    ALLAH_HEADS,
    GIVEN_NAME_HEADS,
    GIVEN_NAME_TAILS,
    GIVEN_NAMES,
    HONORIFICS,
    NAME_JOINERS,
    ROLES,
    SURNAME_PARTS,
    VERB_STARTS,
)
from indexer.speakers.names import (
    _GLUED_PREPOSITIONS,
    _LETTERS,
    _RARE,
    clear_with_corpus,
    is_corpus_surname,
    is_given_name,
    is_listed_given_name,
    is_name_word,
)
from indexer.speakers.words import COMMON, frequency, is_clause_word, is_verb_form, key

# Words (letters and digits, ZWNJ inside) or single punctuation marks.
_TOKEN = re.compile(r"[^\W_]+(?:\u200c+[^\W_]+)*|[^\w\s\u200c]")
# The shortest given name a glued token may end with («سالعلی» = سال + علی).
_MIN_GLUED = 3


def tokenize(text: str) -> list[str]:
    """Normalized word and punctuation tokens, with glued words split; an initial
    keeps its dot (before a name: see ``initial_then_name``)."""
    return tokenize_spans(text)[1]


def initial_then_name(letter: str, following: str) -> bool:
    """Whether ``letter`` and a dot are an initial and the name goes on after it with
    ``following``: another initial («جی. پی. بارنزلی»: ``following`` holds its dot) or a
    word no dictionary counts, or seldom («تیبور»، «هالستد»), so that «در ماه دی. کیوان ...»
    still ends at the month. The one rule behind both the sentence splitter
    (``extract.sentences``, on text) and the tokenizer (``_join_initials``, on tokens).

    >>> initial_then_name("ام", "تیبور"), initial_then_name("جی", "پی."), initial_then_name("دی", "کیوان")
    (True, True, False)
    >>> initial_then_name("ام", "سپس"), initial_then_name("گفت", "تیبور")
    (False, False)
    """
    if not is_initial(letter + "."):
        return False
    return is_initial(following) or (
        len(following) >= 3  # not a letter's name: «جی. پی. اس» (GPS) is no name
        and bool(_LETTERS.fullmatch(following))
        and frequency(following) < _RARE
        and not is_clause_word(following)
    )


_DOT_INSIDE = re.compile(r"\.\s")


def _join_initials(tokens: list[str], spans: list[tuple[int, int]]) -> None:
    """Make «ام» «.» one token «ام.» where it is an initial before a name (in place)."""
    n = len(tokens) - 2
    while n > 0:
        if (
            tokens[n] == "."
            and spans[n - 1][1] == spans[n][0]
            and initial_then_name(tokens[n - 1], tokens[n + 1])  # «پی.» already joined: «جی. پی. بارنزلی»
        ):
            tokens[n - 1 : n + 1] = [tokens[n - 1] + "."]
            spans[n - 1 : n + 1] = [(spans[n - 1][0], spans[n][1])]
        n -= 1


def tokenize_spans(text: str) -> tuple[str, list[str], list[tuple[int, int]]]:
    """``normalize(text)``, its tokens (as ``tokenize``) and each token's span in it,
    so that a run of tokens gives back the words as written (a quote).

    >>> norm, tokens, spans = tokenize_spans("وی گفت: «سلام»")
    >>> tokens[2], norm[spans[3][0]:spans[4][1]]
    (':', '«سلام')
    """
    norm = normalize(text)
    matches = list(_TOKEN.finditer(norm))
    words = [match.group() for match in matches]
    glued = list(map(_unglue, words))
    if len(words) == sum(map(len, glued)):  # most sentences: every word is one token, where it was matched
        found = [match.span() for match in matches]
        if _DOT_INSIDE.search(norm):  # a dot inside the sentence: perhaps an initial («ام. تیبور هالستد»)
            _join_initials(words, found)
        return norm, words, found
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for match, parts in zip(matches, glued, strict=True):
        at = match.start()
        for n, part in enumerate(parts):
            if len(parts) == 3 and n == 1 and part == GLUE_BOUNDARY:
                spans.append((at, at))  # the boundary put between glued words has no text
            else:
                spans.append((at, at + len(part)))
                at += len(part)
                if at < len(norm) and norm[at] == ZWNJ and n + 1 < len(parts):
                    at += 1  # «حسین‌تابنده» read as two words: the ZWNJ between them
            tokens.append(part)
    if _DOT_INSIDE.search(norm):
        _join_initials(tokens, spans)
    return norm, tokens, spans


# Beginnings of one name word that would otherwise read as a glued word.
_NAME_PARTS = HONORIFICS | SURNAME_PARTS | GIVEN_NAMES | ALLAH_HEADS | NAME_JOINERS

# Words a ZWNJ never joins to a name: where one stands after a name, the ZWNJ was a space
# (Hamshahri writes NO-BREAK SPACE for both, and normalization makes it a ZWNJ: «کاربخش‌در»).
_NEVER_JOINED = frozenset(_GLUED_PREPOSITIONS) | {"برای", "تا", "که", "را"} | VERB_STARTS  # the same five prepositions


def _unjoin(token: str) -> tuple[str, ...]:
    """A given name joined to a surname by a ZWNJ is two words: «حسین‌تابنده»
    (not a compound given name «علی‌اکبر», nor a suffix «علی‌ها»); so is a name joined to a
    preposition or a quote verb's first word: «کاربخش‌در»، «کاربخش‌اظهار».

    >>> _unjoin("کاربخش‌در"), _unjoin("می‌گفت"), _unjoin("نمی‌گفت"), _unjoin("چنان‌که")
    (('کاربخش', 'در'), ('می‌گفت',), ('نمی‌گفت',), ('چنان‌که',))
    """
    first, _, rest = token.partition(ZWNJ)
    spaced = key(rest) in _NEVER_JOINED and ZWNJ not in rest and len(first) >= 3 and key(first) not in ("نمی", "همی")
    if spaced and is_name_word(first) and (frequency(first) < COMMON or is_corpus_surname(first)):  # not «چنان‌که»
        return (first, rest)
    if (
        ZWNJ in rest
        or len(rest) < 3
        or not is_listed_given_name(first)
        or is_listed_given_name(token)
        or key(rest) in GIVEN_NAME_TAILS
        or frequency(rest) >= COMMON
        or not _LETTERS.fullmatch(rest)
    ):
        return (token,)
    return (first, rest)


# Time units that end a headline glued to the next sentence («پس از نه سالکاوه ...»).
_GLUED_TIME_UNITS = frozenset({"سال", "ماه", "هفته"})


def _ends_sentence(head: str) -> bool:
    """Whether a glued word's head can end a sentence that lost its full stop: a verb
    («نداردبهروز»، «گردیدکامران»), a time unit, or a dictionary word of five letters or
    more that ends a headline («پرحاشیهکاوه»). A shorter noun or adjective head is the
    first part of a compound surname far more often («مهرپویا» is no «مهر . پویا»): across
    the shared corpora, most splits at a head of three or four letters cut a name or a
    word in two, and most at a verb or a longer word were right.

    >>> _ends_sentence("ندارد"), _ends_sentence("سال"), _ends_sentence("پرحاشیه"), _ends_sentence("مهر")
    (True, True, True, False)
    """
    return is_verb_form(head) or head in _GLUED_TIME_UNITS or (len(head) >= 5 and frequency(head) > 0)


#: Put where a glued word was split at a lost sentence end.
GLUE_BOUNDARY = "."


@lru_cache(maxsize=200_000)
def _unglue(token: str) -> tuple[str, ...]:
    """Split a word glued to the next one where a sentence lost its space
    («نداردبهروز» → ندارد . بهروز; «کیامهرسخنگوی» → کیامهر سخنگوی).

    Only unknown words are split, and only into a word that can end a sentence
    (``_ends_sentence``) and a given name, or a name-like word and a role. A name glued to the
    word before it starts a new sentence (a headline or sentence lost its
    full stop), so a boundary token goes between them.
    """
    k = key(token)
    if ZWNJ in token:
        return _unjoin(token)
    if len(k) < 5 or frequency(token) or is_given_name(token) or not _LETTERS.fullmatch(token):
        return (token,)
    for cut in range(3, len(k) - _MIN_GLUED + 1):
        head, tail = k[:cut], k[cut:]
        if head in _NAME_PARTS or any(head.startswith(h) for h in GIVEN_NAME_HEADS):
            continue  # «سیدعلی»، «پورسعید»: one name, not two words
        if any(head.startswith(p) and frequency(k[len(p) :]) for p in _GLUED_PREPOSITIONS):
            break  # «باخبرنگار» is «با خبرنگار», not «باخبر نگار»
        if is_given_name(tail) and tail in GIVEN_NAMES and _ends_sentence(head):
            return (head, GLUE_BOUNDARY, tail)
    for cut in range(len(k) - 3, 2, -1):
        head, tail = k[:cut], k[cut:]
        if tail in ROLES and is_name_word(head):
            return (head, tail)
    return (token,)


clear_with_corpus(_unglue.cache_clear)  # its splits ask is_given_name and is_name_word, which read the corpus
