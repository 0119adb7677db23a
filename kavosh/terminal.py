"""Persian in terminals that neither shape nor reorder right-to-left text.

Such a terminal prints characters in the order they come, left to right, and wraps wherever the
line is full. So the text is wrapped first, to the terminal's width, and each visual line is then
shaped (arabic-reshaper: the joined forms of the letters) and reordered for display (python-bidi,
the Unicode bidirectional algorithm) on its own. Runs of Latin letters and digits, with the
punctuation inside them («2020-01-05», «BBC Persian», «12:30»), are embedded left-to-right first
(LRE … PDF): the algorithm would otherwise put the groups of a date after an Arabic letter in
right-to-left order («05-01-2020»). python-bidi's pure-Python ``bidi.algorithm`` is used because
it mirrors brackets and quotes («(», «»») as the algorithm asks; its newer ``bidi.get_display``
does not.

>>> visual_lines("abc 2020-01-05", 80)
['abc 2020-01-05']
>>> visual_lines("خبر 2020-01-05", 80) == ["2020-01-05 " + "ﺮﺒﺧ"]
True
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from collections.abc import Mapping

#: ``--bidi`` / ``KAVOSH_BIDI``: auto = on for a terminal that does not reorder by itself.
BIDI_MODES = ("auto", "on", "off")

LRE = "\u202a"  # LEFT-TO-RIGHT EMBEDDING
PDF = "\u202c"  # POP DIRECTIONAL FORMATTING
_LTR = r"A-Za-z0-9\u00c0-\u024f\u06f0-\u06f9\u0660-\u0669"  # Latin letters, ASCII/Persian/Arabic digits
# A run that starts and ends with one of those, with spaces and the punctuation of dates, times,
# numbers and names inside («2020-01-05», «3.5», «BBC Persian», «e-mail»).
_LTR_RUN = re.compile(f"[{_LTR}](?:[{_LTR} .,:/\\-_'+%]*[{_LTR}%])?")
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def terminal_reorders(env: Mapping[str, str]) -> bool:
    """Whether the terminal shapes and reorders right-to-left text itself (then we must not).

    VTE (GNOME Terminal and others) does since 0.58, Konsole and mlterm do.

    >>> terminal_reorders({"VTE_VERSION": "7600"}), terminal_reorders({"TERM": "xterm-256color"})
    (True, False)
    """
    vte = env.get("VTE_VERSION", "")
    return (vte.isdigit() and int(vte) >= 5800) or "KONSOLE_VERSION" in env or "MLTERM" in env


def bidi_wanted(mode: str, is_terminal: bool, env: Mapping[str, str] | None = None) -> bool:
    """``on``/``off`` as asked; ``auto``: only on a terminal that does not reorder by itself.

    >>> bidi_wanted("auto", is_terminal=False), bidi_wanted("auto", True, {}), bidi_wanted("on", False)
    (False, True, True)
    """
    if mode not in BIDI_MODES:
        raise ValueError(f"bidi mode must be one of {', '.join(BIDI_MODES)}, not {mode!r}")
    if mode != "auto":
        return mode == "on"
    return is_terminal and not terminal_reorders(os.environ if env is None else env)


def width() -> int:
    """Columns of the terminal (80 when it does not say)."""
    return shutil.get_terminal_size((80, 24)).columns


def visual(line: str) -> str:
    """One visual line: shaped, and reordered for a left-to-right terminal; Latin and digits kept."""
    if not _RTL_LETTER.search(line):
        return line
    # imported here: most runs print without bidi (a pipe, a terminal that reorders by itself)
    import arabic_reshaper
    from bidi.algorithm import get_display

    embedded = _LTR_RUN.sub(lambda m: LRE + m.group() + PDF, arabic_reshaper.reshape(line))
    return str(get_display(embedded, base_dir="R"))  # the algorithm removes LRE and PDF


def visual_lines(text: str, columns: int) -> list[str]:
    """``text`` wrapped to ``columns`` (at spaces, in reading order), each line then made ``visual``."""
    lines = textwrap.wrap(text, max(columns, 10), break_long_words=False, break_on_hyphens=False)
    return [visual(line) for line in lines] or [""]
