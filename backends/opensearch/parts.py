"""N feeding machines, one new index: how the parts of ``kavosh reindex --part K/N`` meet.

The first part to start claims the build (a ``build:<alias>`` document in the meta index,
created with ``op_type=create``): it names the new index and whether it is a fresh index or
a clone of the current one, and creates it. Every other part joins that build and writes
its own files' documents into the same index, by document id. Each part deletes the
documents of its own files that changed or vanished: a file belongs to one part by a hash of
its path (``indexer.parts``), so every vanished file is deleted once, by the part it belonged to.

A part that ends records its share of the manifest (``part:<index>:<K>``). The part that
finds all N shares recorded merges them, and moves the alias in one ``_aliases`` call, as a
whole reindex does: until then searches see the previous complete index. A part that fails
leaves the build open; running that part again writes its share again (by id: the same
documents), and the build completes. A reindex without ``--part`` abandons an open build
whose parts are not running (their locks are stale), and deletes its index.
"""

from __future__ import annotations

import json
import time
from typing import Any

from backends.base import BackendUnavailable, IndexBusy
from backends.opensearch.write import LOCK_STALE_SECONDS, call, current_index, meta_index
from indexer.manifest import FileEntry, Manifest
from indexer.parts import Part

#: Seconds a part waits for the part that claimed the build to create its index.
READY_SECONDS = 600
#: Document ids read per request when looking for documents no part's manifest holds.
SWEEP_PAGE = 10_000


def _build_id(alias: str) -> str:
    return f"build:{alias}"


def read_build(client: Any, alias: str) -> dict[str, Any] | None:
    """The open build of ``alias``, or ``None``."""
    from opensearchpy import exceptions

    try:
        found = call(client.get, index=meta_index(alias), id=_build_id(alias), expected=(exceptions.NotFoundError,))
    except exceptions.NotFoundError:
        return None
    source: dict[str, Any] = found["_source"]
    return source


def claim_build(client: Any, alias: str, planned: dict[str, Any]) -> dict[str, Any]:
    """``planned`` if this part is the first (it then creates the index), else the build another claimed."""
    from opensearchpy import exceptions

    body = {"kind": "build", "ready": False, "started": time.time(), **planned}
    try:
        call(client.index, index=meta_index(alias), id=_build_id(alias), body=body, op_type="create",
             refresh="true", expected=(exceptions.ConflictError,))  # fmt: skip
    except exceptions.ConflictError:
        found = read_build(client, alias)
        if found is None:
            raise IndexBusy(f"a reindex in parts on OpenSearch alias {alias!r} was abandoned; run again") from None
        return found
    return body


def check_joinable(alias: str, build: dict[str, Any], part: Part, config: dict[str, Any]) -> None:
    """Refuse to join a build of another split or another analysis."""
    count = build.get("parts")
    if count != part.total:
        raise IndexBusy(f"an unfinished reindex in {count} parts is open on OpenSearch alias {alias!r}: "
                        f"run its other parts with --part K/{count}, or a reindex without --part to start over")
    differs = sorted(key for key, value in config.items() if build.get(key) != value)
    if differs:
        raise IndexBusy(f"the reindex in parts open on OpenSearch alias {alias!r} was started with another "
                        f"{', '.join(differs)}: run every part the same way, or a reindex without --part")  # fmt: skip


def mark_ready(client: Any, alias: str) -> None:
    call(client.update, index=meta_index(alias), id=_build_id(alias), body={"doc": {"ready": True}}, refresh="true")


def wait_ready(client: Any, alias: str) -> dict[str, Any]:
    """The build, once the part that claimed it has created its index."""
    deadline = time.monotonic() + READY_SECONDS
    while True:
        build = read_build(client, alias)
        if build is None:
            raise IndexBusy(f"the reindex in parts on OpenSearch alias {alias!r} was abandoned; run again")
        if build.get("ready"):
            return build
        if time.monotonic() > deadline:
            raise BackendUnavailable(f"the part that started the reindex on OpenSearch alias {alias!r} did not "
                                     f"create its index in {READY_SECONDS} s")  # fmt: skip
        time.sleep(1)


def _part_id(index: str, number: int) -> str:
    return f"part:{index}:{number}"


def _shares(client: Any, alias: str, index: str, count: int) -> dict[int, dict[str, Any]]:
    ids = [_part_id(index, n) for n in range(1, count + 1)]
    docs = call(client.mget, index=meta_index(alias), body={"ids": ids}, refresh=True)["docs"]
    return {n: doc["_source"] for n, doc in zip(range(1, count + 1), docs, strict=True) if doc.get("found")}


def waiting(client: Any, alias: str, index: str, count: int) -> list[int]:
    """The parts that have not ended yet."""
    done = _shares(client, alias, index, count)
    return [n for n in range(1, count + 1) if n not in done]


def record(
    client: Any, alias: str, index: str, part: Part, manifest: str, meta: dict[str, Any]
) -> tuple[Manifest, dict[str, Any]] | None:
    """Record this part's share; when every part has ended and this one is first to see it,
    the merged manifest and meta (this part then publishes), else ``None``."""
    from opensearchpy import exceptions

    from backends.opensearch.write import _unpack

    body = {"kind": "part", "index": index, "part": part.number, "manifest": manifest, "meta": meta}
    call(client.index, index=meta_index(alias), id=_part_id(index, part.number), body=body, refresh="true")
    shares = _shares(client, alias, index, part.total)
    if len(shares) < part.total:
        return None
    finish = f"finish:{index}"
    for _ in range(2):
        try:
            call(client.index, index=meta_index(alias), id=finish, body={"kind": "finish", "at": time.time()},
                 op_type="create", refresh="true", expected=(exceptions.ConflictError,))  # fmt: skip
            break
        except exceptions.ConflictError:
            held = call(client.get, index=meta_index(alias), id=finish)
            if time.time() - float(held["_source"].get("at", 0)) < LOCK_STALE_SECONDS:
                return None  # another part is publishing
            call(client.delete, index=meta_index(alias), id=finish, refresh="true")  # it died: take over
    else:
        return None
    files: dict[str, FileEntry] = {}
    for share in shares.values():
        files.update({path: FileEntry.from_json(entry) for path, entry in _unpack(share["manifest"]).items()})
    merged = Manifest(files)
    _sweep(client, index, merged)
    meta = {**meta, "labels": merged.labels(), "dates": merged.date_range(), "parts": part.total}
    meta["summary"] = {**meta.get("summary", {}), "indexed": merged.document_count()}
    return merged, meta


def _sweep(client: Any, index: str, manifest: Manifest) -> None:
    """Delete the documents no part's manifest holds (written by a part that died, of files
    gone before it ran again). Only read when the index holds more documents than the manifest."""
    call(client.indices.refresh, index=index)
    if int(call(client.count, index=index)["count"]) <= manifest.document_count():
        return
    known = {doc.id for entry in manifest.files.values() for doc in entry.docs}
    after: dict[str, Any] | None = None
    stray: list[str] = []
    while True:
        composite: dict[str, Any] = {"size": SWEEP_PAGE, "sources": [{"id": {"terms": {"field": "id"}}}]}
        if after is not None:
            composite["after"] = after
        result = call(client.search, index=index, body={"size": 0, "aggs": {"ids": {"composite": composite}}})
        buckets = result["aggregations"]["ids"]["buckets"]
        stray += [b["key"]["id"] for b in buckets if b["key"]["id"] not in known]
        after = result["aggregations"]["ids"].get("after_key")
        if not buckets or after is None:
            break
    _delete(client, index, stray)


def forget(client: Any, alias: str) -> None:
    """Delete the build and its parts' records (the alias has moved, or the build is abandoned)."""
    body = {"query": {"terms": {"kind": ["build", "part", "finish"]}}, "size": 10_000, "_source": False}
    found = call(client.search, index=meta_index(alias), body=body)["hits"]["hits"]
    _delete(client, meta_index(alias), [hit["_id"] for hit in found])


def _delete(client: Any, index: str, ids: list[str]) -> None:
    """Delete documents by id (``_delete_by_query`` is the reindex module's, which a cluster may lack)."""
    for start in range(0, len(ids), SWEEP_PAGE):
        batch = ids[start : start + SWEEP_PAGE]
        call(client.bulk, body="".join(json.dumps({"delete": {"_index": index, "_id": i}}) + "\n" for i in batch),
             refresh="true")  # fmt: skip


def abandon(client: Any, alias: str, build: dict[str, Any]) -> None:
    """Give up an open build (a whole reindex starts; no part runs): its index and records go."""
    if build.get("index") and build["index"] != current_index(client, alias):
        call(client.indices.delete, index=build["index"], ignore_unavailable=True)
    forget(client, alias)
