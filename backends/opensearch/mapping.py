"""The index's settings and mapping, versioned in ``index.json`` beside this module.

>>> body = index_body(shards=1, replicas=0)
>>> body["settings"]["number_of_shards"], body["mappings"]["properties"]["text_stem"]["index_options"]
(1, 'freqs')
"""

from __future__ import annotations

import copy
import json
import os
from functools import cache
from importlib import resources
from typing import Any

#: Bumped with any change to ``index.json``: an incremental reindex of an index built
#: with another version starts over.
MAPPING_VERSION = 5


@cache
def _stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath("index.json").read_text("utf-8"))
    data.pop("_comment", None)
    return data


def index_body(shards: int | None = None, replicas: int | None = None) -> dict[str, Any]:
    """Settings and mapping of a new index (3 primary shards and 1 replica unless told).

    ``$KAVOSH_OPENSEARCH_SHARDS`` sets the primaries of the indexes a reindex creates (one is
    fastest up to ~2 M articles: docs/scaling.md); it is read here, where the count is used.

    >>> os.environ["KAVOSH_OPENSEARCH_SHARDS"] = "1"
    >>> index_body()["settings"]["number_of_shards"]
    1
    >>> del os.environ["KAVOSH_OPENSEARCH_SHARDS"]
    >>> index_body()["settings"]["number_of_shards"]
    3
    """
    body = copy.deepcopy(_stored())
    raw = os.environ.get("KAVOSH_OPENSEARCH_SHARDS", "").strip()
    if shards is None and raw:
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"KAVOSH_OPENSEARCH_SHARDS must be a whole number of shards, 1 or more, not {raw!r}")
        shards = int(raw)
    if shards is not None:
        body["settings"]["number_of_shards"] = shards
    if replicas is not None:
        body["settings"]["number_of_replicas"] = replicas
    return body
