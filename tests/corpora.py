"""Small test corpora: articles written as JSON Lines and indexed, for module fixtures."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from indexer.build import reindex


def index_articles(folder: Path, articles: Iterable[dict[str, Any]]) -> Path:
    """Write ``articles`` to ``folder/articles.jsonl``, index them into ``folder/index``; the index."""
    corpus = folder / "articles.jsonl"
    corpus.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    reindex([corpus], folder / "index")
    return folder / "index"
