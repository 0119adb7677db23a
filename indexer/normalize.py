"""Character-level normalization of Persian text: pure, precompiled rules.

Every rule is a named, precompiled ``str.translate`` table that maps one class
of characters. The rules are split in two stages, as in charabia:

* ``FOLD_RULES`` never change the length of the text: a character is replaced
  by its canonical form, and a character that carries no meaning for search
  (diacritics, bidi marks, ...) is replaced by ``IGNORABLE`` (the tatweel,
  itself ignorable). Offsets in the folded text are therefore offsets in the
  original, which is what snippet highlighting needs.
* ``LIGATURE_RULE`` expands Arabic presentation-form ligatures (ﻻ, ﷲ, ﷼) to
  their letters. It is the only rule that changes length; callers that need
  offsets use ``fold_with_offsets``.

Canonical forms are Persian (ی ک ه ا), never Arabic, so indexed terms stay
readable when debugging.

>>> normalize("مي\u200cخواهم كتابِ ۱۲ را")
'می\u200cخواهم کتاب 12 را'
>>> normalize("ﻻزم")
'لازم'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

# Unicode names for the characters the rules produce.
FARSI_YEH = "\u06cc"
KEHEH = "\u06a9"
HEH = "\u0647"
ALEF = "\u0627"
ALEF_WITH_MADDA_ABOVE = "\u0622"
MADDA_ABOVE = "\u0653"
HAMZA_ABOVE = "\u0654"
HAMZA_BELOW = "\u0655"
YEH_WITH_HAMZA_ABOVE = "\u0626"
WAW_WITH_HAMZA_ABOVE = "\u0624"
TATWEEL = "\u0640"
ZWNJ = "\u200c"

#: What a removable character becomes in the length-preserving stage. The
#: tokenizer treats it as part of a word and drops it from the term.
IGNORABLE = TATWEEL


@dataclass(frozen=True)
class Rule:
    """A named character mapping, compiled once into a translate table."""

    name: str
    table: dict[int, str]

    def __call__(self, text: str) -> str:
        return text.translate(self.table)


def _rule(name: str, sources: str | list[str], target: str) -> Rule:
    return Rule(name, {ord(ch): target for ch in sources})


def _span(first: int, last: int) -> list[str]:
    return [chr(cp) for cp in range(first, last + 1)]


# ARABIC LETTER YEH, ALEF MAKSURA, YEH BARREE, E -> FARSI YEH
fold_yeh = _rule("fold_yeh", "\u064a\u0649\u06d2\u06d0", FARSI_YEH)
# ARABIC LETTER KAF, SWASH KAF -> KEHEH
fold_kaf = _rule("fold_kaf", "\u0643\u06aa", KEHEH)
# HEH WITH YEH ABOVE (written ۀ: heh + hamza, the ezafe heh), TEH MARBUTA,
# HEH DOACHASHMEE, HEH GOAL, HEH GOAL WITH HAMZA ABOVE, AE -> HEH
fold_heh = _rule("fold_heh", "\u06c0\u0629\u06be\u06c1\u06c2\u06d5", HEH)
# ALEF WITH HAMZA ABOVE, ALEF WITH HAMZA BELOW, ALEF WASLA,
# ALEF WITH WAVY HAMZA ABOVE/BELOW -> ALEF. ALEF WITH MADDA ABOVE (آ) is kept:
# it distinguishes words (آن/ان is rare, but آش/اش and آمار typed as امار are
# not the same thing), and the Hamshahri evaluation showed no gain from folding.
fold_alef = _rule("fold_alef", "\u0623\u0625\u0671\u0672\u0673", ALEF)
# YEH BARREE WITH HAMZA ABOVE (what NFC makes of «ے» + U+0654) -> YEH WITH HAMZA ABOVE, as
# fold_yeh folds the bare YEH BARREE to FARSI YEH.
fold_yeh_with_hamza = _rule("fold_yeh_with_hamza", "\u06d3", YEH_WITH_HAMZA_ABOVE)
# Harakat, tanwin, shadda, sukun, combining hamza/madda (U+064B-U+065F) and
# SUPERSCRIPT ALEF (U+0670) carry pronunciation, not spelling.
remove_diacritics = _rule("remove_diacritics", [*_span(1611, 1631), "ٰ"], IGNORABLE)
# ZERO WIDTH JOINER, LRM, RLM, ARABIC LETTER MARK, LRE..RLO, LRI..PDI, BOM,
# SOFT HYPHEN, WORD JOINER: invisible layout hints.
remove_format_marks = _rule(
    "remove_format_marks",
    ["\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\xad", "\u2060", *_span(8234, 8238), *_span(8294, 8297)],
    IGNORABLE,
)
# NO-BREAK SPACE, NARROW NO-BREAK SPACE and ZERO WIDTH SPACE are what older
# Persian text (Hamshahri, Word exports) uses where a ZWNJ belongs
# («مي<NBSP>كند»). The tokenizer decides whether a ZWNJ joins or separates.
space_to_zwnj = _rule("space_to_zwnj", "\u00a0\u202f\u200b", ZWNJ)
# EXTENDED ARABIC-INDIC (Persian) and ARABIC-INDIC digits -> ASCII
fold_digits = Rule(
    "fold_digits",
    {**{0x06F0 + d: str(d) for d in range(10)}, **{0x0660 + d: str(d) for d in range(10)}},
)

#: Length-preserving rules, in order. The order matters only for presentation
#: forms, which are folded to base letters and then through the other rules.
FOLD_RULES: tuple[Rule, ...] = (
    fold_yeh,
    fold_kaf,
    fold_heh,
    fold_alef,
    fold_yeh_with_hamza,
    remove_diacritics,
    remove_format_marks,
    space_to_zwnj,
    fold_digits,
)


def _fold_one(text: str) -> str:
    for rule in FOLD_RULES:
        text = rule(text)
    return text


def _presentation_forms() -> tuple[Rule, Rule]:
    """Arabic presentation forms (U+FB50-U+FDFF, U+FE70-U+FEFF) -> letters.

    Forms whose compatibility decomposition is one letter map in place;
    ligatures that expand to several letters go to a separate rule.
    """
    single: dict[int, str] = {}
    expanding: dict[int, str] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        base = _fold_one(unicodedata.normalize("NFKC", ch)).strip()
        # Tashkil forms decompose to a space + diacritic: treat as ignorable.
        base = base.replace(IGNORABLE, "")
        if len(base) <= 1:
            single[cp] = base or IGNORABLE
        else:
            expanding[cp] = base
    # ARABIC LIGATURE BISMILLAH AR-RAHMAN AR-RAHEEM has no decomposition in Unicode: spelled out
    # (in Persian letters), as hazm does, so «﷽» is found by the words it stands for.
    expanding[0xFDFD] = "بسم الله الرحمن الرحیم"
    single.pop(0xFDFD, None)
    return Rule("unfold_presentation_forms", single), Rule("expand_ligatures", expanding)


unfold_presentation_forms, expand_ligatures = _presentation_forms()

#: All length-preserving rules merged into one table: one pass over the text.
FOLD = Rule(
    "fold",
    {
        **{k: v for rule in FOLD_RULES for k, v in rule.table.items()},
        **unfold_presentation_forms.table,
    },
)
LIGATURE_RULE = expand_ligatures

# ``str.translate`` looks every character of Persian text up in the table (about 2 MB/s);
# only about 5% of news text changes, and a regex finds those characters ten times faster.
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(FOLD.table)) + "]")
_FOLD_BY_CHAR = {chr(cp): target for cp, target in FOLD.table.items()}


def _fold_match(match: re.Match[str]) -> str:
    return _FOLD_BY_CHAR[match.group()]


# Three characters make 99% of the changes in the shared news (Arabic yeh 66%, Arabic kaf 18%,
# NO-BREAK SPACE 16%): ``str.replace`` swaps each in C before the regex, whose Python call per
# match then runs for the rare rest. Their targets are never folded again, so the result is
# the same as one pass of the table.
_COMMON = tuple((ch, _FOLD_BY_CHAR[ch]) for ch in ("\u064a", "\u0643", "\u00a0"))
assert not any(target in _FOLD_BY_CHAR for _, target in _COMMON)

_LIGATURES = re.compile("[" + "".join(map(chr, sorted(expand_ligatures.table))) + "]")

# Decomposed letters (NFD text, or a hamza typed as its own key): a letter followed by combining
# MADDA ABOVE, HAMZA ABOVE or HAMZA BELOW. A reader sees one letter, and NFC composes it
# («ا» + U+0653 is «آ», «ي» + U+0654 is «ئ»); remove_diacritics alone would drop the mark and
# change the word («مسئله» -> «مسیله»). So a letter and the marks after it are composed as NFC
# does before folding, and padded with the ignorable to keep the length. One addition to NFC:
# FARSI YEH + HAMZA ABOVE is «ئ» too (NFC composes only the Arabic yeh, but Persian keyboards
# type the Farsi one).
_ARABIC_MARKS = "".join(
    chr(cp)
    for first, last in ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF))
    for cp in range(first, last + 1)
    if unicodedata.category(chr(cp)) == "Mn"
)
_COMPOSING_MARKS = MADDA_ABOVE + HAMZA_ABOVE + HAMZA_BELOW
_MARKS_CLASS = "[" + re.escape(_ARABIC_MARKS) + "]"
# An Arabic-script letter (NFC composes these marks with no other), then its marks, at least
# one of which composes.
_DECOMPOSED_RE = re.compile(
    "(?![" + re.escape(_ARABIC_MARKS) + "])[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]"
    + _MARKS_CLASS + "*[" + _COMPOSING_MARKS + "]" + _MARKS_CLASS + "*"
)


def _compose(match: re.Match[str]) -> str:
    cluster = match.group()
    letter = "\u064a" if cluster[0] == FARSI_YEH else cluster[0]  # ARABIC YEH composes under NFC
    composed = unicodedata.normalize("NFC", letter + cluster[1:])
    if len(composed) >= len(cluster):  # nothing composed: keep the marks' order
        return cluster
    return composed + IGNORABLE * (len(cluster) - len(composed))


def compose_hamza_and_madda(text: str) -> str:
    """A letter + combining madda or hamza -> the composed letter, as NFC does (length-preserving).

    >>> compose_hamza_and_madda("\u0627\u0653ب") == "آ\u0640ب"
    True
    >>> compose_hamza_and_madda("مسی\u0654له") == "مسئ\u0640له"
    True
    """
    if MADDA_ABOVE not in text and HAMZA_ABOVE not in text and HAMZA_BELOW not in text:
        return text
    return _DECOMPOSED_RE.sub(_compose, text)


def fold(text: str) -> str:
    """Fold to canonical characters without changing the length.

    Removed characters become ``IGNORABLE``; ligatures are left for
    ``fold_with_offsets``.

    >>> fold("كتاب\u200fها") == "کتاب" + IGNORABLE + "ها"
    True
    """
    return _folded_repeats(_FOLDABLE.sub(_fold_match, _fold_common(text)))


#: Below this length the regex itself is cheaper than ``_may_repeat``'s numpy set-up (~35 us):
#: a sentence of the speaker pass, a query, a title.
_SHORT = 400


def _folded_repeats(text: str) -> str:
    """``fold_repeats`` after the characters are folded («ىىې» is three «ی»), when there are any."""
    return fold_repeats(text) if len(text) < _SHORT or _may_repeat(text) else text


def _may_repeat(text: str) -> bool:
    """Whether ``text`` may hold what ``fold_repeats`` folds: a run of ZWNJs, or a character of the
    Arabic block three times in a row. ``_REPEATS`` scans at about 10 MB/s, this in numpy at
    several hundred: it says yes to a few texts the regex then leaves alone (tatweels, digits).

    >>> _may_repeat("سلاممم"), _may_repeat("سلامم 111"), _may_repeat("a\u200c\u200cb")
    (True, False, True)
    """
    if "\u200c\u200c" in text:
        return True
    if len(text) < 3:
        return False
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    first, second, third = codes[:-2], codes[1:-1], codes[2:]
    return bool(np.any((first == second) & (second == third) & (first >= 0x0621) & (first <= 0x06CC)))


# A letter typed three or more times («سلاممم», «خیلیییی») is emphasis, not spelling (two may be
# spelling: «سلامم», «ممکن» is not affected, «الله» neither); a run of ZWNJs is one ZWNJ («کاروان‌‌سرا»).
# Persian letters only: «www», «III» and «1000» keep theirs.
_REPEATS = re.compile("\u200c\u200c+|([\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])\\1\\1+")


def fold_repeats(text: str) -> str:
    """A Persian letter repeated three or more times, and a run of ZWNJs, kept once; the rest
    becomes ``IGNORABLE`` (length-preserving).

    >>> fold_repeats("سلاممم") == "سلام" + IGNORABLE * 2
    True
    >>> fold_repeats("کاروان\u200c\u200cسرا") == "کاروان\u200c" + IGNORABLE + "سرا"
    True
    >>> fold_repeats("سلامم")
    'سلامم'
    """
    return _REPEATS.sub(_keep_first, text)


def _keep_first(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] + IGNORABLE * (len(run) - 1)


def _fold_common(text: str) -> str:
    """``text`` with decomposed letters composed and ``_COMMON`` swapped: what ``fold`` does first."""
    text = compose_hamza_and_madda(text)
    for ch, target in _COMMON:
        if ch in text:
            text = text.replace(ch, target)
    return text


# ``fold`` and the search for ligatures in one pass over the text: ligatures match too, as themselves.
_FOLDABLE_OR_LIGATURE = re.compile(_FOLDABLE.pattern[:-1] + _LIGATURES.pattern[1:])


def fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Fold ``text``; expand ligatures; return a map to original offsets.

    The map is ``None`` when no ligature was present (the usual case): the
    folded text then has the original's offsets. Otherwise ``offsets[i]`` is
    the original index of folded character ``i`` (with one extra entry for
    the end of the text).

    >>> fold_with_offsets("ﻻ ب")
    ('لا ب', [0, 0, 1, 2, 3])
    """
    ligatures: list[str] = []

    def fold_match(match: re.Match[str]) -> str:
        ch = match.group()
        target = _FOLD_BY_CHAR.get(ch)
        if target is None:  # a ligature: expanded below
            ligatures.append(ch)
            return ch
        return target

    folded = _folded_repeats(_FOLDABLE_OR_LIGATURE.sub(fold_match, _fold_common(text)))
    if not ligatures:
        return folded, None
    pieces: list[str] = []
    offsets: list[int] = []
    table = LIGATURE_RULE.table
    for i, ch in enumerate(folded):
        piece = table.get(ord(ch), ch)
        pieces.append(piece)
        offsets.extend([i] * len(piece))
    offsets.append(len(folded))
    return _folded_repeats("".join(pieces)), offsets  # «لﻟﻻ»: three lams once expanded


_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """The canonical form of a string, for display keys and comparisons.

    Folds characters, drops ignorables, expands ligatures, lowercases Latin
    and collapses whitespace. Idempotent. ZWNJs are kept (they are spelling);
    tokens, not this function, decide when a ZWNJ joins.

    >>> normalize("  سوريه ")
    'سوریه'
    """
    folded, _ = fold_with_offsets(text)
    folded = folded.replace(IGNORABLE, "").lower()
    return _SPACES.sub(" ", folded).strip()
