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
#: Seconds a bulk request may take (a busy cluster merging segments answers slowly).
BULK_TIMEOUT = 120
#: Settings of an index while a full reindex fills it, put back to ``index.json``'s before it is
#: published: no replica (each document is indexed once; the replicas are copied afterwards as
#: segment files), no refresh, and no fsync of the translog per bulk request (a reindex that dies
#: leaves an index nobody searches, deleted by the next run).
BUILD_SETTINGS: dict[str, Any] = {"number_of_replicas": 0, "refresh_interval": "-1", "translog.durability": "async"}
#: Seconds ``publish`` waits for the replicas of a new index.
REPLICA_WAIT_SECONDS = 600
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


#: The client of a process of the writer's pool (each worker sends its own bulk requests).
_worker_client: Any = None


def _connect(urls: tuple[str, ...]) -> Any:
    from opensearchpy import OpenSearch

    return OpenSearch(list(urls), timeout=BULK_TIMEOUT, max_retries=2, retry_on_timeout=True)


def _start_worker(urls: tuple[str, ...]) -> None:
    global _worker_client
    _worker_client = _connect(urls)  # after the fork: a connection pool of its own


def _index_batch(job: tuple[list[tuple[dict[str, Any], str, str]], str, str]) -> int:
    """Analyse a batch and send it in one bulk request from this process: the slow part of a
    reindex, on every core (the parent only reads files and hands out batches)."""
    batch, stemmer, index = job
    from opensearchpy.serializer import JSONSerializer

    dumps = JSONSerializer().dumps  # here, not in the parent: encoding is a tenth of the work
    actions = [{"_op_type": "index", "_index": index, "_id": doc["id"],
                "_source": dumps(analysed(doc, path, group, stemmer))} for doc, path, group in batch]  # fmt: skip
    return bulk(_worker_client, actions)


def bulk(client: Any, actions: list[dict[str, Any]], deletes: bool = False) -> int:
    """Send ``actions`` (``_source`` already JSON); the documents done. Refused ones raise, naming one."""
    from opensearchpy import helpers

    done = 0
    failed = []
    # list(): the requests are made while the generator runs, so that is what ``call`` must wrap
    for ok, item in call(list, helpers.streaming_bulk(client, actions, chunk_size=BATCH, max_retries=3,
                                                      raise_on_error=False, raise_on_exception=True)):  # fmt: skip
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


class OpenSearchWriter:
    """Analyses documents and sends them on every core (a process pool; the parent reads the files)."""

    def __init__(self, client: Any, urls: tuple[str, ...], index: str, stemmer: str, procs: int,
                 parallel: bool) -> None:  # fmt: skip
        self.client = client
        self.index = index
        self.stemmer = stemmer
        self._batch: list[tuple[dict[str, Any], str, str]] = []
        self._pending: list[Any] = []
        self._pool = None
        if procs > 1 and parallel:
            self._pool = multiprocessing.get_context("fork").Pool(procs, _start_worker, (urls,))
        self._procs = procs

    def delete_file(self, path: str, ids: Sequence[str]) -> int:
        if not ids:
            return 0
        actions = [{"_op_type": "delete", "_index": self.index, "_id": ident} for ident in ids]
        return bulk(self.client, actions, deletes=True)

    def document(self, article: Article) -> dict[str, Any]:
        return light(article)

    def add(self, document: dict[str, Any], path: str, group: str) -> None:
        self._batch.append((document, path, group))
        if len(self._batch) >= BATCH:
            self._dispatch()

    def _dispatch(self) -> None:
        job = (self._batch, self.stemmer, self.index)
        self._batch = []
        if self._pool is None:
            global _worker_client
            _worker_client = self.client
            _index_batch(job)
            return
        self._pending.append(self._pool.apply_async(_index_batch, (job,)))
        while len(self._pending) > 2 * self._procs:  # keep every core busy, memory bounded
            self._pending.pop(0).get()

    def commit(self) -> None:
        try:
            if self._batch:
                self._dispatch()
            while self._pending:
                self._pending.pop(0).get()
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

    def __init__(self, client: Any, alias: str, *, stemmer: str, fmt: str | None, rebuild: bool,
                 urls: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.client = client
        self.urls = urls or _urls_of(client)
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
        self.settled: dict[str, Any] = {}  # settings the index gets back before it is published
        if self.incremental and current:
            _clone(client, current, self.name)
        else:
            body = index_body()
            self.settled = {name: body["settings"].get(name) for name in BUILD_SETTINGS}
            body["settings"] |= BUILD_SETTINGS
            call(client.indices.create, index=self.name, body=body)

    def writer(self, procs: int, parallel: bool) -> OpenSearchWriter:
        return OpenSearchWriter(self.client, self.urls, self.name, self.stemmer, procs, parallel)

    def publish(self, manifest: Manifest, meta: dict[str, Any]) -> None:
        files = {path: entry.to_json() for path, entry in manifest.files.items()}
        body = {"kind": "index", "mapping": MAPPING_VERSION, "analysis": SCHEMA_VERSION, "meta": meta,
                "manifest": _pack(files)}  # fmt: skip
        try:
            if self.settled:  # its replicas are copied now, segment files rather than documents
                call(self.client.indices.put_settings, index=self.name, body=self.settled)
            call(self.client.index, index=meta_index(self.alias), id=f"index:{self.name}", refresh="true", body=body)
            call(self.client.cluster.health, index=self.name, wait_for_status=self._settled_status(),
                 timeout=f"{REPLICA_WAIT_SECONDS}s", request_timeout=REPLICA_WAIT_SECONDS + 30)  # fmt: skip
        except BaseException:
            self.discard()
            raise
        actions: list[dict[str, Any]] = [{"add": {"index": self.name, "alias": self.alias}}]
        if self.previous:
            actions.insert(0, {"remove": {"index": self.previous, "alias": self.alias}})
        call(self.client.indices.update_aliases, body={"actions": actions})  # one atomic switch

    def _settled_status(self) -> str:
        """Green when the cluster has nodes for every replica (they are all copied before the
        alias moves), else yellow (a one-node cluster never places a replica)."""
        replicas = int(call(self.client.indices.get_settings, index=self.name, name="index.number_of_replicas")
                       [self.name]["settings"]["index"]["number_of_replicas"])  # fmt: skip
        nodes = int(call(self.client.cluster.health)["number_of_data_nodes"])
        return "green" if nodes > replicas else "yellow"

    def discard(self) -> None:
        try:
            self.client.indices.delete(index=self.name, ignore_unavailable=True)
            self.client.delete(index=meta_index(self.alias), id=f"index:{self.name}", ignore=[404])
        except Exception:  # the cluster is gone: the next run deletes it (``clean_leftovers``)
            return


def _urls_of(client: Any) -> tuple[str, ...]:
    """The node URLs a client was made with (for the writer's processes, which connect anew)."""
    hosts = client.transport.hosts or [{}]
    return tuple(f"{h.get('scheme', 'http')}://{h.get('host', '127.0.0.1')}:{h.get('port', 9200)}" for h in hosts)


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
