"""The index's settings and mapping, versioned in ``index.json`` beside this module.

>>> body = index_body(shards=1, replicas=0)
>>> body["settings"]["number_of_shards"], body["mappings"]["properties"]["text_stem"]["index_options"]
(1, 'freqs')
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

#: Bumped with any change to ``index.json``: an incremental reindex of an index built
#: with another version starts over.
MAPPING_VERSION = 4


@cache
def _stored() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files(__package__).joinpath("index.json").read_text("utf-8"))
    data.pop("_comment", None)
    return data


def index_body(shards: int | None = None, replicas: int | None = None) -> dict[str, Any]:
    """Settings and mapping of a new index (1 primary shard and 1 replica unless told)."""
    body = copy.deepcopy(_stored())
    if shards is not None:
        body["settings"]["number_of_shards"] = shards
    if replicas is not None:
        body["settings"]["number_of_replicas"] = replicas
    return body
