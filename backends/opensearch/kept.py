"""What a reindex keeps with an OpenSearch index for the next one (``Generation.keep``): documents
of the meta index, by id.

``kept:<index>`` names what is kept with that index (name -> its number of chunks and its digest);
``kept:<index>:<name>:<i>`` holds the i-th chunk of ``name``'s bytes, base64 (a few MB each: the
articles' stem counts are about 1 KB an article, and one document should stay far below the
cluster's request limit). The chunks are written before the index is published, under the new
index's name, and read back for the index the alias names: a reindex that died leaves chunks of an
index nobody searches, deleted with it (``forget``, from ``clean_leftovers``).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from backends.base import KeptUnreadable
from backends.opensearch.write import call, meta_index

#: Bytes of data per chunk document (base64 makes it a third larger).
CHUNK = 4 << 20
#: Chunks read per request: a node builds a whole ``mget`` answer in its heap, and at a million
#: articles the counts are about a gigabyte (512 MB heaps in ``make cluster``).
READ_CHUNKS = 4


def _head(index: str) -> str:
    return f"kept:{index}"


def _chunk(index: str, name: str, i: int) -> str:
    return f"kept:{index}:{name}:{i}"


def _names(client: Any, alias: str, index: str) -> dict[str, Any]:
    from opensearchpy import exceptions

    try:
        found = call(client.get, index=meta_index(alias), id=_head(index), expected=(exceptions.NotFoundError,))
    except exceptions.NotFoundError:
        return {}
    names: dict[str, Any] = found["_source"].get("names", {})
    return names


def keep(client: Any, alias: str, index: str, name: str, data: bytes) -> None:
    """Keep ``data`` with ``index`` under ``name`` (replacing what was kept so)."""
    chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
    names = _names(client, alias, index)
    names[name] = {"chunks": len(chunks), "sha256": hashlib.sha256(data).hexdigest()}
    # the head first: ``forget`` finds every chunk even of a run that dies between them
    call(client.index, index=meta_index(alias), id=_head(index), body={"kind": "kept", "names": names})
    for i, chunk in enumerate(chunks):
        body = {"kind": "kept", "data": base64.b64encode(chunk).decode("ascii")}
        call(client.index, index=meta_index(alias), id=_chunk(index, name, i), body=body)


def kept(client: Any, alias: str, index: str, name: str) -> bytes | None:
    """What was kept with ``index`` under ``name``; ``None`` when nothing was. ``KeptUnreadable``
    says which chunk is missing or not base64, or that the bytes do not match the digest recorded."""
    entry = _names(client, alias, index).get(name)
    if not entry:
        return None
    try:
        count, digest = int(entry["chunks"]), str(entry["sha256"])
    except (KeyError, TypeError, ValueError):
        raise KeptUnreadable(f"{_head(index)}: no number of chunks and digest for {name!r}") from None
    ids = [_chunk(index, name, i) for i in range(count)]
    found: list[dict[str, Any]] = []
    for start in range(0, count, READ_CHUNKS):
        found += call(client.mget, index=meta_index(alias), body={"ids": ids[start : start + READ_CHUNKS]})["docs"]
    data = []
    for i, doc in enumerate(found):
        try:
            data.append(base64.b64decode(doc["_source"]["data"], validate=True))
        except KeyError:  # no such document (``found`` false), or one without data
            raise KeptUnreadable(f"{ids[i]} (chunk {i + 1} of {count}) is missing") from None
        except (TypeError, ValueError):  # binascii.Error is a ValueError
            raise KeptUnreadable(f"{ids[i]} (chunk {i + 1} of {count}) is not base64") from None
    joined = b"".join(data)
    if hashlib.sha256(joined).hexdigest() != digest:
        raise KeptUnreadable(f"the {count} chunks of {name!r} kept with {index} do not match their digest")
    return joined


def forget(client: Any, alias: str, index: str) -> None:
    """Delete what was kept with ``index`` (deleted, or never published)."""
    for name, entry in _names(client, alias, index).items():
        for i in range(int(entry["chunks"])):
            call(client.delete, index=meta_index(alias), id=_chunk(index, name, i), ignore=[404])
    call(client.delete, index=meta_index(alias), id=_head(index), ignore=[404])
