"""Persian in terminals that neither shape nor reorder right-to-left text.

>>> rtl("abc")
'abc'
"""

from __future__ import annotations

import arabic_reshaper
from bidi.algorithm import get_display


def rtl(text: str) -> str:
    """Shape Arabic-script letters and reorder for left-to-right display."""
    return str(get_display(arabic_reshaper.reshape(text)))
