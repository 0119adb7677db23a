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
from indexer.parts import SPLIT, WHOLE, Part

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


def call(method: Callable[..., Any], *args: Any, expected: tuple[type[Exception], ...] = (), **kwargs: Any) -> Any:
    """An OpenSearch request; any error of the cluster is ``BackendUnavailable`` with a one-line reason,
    except the ``expected`` ones (e.g. ``NotFoundError``), which the caller handles."""
    with cluster_errors(expected):
        return method(*args, **kwargs)


@contextlib.contextmanager
def cluster_errors(expected: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """opensearch-py's exceptions raised inside, as ``BackendUnavailable`` (no traceback reaches a user).

    >>> from opensearchpy.exceptions import RequestError
    >>> with cluster_errors():
    ...     raise RequestError(400, "mapper_parsing_exception", {"error": {"reason": "bad date"}})
    Traceback (most recent call last):
    backends.base.BackendUnavailable: the OpenSearch cluster refused a request (400 mapper_parsing_exception: bad date)
    """
    from opensearchpy import exceptions

    try:
        yield
    except expected:
        raise
    except (exceptions.ConnectionError, exceptions.ConnectionTimeout) as err:
        raise BackendUnavailable(f"the OpenSearch cluster cannot be reached ({err.__class__.__name__})") from None
    except exceptions.TransportError as err:
        verb = "failed" if isinstance(err.status_code, int) and err.status_code >= 500 else "refused"
        raise BackendUnavailable(f"the OpenSearch cluster {verb} a request ({_reason(err)})") from None


def _reason(err: Any) -> str:
    """«400 mapper_parsing_exception: failed to parse …», from what the cluster answered."""
    info = err.info if isinstance(err.info, dict) else {}
    detail = info.get("error")
    reason = detail.get("reason") if isinstance(detail, dict) else None
    text = f"{err.status_code} {err.error}" + (f": {reason}" if reason else "")
    return " ".join(text.split())[:300]


def meta_index(alias: str) -> str:
    return alias + META_INDEX_SUFFIX


class Lock:
    """A reindex lock: a document only one process can create (``op_type=create``).

    A whole reindex holds ``lock:<alias>``; part K of N (``--part``) holds its own, so the N
    parts run side by side. A whole reindex and parts, or parts of two different splits,
    refuse each other: each takes its own lock first, then looks for the other kind.
    """

    def __init__(self, client: Any, alias: str, part: Part = WHOLE) -> None:
        self.client = client
        self.alias = alias
        self.part = part
        self.index = meta_index(alias)
        self.id = f"lock:{alias}" if part == WHOLE else f"lock:{alias}:part-{part.number}-of-{part.total}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _body(self) -> dict[str, Any]:
        return {"kind": "lock", "pid": os.getpid(), "host": socket.gethostname(), "renewed": time.time(),
                "part": str(self.part)}  # fmt: skip

    def __enter__(self) -> Lock:
        ensure_meta_index(self.client, self.alias)
        self._take()
        try:
            self._refuse_others()
        except BaseException:
            self._release()
            raise
        self._thread = threading.Thread(target=self._renew, daemon=True)
        self._thread.start()
        return self

    def _take(self) -> None:
        from opensearchpy import exceptions

        for _ in range(3):
            try:
                call(self.client.index, index=self.index, id=self.id, body=self._body(), op_type="create",
                     refresh="true", expected=(exceptions.ConflictError,))  # fmt: skip
                return
            except exceptions.ConflictError:
                try:
                    held = call(self.client.get, index=self.index, id=self.id, expected=(exceptions.NotFoundError,))
                except exceptions.NotFoundError:
                    continue  # released meanwhile: try again
                holder = held["_source"]
                if _live(holder):
                    raise IndexBusy(f"another reindex{_of_part(holder)} is running on OpenSearch alias "
                                    f"{self.alias!r} (pid {holder.get('pid')} on {holder.get('host')}); "
                                    "wait for it to finish") from None  # fmt: skip
                with contextlib.suppress(exceptions.ConflictError, exceptions.NotFoundError):  # its holder died
                    call(self.client.delete, index=self.index, id=self.id, if_seq_no=held["_seq_no"],
                         if_primary_term=held["_primary_term"], refresh="true",
                         expected=(exceptions.ConflictError, exceptions.NotFoundError))  # fmt: skip
        raise IndexBusy(f"another reindex took the lock on OpenSearch alias {self.alias!r}; wait for it")

    def _refuse_others(self) -> None:
        """A live lock of the other kind (whole against parts, or another split) refuses this run."""
        body = {"query": {"term": {"kind": "lock"}}, "size": 1000}
        for hit in call(self.client.search, index=self.index, body=body)["hits"]["hits"]:
            holder = hit["_source"]
            if hit["_id"] == self.id or not _live(holder):
                continue
            theirs = holder.get("part", str(WHOLE))
            whole = theirs == str(WHOLE) or self.part == WHOLE
            if whole or theirs.split("/")[1] != str(self.part.total):
                raise IndexBusy(f"another reindex{_of_part(holder)} is running on OpenSearch alias "
                                f"{self.alias!r} (pid {holder.get('pid')} on {holder.get('host')}); "
                                "wait for it to finish")  # fmt: skip

    def _renew(self) -> None:
        from opensearchpy.exceptions import OpenSearchException

        while not self._stop.wait(LOCK_RENEW_SECONDS):
            try:
                self.client.index(index=self.index, id=self.id, body=self._body())
            except OpenSearchException:  # a cluster down for a while: the reindex itself will report it
                continue

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._release()

    def _release(self) -> None:
        from opensearchpy.exceptions import OpenSearchException

        try:
            self.client.delete(index=self.index, id=self.id, refresh="true")
        except OpenSearchException:  # the cluster is gone: the lock goes stale and the next run takes it over
            return


def _live(holder: dict[str, Any]) -> bool:
    """Is the lock's holder still running (renewed lately, and not a process this machine knows is gone)?"""
    return time.time() - float(holder.get("renewed", 0)) < LOCK_STALE_SECONDS and not _gone_here(holder)


def _gone_here(holder: dict[str, Any]) -> bool:
    """A holder on this machine whose process has ended: killed, or cut off from the cluster, so that
    it could not release the lock. It is not waited for."""
    if holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(holder.get("pid", 0)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OverflowError):
        return False
    return False


def _of_part(holder: dict[str, Any]) -> str:
    """« (part 2/3)» for a part's lock, nothing for a whole reindex's."""
    part = holder.get("part", str(WHOLE))
    return "" if part == str(WHOLE) else f" (part {part})"


def ensure_meta_index(client: Any, alias: str) -> None:
    from opensearchpy import exceptions

    name = meta_index(alias)
    if call(client.indices.exists, index=name):
        return
    try:
        call(client.indices.create, index=name, body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 1},
            "mappings": {"dynamic": False, "properties": {"kind": {"type": "keyword"}}},
        }, expected=(exceptions.RequestError,))  # fmt: skip
    except exceptions.RequestError as err:
        if "resource_already_exists" not in str(err):
            raise


def current_index(client: Any, alias: str) -> str | None:
    """The index the alias names, or ``None``."""
    from opensearchpy import exceptions

    try:
        found = call(client.indices.get_alias, name=alias, expected=(exceptions.NotFoundError,))
    except exceptions.NotFoundError:
        return None
    names = sorted(found)
    return names[-1] if names else None


def read_meta(client: Any, alias: str, index: str) -> dict[str, Any] | None:
    from opensearchpy import exceptions

    try:
        found = call(client.get, index=meta_index(alias), id=f"index:{index}", expected=(exceptions.NotFoundError,))
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


def _actions(job: tuple[list[tuple[dict[str, Any], str, str]], str, str]) -> list[dict[str, Any]]:
    """A batch analysed, as bulk actions whose sources are JSON already (encoded where the
    analysis runs, so the parent neither encodes nor receives the analysed documents)."""
    from opensearchpy.serializer import JSONSerializer

    batch, stemmer, index = job
    dumps = JSONSerializer().dumps
    return [{"_op_type": "index", "_index": index, "_id": doc["id"],
             "_source": dumps(analysed(doc, path, group, stemmer))} for doc, path, group in batch]  # fmt: skip


def _index_batch(job: tuple[list[tuple[dict[str, Any], str, str]], str, str]) -> int:
    """In a worker of the pool: analyse a batch and send it in one bulk request from this process
    (the slow part of a reindex, on every core; the parent only reads files and hands out batches)."""
    return bulk(_worker_client, _actions(job))


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
            bulk(self.client, _actions(job))
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
    """A new index being built for the alias (by this run alone, or by N parts: ``parts``)."""

    def __init__(self, client: Any, alias: str, *, stemmer: str, fmt: str | None, rebuild: bool,
                 urls: tuple[str, ...] = (), part: Part = WHOLE) -> None:  # fmt: skip
        from backends.opensearch import parts

        self.client = client
        self.urls = urls or _urls_of(client)
        self.alias = alias
        self.stemmer = stemmer
        self.part = part
        self.waiting: list[int] = []
        current = current_index(client, alias)
        build = parts.read_build(client, alias)
        if build is not None and part == WHOLE:
            parts.abandon(client, alias, build)  # an unfinished split (its parts' locks are stale)
            build = None
        clean_leftovers(client, alias, current, keep=build["index"] if build else None)
        config = {"mapping": MAPPING_VERSION, "analysis": SCHEMA_VERSION, "stemmer": stemmer, "format": fmt}
        joinable = {**config, "split": SPLIT}  # parts that split the files otherwise would read some twice
        if build is not None:  # join the split under way
            parts.check_joinable(alias, build, part, joinable)
            self._joined(build)
            return
        meta = read_meta(client, alias, current) if current else None
        same = meta is not None and {"mapping": meta.get("mapping"), "analysis": meta.get("analysis"),
                                     "stemmer": meta.get("meta", {}).get("stemmer"),
                                     "format": meta.get("meta", {}).get("format")} == config  # fmt: skip
        incremental = bool(current and same and not rebuild)
        name = f"{alias}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{time.time_ns() % 10**9:09d}"
        if part != WHOLE:
            planned = {"index": name, "previous": current, "incremental": incremental, "parts": part.total, **joinable}
            build = parts.claim_build(client, alias, planned)
            if build["index"] != name:  # another part claimed it first
                parts.check_joinable(alias, build, part, joinable)
                self._joined(build)
                return
        self.name, self.previous, self.incremental = name, current, incremental
        self.manifest = _manifest(_unpack(meta["manifest"])) if incremental and meta else None
        self.settled = {} if incremental else _settled()  # settings the index gets back before it is published
        if incremental and current:
            _clone(client, current, self.name)
        else:
            body = index_body()
            body["settings"] |= BUILD_SETTINGS
            call(client.indices.create, index=self.name, body=body)
        if part != WHOLE:
            parts.mark_ready(client, alias)

    def _joined(self, build: dict[str, Any]) -> None:
        from backends.opensearch import parts

        build = parts.wait_ready(self.client, self.alias)
        self.name, self.previous, self.incremental = build["index"], build["previous"], build["incremental"]
        meta = read_meta(self.client, self.alias, self.previous) if self.incremental and self.previous else None
        self.manifest = _manifest(_unpack(meta["manifest"])) if meta else None
        self.settled = {} if self.incremental else _settled()

    def writer(self, procs: int, parallel: bool) -> OpenSearchWriter:
        return OpenSearchWriter(self.client, self.urls, self.name, self.stemmer, procs, parallel)

    def publish(self, manifest: Manifest, meta: dict[str, Any]) -> None:
        """Make the index current; for a part, record its share and make it current when it is the last."""
        if self.part != WHOLE:
            from backends.opensearch import parts

            done = parts.record(self.client, self.alias, self.name, self.part, _pack(_files(manifest)), meta)
            if done is None:
                self.waiting = parts.waiting(self.client, self.alias, self.name, self.part.total)
                return
            manifest, meta = done
        body = {"kind": "index", "mapping": MAPPING_VERSION, "analysis": SCHEMA_VERSION, "meta": meta,
                "manifest": _pack(_files(manifest))}  # fmt: skip
        try:
            if self.settled:  # its replicas are copied now, segment files rather than documents
                # A commit first: a replica recovers the primary's last commit as files, then replays the
                # operations after it. Built without refresh and with an async translog, the index had no
                # commit with its documents (208 bytes), so each replica indexed every document again.
                # Twice: a replica starts from the primary's newest *safe* commit (its operations all below
                # the global checkpoint the translog has synced), and with the build's async translog that
                # checkpoint is synced by the first flush, too late to make its own commit safe.
                call(self.client.indices.flush, index=self.name)
                call(self.client.indices.flush, index=self.name, force=True)
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
        if self.part != WHOLE:
            from backends.opensearch import parts

            parts.forget(self.client, self.alias)

    def _settled_status(self) -> str:
        """Green when the cluster has nodes for every replica (they are all copied before the
        alias moves), else yellow (a one-node cluster never places a replica)."""
        replicas = int(call(self.client.indices.get_settings, index=self.name, name="index.number_of_replicas")
                       [self.name]["settings"]["index"]["number_of_replicas"])  # fmt: skip
        nodes = int(call(self.client.cluster.health)["number_of_data_nodes"])
        return "green" if nodes > replicas else "yellow"

    def discard(self) -> None:
        """Throw the new index away; a part leaves it to the others (its own share is written
        again, by document id, when the part runs again)."""
        from opensearchpy.exceptions import OpenSearchException

        from backends.opensearch import kept

        if self.part != WHOLE:
            return
        try:
            self.client.indices.delete(index=self.name, ignore_unavailable=True)
            self.client.delete(index=meta_index(self.alias), id=f"index:{self.name}", ignore=[404])
            kept.forget(self.client, self.alias, self.name)
        except (OpenSearchException, BackendUnavailable):  # the cluster is gone: the next run deletes it
            return  # (``clean_leftovers``); anything else is a bug, not to be hidden

    def keep(self, name: str, data: bytes) -> None:
        from backends.opensearch import kept

        kept.keep(self.client, self.alias, self.name, name, data)

    def kept(self, name: str) -> bytes | None:
        from backends.opensearch import kept

        if not (self.incremental and self.previous):
            return None
        return kept.kept(self.client, self.alias, self.previous, name)


def _urls_of(client: Any) -> tuple[str, ...]:
    """The node URLs a client was made with (for the writer's processes, which connect anew)."""
    hosts = client.transport.hosts or [{}]
    return tuple(f"{h.get('scheme', 'http')}://{h.get('host', '127.0.0.1')}:{h.get('port', 9200)}" for h in hosts)


def _files(manifest: Manifest) -> dict[str, Any]:
    return {path: entry.to_json() for path, entry in manifest.files.items()}


def _settled() -> dict[str, Any]:
    """``index.json``'s values of the settings a full build changes (``BUILD_SETTINGS``)."""
    settings = index_body()["settings"]
    return {name: settings.get(name) for name in BUILD_SETTINGS}


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


def clean_leftovers(client: Any, alias: str, current: str | None, keep: str | None = None) -> list[str]:
    """Delete the indices of the alias's family that it does not name: unfinished ones, and the
    one it named before the last reindex (searches re-read the alias every few seconds); not
    ``keep``, the index a reindex in parts is building."""
    from backends.opensearch import kept

    gone = [name for name in family(client, alias) if name not in (current, keep)]
    for name in gone:
        call(client.indices.delete, index=name, ignore_unavailable=True)
        call(client.delete, index=meta_index(alias), id=f"index:{name}", ignore=[404])
        kept.forget(client, alias, name)
    return gone
