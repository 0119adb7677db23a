"""The one shape every reader produces, its text free of control characters.

>>> Article(id="a\\x00", title="خبر\\x01 تازه", body="متن\\ud800", tags=["ورزش\\x7f"]).to_json()["title"]
'خبر تازه'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

# C0 controls but tab, newline and carriage return; DEL and the C1 controls; lone surrogates
# (a JSON "\\ud800" escape) and the noncharacters U+FFFE/U+FFFF: none is text, none may
# appear in XML (the Atom feed), and a surrogate cannot even be written as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def drop_control_characters(text: str) -> str:
    """``text`` without control characters, lone surrogates and noncharacters.

    >>> drop_control_characters("a\\x00b\\x1fc\\x85d\\ufffee\\tf\\ng")
    'abcde\\tf\\ng'
    """
    return _CONTROL.sub("", text)


@dataclass
class Article:
    """A news article, as read from any corpus format.

    ``published`` is timezone-aware (Asia/Tehran for sources that give no
    zone) or ``None`` when the source has no date.
    """

    id: str
    title: str
    body: str
    url: str = ""
    lead: str = ""
    source: str = ""  # the outlet that published it («تابناک»)
    cited: list[str] = field(default_factory=list)  # agencies it reports from («به گزارش مهر»)
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)  # (speaker, what they said), in order
    published: datetime | None = None
    path: str = ""  # the file it came from, for error messages and `kavosh parse`

    def __post_init__(self) -> None:
        """Every reader's text is cleaned here, at read time, once."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str) and item.name != "path":
                setattr(self, item.name, drop_control_characters(value))
            elif isinstance(value, list):
                setattr(self, item.name, [drop_control_characters(v) if isinstance(v, str) else v for v in value])

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict in the project's JSON Lines format.

        >>> Article(id="a", title="t", body="b").to_json()["published"] is None
        True
        """
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "lead": self.lead,
            "body": self.body,
            "source": self.source,
            "cited": list(self.cited),
            "categories": list(self.categories),
            "tags": list(self.tags),
            "speakers": list(self.speakers),
            "quotes": [{"speaker": speaker, "text": text} for speaker, text in self.quotes],
            "published": self.published.isoformat() if self.published else None,
        }
