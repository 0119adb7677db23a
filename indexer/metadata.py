"""Keys that make one facet value of every spelling of a tag, name or source.

>>> facet_key("زیبا کلام") == facet_key("زيباكلام") == facet_key("زیبا‌کلام")
True
>>> facet_key("  محیط ـزیست ")
'محیطزیست'
"""

from __future__ import annotations

import re

from indexer.normalize import normalize

# Spaces, ZWNJs, commas (Whoosh's keyword separator) and punctuation at
# the edges do not distinguish two spellings of the same tag.
_NOT_IN_KEY = re.compile(r"[\s\u200c,،؛;:.\"'«»()\[\]#]+")


def facet_key(value: str) -> str:
    """The canonical key of a facet value (tag, speaker, source)."""
    return _NOT_IN_KEY.sub("", normalize(value))
