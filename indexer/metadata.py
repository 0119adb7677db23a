"""Facet values: one key for every spelling, and a clean label to show.

A tag, category, speaker or source is written many ways in real corpora:
with a space, a ZWNJ or nothing between its parts (کیاننیک / کیان نیک),
with Arabic or Persian letters (سوريه / سوریه), with tatweel (بـــورس),
bidi marks and stray spaces. ``facet_key`` makes one key of all of them;
``clean_label`` tidies one spelling for display without changing the words.

>>> facet_key("کیان نیک") == facet_key("كياننيك") == facet_key("کیان‌نیک")
True
>>> facet_key("  محیط ـزیست ")
'محیطزیست'
>>> clean_label("  بـــورس\u200f ")
'بورس'
>>> clean_label("سياست\u200c خارجي.")
'سیاست خارجی'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.normalize import TATWEEL, fold_kaf, fold_yeh, normalize, remove_format_marks

# Spaces, ZWNJs, commas (Whoosh's keyword separator) and punctuation at
# the edges do not distinguish two spellings of the same tag.
_NOT_IN_KEY = re.compile(r"[\s\u200c,،؛;:.\"'«»()\[\]#]+")

# Arabic ي ك become Persian; invisible marks (bidi, ZWJ, BOM) and tatweel,
# which only stretches letters, go. One table, applied only when needed:
# most labels are clean, and a regex search is much faster than translate.
_LABEL_TABLE: dict[int, str | None] = {
    **fold_yeh.table,
    **fold_kaf.table,
    **{cp: None for cp in remove_format_marks.table},
    ord(TATWEEL): None,
}
_TO_CLEAN = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_LABEL_TABLE)) + "]")
# A ZWNJ next to a space (or doubled) is a typing slip: the space wins.
_ZWNJ_SPACE = re.compile(r"\u200c*\s+\u200c*|\u200c{2,}")
# Edges: spaces, ZWNJs and punctuation that no label starts or ends with.
_EDGE_START = re.compile(r"^[\s\u200c.,،؛;:\-–—_/|*#]+")
_EDGE_END = re.compile(r"[\s\u200c.,،؛;:\-–—_/|*#]+$")
_SPACES = re.compile(r"\s+")


def facet_key(value: str) -> str:
    """The canonical key of a facet value (tag, category, speaker, source)."""
    return _NOT_IN_KEY.sub("", normalize(value))


def clean_label(value: str) -> str:
    """A spelling fit to show: Persian ی and ک, no tatweel or bidi marks,
    single spaces, no punctuation or ZWNJ at the edges. Words, digits and
    ZWNJs inside words are kept as written.

    >>> clean_label("\u200cکروناویروس\u200c")
    'کروناویروس'
    >>> clean_label("اقتصاد  در گذر زمان")
    'اقتصاد در گذر زمان'
    """
    text = value.translate(_LABEL_TABLE) if _TO_CLEAN.search(value) else value
    text = _ZWNJ_SPACE.sub(lambda m: " " if m.group().strip("\u200c") else "\u200c", text)
    text = _EDGE_END.sub("", _EDGE_START.sub("", text))
    return _SPACES.sub(" ", text)


def clean_labels(values: Iterable[str]) -> list[str]:
    """Clean labels, empty ones dropped and each facet key kept once (first
    spelling wins), in their original order.

    >>> clean_labels(["سوريه", " سوریه ", "", "کیان نیک", "کیاننیک"])
    ['سوریه', 'کیان نیک']
    """
    seen: set[str] = set()
    labels: list[str] = []
    for value in values:
        label = clean_label(value)
        key = facet_key(label)
        if key and key not in seen:
            seen.add(key)
            labels.append(label)
    return labels
