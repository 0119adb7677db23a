"""Text as a reader sees it: Persian letters, and a ZWNJ where the source put a NO-BREAK SPACE.

Older Persian text (Hamshahri, Fars News before 1390) is typed with the Arabic
«ي» and «ك», and with a NO-BREAK SPACE where a ZWNJ belongs («مي<NBSP>كند»).
The index folds all of that away for matching; what is *shown* (titles,
bodies, snippets, suggestions, related titles) goes through ``display_text``.
The stored original is never changed, so a reindex can analyse it again.

Every rule maps one character to one character: offsets into a cleaned text
are offsets into the original (snippets mark matches by offset).

>>> display_text("مي\u00a0كند") == "می\u200cکند"
True
>>> display_text("۱۰\u00a0درصد")
'۱۰ درصد'
"""

from __future__ import annotations

import re

from indexer.normalize import FARSI_YEH, KEHEH, ZWNJ

ARABIC_YEH = "\u064a"
ALEF_MAKSURA = "\u0649"
ARABIC_KAF = "\u0643"
NO_BREAK_SPACE = "\u00a0"
NARROW_NO_BREAK_SPACE = "\u202f"
ZERO_WIDTH_SPACE = "\u200b"

# ARABIC LETTER YEH and ALEF MAKSURA (a final yeh without dots in Arabic typing) -> FARSI YEH
persian_yeh = str.maketrans({ARABIC_YEH: FARSI_YEH, ALEF_MAKSURA: FARSI_YEH})
# ARABIC LETTER KAF -> KEHEH
persian_kaf = str.maketrans({ARABIC_KAF: KEHEH})
_SWAPS = tuple((chr(a), str(b)) for a, b in (persian_yeh | persian_kaf).items())

# Letters (and their diacritics) of the Arabic script; not its digits or punctuation.
_ARABIC_SCRIPT = "\u0620-\u065f\u0670-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc"
# A no-break or zero-width space between two letters of one word is a ZWNJ («مي<NBSP>كند»);
# anywhere else (between digits and a word, «۱۰<NBSP>درصد») it is a space.
_JOINER_IN_WORD = re.compile(
    f"(?<=[{_ARABIC_SCRIPT}])[{NO_BREAK_SPACE}{NARROW_NO_BREAK_SPACE}{ZERO_WIDTH_SPACE}](?=[{_ARABIC_SCRIPT}])"
)
_NO_BREAK = re.compile(f"[{NO_BREAK_SPACE}{NARROW_NO_BREAK_SPACE}]")
_HAS_NO_BREAK = re.compile(f"[{NO_BREAK_SPACE}{NARROW_NO_BREAK_SPACE}{ZERO_WIDTH_SPACE}]")
# Only text holding one of these needs work (most modern news holds none).
_NEEDS_CLEANING = re.compile(
    f"[{ARABIC_YEH}{ALEF_MAKSURA}{ARABIC_KAF}{NO_BREAK_SPACE}{NARROW_NO_BREAK_SPACE}{ZERO_WIDTH_SPACE}]"
)


def no_break_space_to_zwnj(text: str) -> str:
    """NO-BREAK SPACE (and NARROW NBSP, ZERO WIDTH SPACE) inside a word -> ZWNJ; NBSP elsewhere -> space.

    >>> no_break_space_to_zwnj("نمي\u202fشود") == "نمي\u200cشود"
    True
    >>> no_break_space_to_zwnj("a\u00a0b")
    'a b'
    """
    text = _JOINER_IN_WORD.sub(ZWNJ, text)
    return _NO_BREAK.sub(" ", text)


def display_text(text: str) -> str:
    """``text`` with Persian ی and ک and a ZWNJ where a no-break space joins a word; same length.

    >>> display_text("كتابخانه ملي")
    'کتابخانه ملی'
    """
    if not _NEEDS_CLEANING.search(text):
        return text
    # str.replace runs in C; translate looks every character up in a dict (ten times slower here)
    for arabic, persian in _SWAPS:
        if arabic in text:
            text = text.replace(arabic, persian)
    return no_break_space_to_zwnj(text) if _HAS_NO_BREAK.search(text) else text


def display_texts(values: list[str]) -> list[str]:
    return [display_text(v) for v in values]
