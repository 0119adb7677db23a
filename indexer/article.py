"""The one shape every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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
    published: datetime | None = None
    path: str = ""  # the file it came from, for error messages and `kavosh parse`

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
            "published": self.published.isoformat() if self.published else None,
        }
