"""Kavosh (کاوش): full-text search for Persian news. The command line lives here."""

import os
from pathlib import Path

#: Where the index lives unless ``--index`` or ``KAVOSH_INDEX`` says otherwise.
DEFAULT_INDEX = Path("var") / "index"


def index_location(option: str | os.PathLike[str] | None = None) -> Path:
    """``--index``, else ``$KAVOSH_INDEX``, else ``var/index`` in the current folder."""
    return Path(option or os.environ.get("KAVOSH_INDEX") or DEFAULT_INDEX)
