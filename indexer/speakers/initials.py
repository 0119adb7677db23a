"""Initials inside a name: a letter and a dot («ج.») or a Latin letter spelled in
Persian («ام.»، «سی.»، «دبلیو.») before the rest of the name («ام. تیبور هالستد»،
«جرج دبلیو. هالستد»). The dot is not a sentence end there, and the initial is a
word of the name (the facet shows it as the article writes it).

The letter names are also words («دی» a month, «سی» thirty, «وی» a pronoun), so
a dot after one ends a sentence unless the next word is one no dictionary counts
(a foreign surname): «... در ماه دی. کیوان رهنما گفت» stays two sentences. That
test needs hazm's counts: ``tokens`` makes it (``initial_then_name``); this module
only knows the letters.

>>> is_initial("ام."), is_initial("ج."), is_initial("دبلیو."), is_initial("ام"), is_initial("گفت.")
(True, True, True, False, False)
>>> initial_before("... با ام. ")
'ام'
>>> initial_before("در ماه شهریور. "), initial_before("ج. ")
(None, 'ج')
"""

from __future__ import annotations

import re

#: The Latin letters as Persian news spells them in an initial.
LATIN_LETTERS = frozenset(
    {"ای", "بی", "سی", "دی", "اف", "جی", "اچ", "آی", "کی", "ال", "ام", "ان", "او", "پی", "کیو", "آر", "اس"}
    | {"تی", "یو", "وی", "دبلیو", "ایکس", "اکس", "وای", "زد", "زی"}
)
_LETTER = r"[\u0622-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]"
_INITIAL = re.compile(rf"(?:{_LETTER}|{'|'.join(sorted(LATIN_LETTERS, key=len, reverse=True))})\.")
# The word right before a dot that ends ``text`` (after optional spaces), when it could be an initial.
_BEFORE_DOT = re.compile(rf"(?:^|(?<=[\s«\"(]))({_LETTER}{{1,5}})\.\s*$")


def is_initial(token: str) -> bool:
    """A token that is one letter or a Latin letter's name, and a dot."""
    return _INITIAL.fullmatch(token) is not None


def initial_before(text: str) -> str | None:
    """The letter or letter name whose dot ends ``text``, if it could be an initial."""
    match = _BEFORE_DOT.search(text[-12:])
    if match is None or not is_initial(match.group(1) + "."):
        return None
    return match.group(1)
