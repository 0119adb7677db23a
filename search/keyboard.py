"""Queries typed with the keyboard in the wrong layout.

A Persian reader who forgot to switch the keyboard types ``hdvhk`` for
«ایران»; one who forgot to switch back types «لخخلمث» for ``google``. The
keys are the same, so the text maps back key by key, on the standard Persian
layout (ISIRI 9147, the layout of Windows, macOS, Linux and phones).

The mapping is pure; *whether* to map is decided word by word, by evidence
(``retype``): a word is read on the other layout only when it finds nothing as
typed and its other reading is a word of the index. A Latin word that is a
real English word stays as typed («and» is also «شدی» on the Persian layout).

>>> to_persian("hdvhk jivhk")
'ایران تهران'
>>> to_latin("لخخلمث")
'google'
"""

from __future__ import annotations

import re
from collections.abc import Callable

from search.syntax import MAX_CLAUSES

# ISIRI 9147, unshifted: the rows q..], a..', z..,
_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,"
_PERSIAN = "ضصثقفغعهخحجچشسیبلاتنمکگظطزرذدپو"
# Shifted keys that give letters (the others give diacritics and punctuation).
_LATIN_SHIFTED = "ASDFGHJZCM"
_PERSIAN_SHIFTED = "ؤئيإأآةكژء"

_TO_PERSIAN = str.maketrans(_LATIN + _LATIN_SHIFTED, _PERSIAN + _PERSIAN_SHIFTED)
# The Arabic yeh and kaf of the shifted keys are folded away by the analyzer:
# read back, ی and ک are the unshifted keys.
_TO_LATIN = str.maketrans(_PERSIAN + "ؤئإأآةژء", _LATIN + "ASFGHJCM")

#: A word of the query: an optional exclusion, field and opening quote, the
#: word, then closing quotes. Only the word itself is ever rewritten.
_CHUNK = re.compile(
    r"(?P<pre>-?(?:(?:title|tag|speaker|source):)?[\"«“„]*)(?P<word>.*?)(?P<post>[\"»”“.!?؟]*)",
    re.IGNORECASE | re.DOTALL,
)
_SPACE = re.compile(r"(\s+)")
# Facet values are labels, not text: never rewritten.
_FACET_PREFIX = re.compile(r"-?(tag|speaker|source):", re.IGNORECASE)


def to_persian(text: str) -> str:
    """The text a Persian-layout keyboard gives for the keys of ``text``."""
    return text.translate(_TO_PERSIAN)


def to_latin(text: str) -> str:
    """The text an English-layout keyboard gives for the keys of ``text``."""
    return text.translate(_TO_LATIN)


def is_latin_typing(word: str) -> bool:
    """Whether every character of ``word`` is a key that gives a Persian letter.

    >>> is_latin_typing("hdvhk"), is_latin_typing("Iran2"), is_latin_typing("")
    (True, False, False)
    """
    return bool(word) and all(ch in _LATIN or ch in _LATIN_SHIFTED for ch in word) and any(ch.isalpha() for ch in word)


def is_persian_typing(word: str) -> bool:
    """Whether every character of ``word`` is a Persian letter of a key that gives a Latin letter.

    >>> is_persian_typing("لخخلمث"), is_persian_typing("ک"), is_persian_typing("ایران۲")
    (True, False, False)
    """
    latin = to_latin(word)
    return bool(word) and latin != word and latin.isascii() and latin.isalpha()


def chunks(query: str) -> list[tuple[str, str, str, str]]:
    """The query cut into (space before, prefix, word, suffix), so that joining all gives it back.

    >>> chunks('-title:"hdvhk jivhk"')
    [('', '-title:"', 'hdvhk', ''), (' ', '', 'jivhk', '"')]
    """
    pieces = _SPACE.split(query)
    out: list[tuple[str, str, str, str]] = []
    space = ""
    for i, piece in enumerate(pieces):
        if i % 2:
            space = piece
            continue
        if not piece:
            continue
        match = _CHUNK.fullmatch(piece)
        assert match is not None  # the pattern matches any string
        out.append((space, match["pre"], match["word"], match["post"]))
        space = ""
    if space and out:
        last = out[-1]
        out[-1] = (last[0], last[1], last[2], last[3] + space)
    return out


def join(parts: list[tuple[str, str, str, str]]) -> str:
    return "".join(space + pre + word + post for space, pre, word, post in parts)


def rewritable(prefix: str) -> bool:
    """Whether a word with this prefix is text (not a facet value)."""
    return _FACET_PREFIX.match(prefix) is None


def retype(query: str, frequency: Callable[[str], int], is_english: Callable[[str], bool]) -> str | None:
    """The query with wrongly-typed words read on the other layout, or ``None`` if none is.

    ``frequency(text)`` is how many indexed documents hold ``text`` (as the
    index analyzes it); ``is_english(word)`` says whether a Latin word is a real
    English word. A word is rewritten only when it finds nothing as typed, is
    not an English word, and its other reading is found.

    >>> index = {"ایران": 40, "تهران": 12, "شدی": 3, "google": 2}
    >>> def english(word): return word in {"and"}
    >>> retype("hdvhk jivhk", lambda t: index.get(t, 0), english)
    'ایران تهران'
    >>> retype("hdvhk and", lambda t: index.get(t, 0), english)
    'ایران and'
    >>> retype("لخخلمث", lambda t: index.get(t, 0), english)
    'google'
    >>> retype("ایران", lambda t: index.get(t, 0), english) is None
    True
    """
    parts = chunks(query)
    changed = False
    for i, (space, pre, word, post) in enumerate(parts[:MAX_CLAUSES]):
        if not rewritable(pre):
            continue
        if is_latin_typing(word):
            if is_english(word.lower()):
                continue
            other = to_persian(word)
        elif is_persian_typing(word):
            other = to_latin(word)
        else:
            continue
        if frequency(word) == 0 and frequency(other) > 0:
            parts[i] = (space, pre, other, post)
            changed = True
    return join(parts) if changed else None
