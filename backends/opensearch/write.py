"""The OpenSearch side of a reindex: a new index behind the alias, swapped in one ``_aliases`` call.

A full reindex creates a new index; an incremental one clones the current index (hard
links, seconds) and applies the changes by document id to the clone. Either way the
alias moves only when the new index is complete, in one atomic ``_aliases`` call: a
reindex killed at any point leaves the alias on the previous index, and the next run
deletes every index of the alias's family that the alias does not name (what a killed
run left, and the index the alias named before the last reindex).

The manifest and the labels live in a small meta index beside, one document per index.
A lock document created with ``op_type=create`` refuses a second reindex; the holder
renews it, so a lock whose holder died is taken over once it is stale.
"""

from __future__ import annotations

import base64
import contextlib
import json
import multiprocessing
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from backends.base import BackendUnavailable, IndexBusy
from backends.opensearch.documents import analysed, light
from backends.opensearch.mapping import MAPPING_VERSION, index_body
from backends.whoosh.schema import SCHEMA_VERSION  # bumped when the analysis changes: start over too
from indexer.article import Article
from indexer.manifest import FileEntry, Manifest

#: Documents analysed per task of the process pool, and sent per bulk request.
BATCH = 250
#: A lock not renewed for this long belongs to a reindex that died.
LOCK_STALE_SECONDS = 120
LOCK_RENEW_SECONDS = 20
META_INDEX_SUFFIX = "-kavosh-meta"


def call(method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """An OpenSearch request; a cluster that cannot be reached or fails is ``BackendUnavailable``."""
    from opensearchpy import exceptions

    try:
        return method(*args, **kwargs)
    except (exceptions.ConnectionError, exceptions.ConnectionTimeout) as err:
        raise BackendUnavailable(f"the OpenSearch cluster cannot be reached ({err.__class__.__name__})") from None
    except exceptions.TransportError as err:
        if isinstance(err.status_code, int) and err.status_code >= 500:
            problem = f"{err.status_code}: {err.error}"
            raise BackendUnavailable(f"the OpenSearch cluster failed the request ({problem})") from None
        raise


def meta_index(alias: str) -> str:
    return alias + META_INDEX_SUFFIX


class Lock:
    """A reindex lock: a document only one process can create (``op_type=create``)."""

    def __init__(self, client: Any, alias: str) -> None:
        self.client = client
        self.alias = alias
        self.index = meta_index(alias)
        self.id = f"lock:{alias}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _body(self) -> dict[str, Any]:
        return {"kind": "lock", "pid": os.getpid(), "host": socket.gethostname(), "renewed": time.time()}

    def __enter__(self) -> Lock:
        ensure_meta_index(self.client, self.alias)
        from opensearchpy import exceptions

        for _ in range(2):
            try:
                call(self.client.index, index=self.index, id=self.id, body=self._body(), op_type="create",
                     refresh="true")  # fmt: skip
                break
            except exceptions.ConflictError:
                held = call(self.client.get, index=self.index, id=self.id)
                holder = held["_source"]
                if time.time() - float(holder.get("renewed", 0)) < LOCK_STALE_SECONDS:
                    raise IndexBusy(
                        f"another reindex is running on OpenSearch alias {self.alias!r} "
                        f"(pid {holder.get('pid')} on {holder.get('host')}); wait for it to finish"
                    ) from None
                with contextlib.suppress(exceptions.ConflictError):  # its holder died: take it over
                    call(self.client.delete, index=self.index, id=self.id, if_seq_no=held["_seq_no"],
                         if_primary_term=held["_primary_term"], refresh="true")  # fmt: skip
        else:
            raise IndexBusy(f"another reindex took the lock on OpenSearch alias {self.alias!r}; wait for it")
        self._thread = threading.Thread(target=self._renew, daemon=True)
        self._thread.start()
        return self

    def _renew(self) -> None:
        while not self._stop.wait(LOCK_RENEW_SECONDS):
            try:
                self.client.index(index=self.index, id=self.id, body=self._body())
            except Exception:  # a cluster down for a while: the reindex itself will report it
                continue

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        try:
            self.client.delete(index=self.index, id=self.id, refresh="true")
        except Exception:  # the cluster is gone: the lock goes stale and the next run takes it over
            return


def ensure_meta_index(client: Any, alias: str) -> None:
    from opensearchpy import exceptions

    name = meta_index(alias)
    if call(client.indices.exists, index=name):
        return
    try:
        call(client.indices.create, index=name, body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 1},
            "mappings": {"dynamic": False, "properties": {"kind": {"type": "keyword"}}},
        })  # fmt: skip
    except exceptions.RequestError as err:
        if "resource_already_exists" not in str(err):
            raise


def current_index(client: Any, alias: str) -> str | None:
    """The index the alias names, or ``None``."""
    from opensearchpy import exceptions

    try:
        found = call(client.indices.get_alias, name=alias)
    except exceptions.NotFoundError:
        return None
    names = sorted(found)
    return names[-1] if names else None


def read_meta(client: Any, alias: str, index: str) -> dict[str, Any] | None:
    from opensearchpy import exceptions

    try:
        found = call(client.get, index=meta_index(alias), id=f"index:{index}")
    except exceptions.NotFoundError:
        return None
    source: dict[str, Any] = found["_source"]
    return source


def _pack(data: Any) -> str:
    return base64.b64encode(zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)).decode("ascii")


def _unpack(text: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))


def _manifest(files: dict[str, Any]) -> Manifest:
    return Manifest({path: FileEntry.from_json(entry) for path, entry in files.items()})


def _analyse_batch(job: tuple[list[tuple[dict[str, Any], str, str]], str]) -> list[dict[str, Any]]:
    batch, stemmer = job
    return [{"_id": doc["id"], "_source": analysed(doc, path, group, stemmer)} for doc, path, group in batch]


class OpenSearchWriter:
    """Analyses documents on every core (a process pool) while the parent sends bulk requests."""

    def __init__(self, client: Any, index: str, stemmer: str, procs: int, parallel: bool) -> None:
        self.client = client
        self.index = index
        self.stemmer = stemmer
        self._batch: list[tuple[dict[str, Any], str, str]] = []
        self._pending: list[Any] = []
        self._pool = multiprocessing.get_context("fork").Pool(procs) if procs > 1 and parallel else None
        self._procs = procs

    def delete_file(self, path: str, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        actions = [{"_op_type": "delete", "_index": self.index, "_id": ident} for ident in ids]
        return self._bulk(actions, deletes=True)

    def document(self, article: Article) -> dict[str, Any]:
        return light(article)

    def add(self, document: dict[str, Any], path: str, group: str) -> None:
        self._batch.append((document, path, group))
        if len(self._batch) >= BATCH:
            self._dispatch()

    def _dispatch(self) -> None:
        job = (self._batch, self.stemmer)
        self._batch = []
        if self._pool is None:
            self._send(_analyse_batch(job))
            return
        self._pending.append(self._pool.apply_async(_analyse_batch, (job,)))
        while len(self._pending) > 2 * self._procs:  # keep every core busy, memory bounded
            self._send(self._pending.pop(0).get())

    def _send(self, docs: list[dict[str, Any]]) -> None:
        self._bulk([{"_op_type": "index", "_index": self.index, **doc} for doc in docs])

    def _bulk(self, actions: list[dict[str, Any]], deletes: bool = False) -> int:
        from opensearchpy import helpers

        done = 0
        failed = []
        for ok, item in call(helpers.streaming_bulk, self.client, actions, chunk_size=BATCH, max_retries=3,
                             raise_on_error=False, raise_on_exception=True):  # fmt: skip
            result = next(iter(item.values()))
            if ok:
                done += 1
            elif deletes and result.get("status") == 404:
                continue  # not there: nothing to delete
            else:
                failed.append(f"{result.get('_id')}: {result.get('error')}")
        if failed:
            raise BackendUnavailable(f"OpenSearch refused {len(failed)} documents, e.g. {failed[0]}")
        return done

    def commit(self) -> None:
        try:
            if self._batch:
                self._dispatch()
            while self._pending:
                self._send(self._pending.pop(0).get())
            call(self.client.indices.refresh, index=self.index)
        finally:
            self._close()

    def cancel(self) -> None:
        self._batch = []
        self._pending = []
        self._close()

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


class OpenSearchGeneration:
    """A new index being built for the alias."""

    def __init__(self, client: Any, alias: str, *, stemmer: str, fmt: str | None, rebuild: bool) -> None:
        self.client = client
        self.alias = alias
        self.stemmer = stemmer
        current = current_index(client, alias)
        clean_leftovers(client, alias, current)
        meta = read_meta(client, alias, current) if current else None
        same = (
            meta is not None
            and meta.get("mapping") == MAPPING_VERSION
            and meta.get("analysis") == SCHEMA_VERSION
            and meta.get("meta", {}).get("stemmer") == stemmer
            and meta.get("meta", {}).get("format") == fmt
        )
        self.incremental = bool(current and same and not rebuild)
        self.manifest = _manifest(_unpack(meta["manifest"])) if self.incremental and meta else None
        self.name = f"{alias}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}"
        self.previous = current
        if self.incremental and current:
            _clone(client, current, self.name)
        else:
            call(client.indices.create, index=self.name, body=index_body())

    def writer(self, procs: int, parallel: bool) -> OpenSearchWriter:
        return OpenSearchWriter(self.client, self.name, self.stemmer, procs, parallel)

    def publish(self, manifest: Manifest, meta: dict[str, Any]) -> None:
        files = {path: entry.to_json() for path, entry in manifest.files.items()}
        body = {"kind": "index", "mapping": MAPPING_VERSION, "analysis": SCHEMA_VERSION, "meta": meta,
                "manifest": _pack(files)}  # fmt: skip
        try:
            call(self.client.index, index=meta_index(self.alias), id=f"index:{self.name}", refresh="true", body=body)
            call(self.client.cluster.health, index=self.name, wait_for_status="yellow")
        except BaseException:
            self.discard()
            raise
        actions: list[dict[str, Any]] = [{"add": {"index": self.name, "alias": self.alias}}]
        if self.previous:
            actions.insert(0, {"remove": {"index": self.previous, "alias": self.alias}})
        call(self.client.indices.update_aliases, body={"actions": actions})  # one atomic switch

    def discard(self) -> None:
        try:
            self.client.indices.delete(index=self.name, ignore_unavailable=True)
            self.client.delete(index=meta_index(self.alias), id=f"index:{self.name}", ignore=[404])
        except Exception:  # the cluster is gone: the next run deletes it (``clean_leftovers``)
            return


def _clone(client: Any, source: str, target: str) -> None:
    """``target`` as a copy of ``source`` (hard-linked segments); ``source`` is read-only meanwhile."""
    call(client.indices.put_settings, index=source, body={"index.blocks.write": True})
    try:
        call(client.indices.clone, index=source, target=target, body={"settings": {"index.blocks.write": None}},
             wait_for_active_shards=1)  # fmt: skip
    finally:
        call(client.indices.put_settings, index=source, body={"index.blocks.write": None})


def family(client: Any, alias: str) -> Iterator[str]:
    """The indices built for ``alias`` (``alias-<time>``)."""
    found = call(client.indices.get, index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
    for name in sorted(found):
        if name != meta_index(alias) and name[len(alias) + 1 : len(alias) + 2].isdigit():
            yield name


def clean_leftovers(client: Any, alias: str, current: str | None) -> list[str]:
    """Delete the indices of the alias's family that it does not name: unfinished ones, and the
    one it named before the last reindex (searches re-read the alias every few seconds)."""
    gone = [name for name in family(client, alias) if name != current]
    for name in gone:
        call(client.indices.delete, index=name, ignore_unavailable=True)
        call(client.delete, index=meta_index(alias), id=f"index:{name}", ignore=[404])
    return gone
