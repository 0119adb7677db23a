"""Reindexing into the cluster (issue 15 §4): N parts feeding one index, and cluster errors.

Small fictional corpora of a few files each, in aliases of their own on the cluster the
``opensearch_urls`` fixture finds (skipped with the reason when there is none; fail in CI).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import Result
from opensearch_cluster import alias_env

from backends import Config, open_backend
from backends.base import IndexBusy
from indexer.build import reindex
from indexer.neighbours import KEY
from indexer.parts import SPLIT, Part, part_of
from indexer.vectors import Vectors
from kavosh.cli import PARTS_WITHOUT_NEIGHBOURS
from search.engine import Engine, SearchRequest

Kavosh = Callable[..., Result]
ROOT = Path(__file__).resolve().parents[1]
TOPICS = ["باران", "کتاب", "مدرسه", "قطار", "نان", "باغ"]


def _write_corpus(folder: Path, files: int = 9, per_file: int = 2) -> list[Path]:
    """``files`` JSONL files of ``per_file`` fictional articles each; the article ids are ``f<file>-<n>``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in range(files):
        records = [
            {"id": f"f{f}-{n}", "url": f"https://example.org/{f}/{n}", "title": f"گزارش {TOPICS[f % 6]} شماره {n}",
             "body": f"در شهر نمونه {TOPICS[f % 6]} و {TOPICS[(f + n) % 6]} موضوع گفت‌وگوی مردم بود. {f} {n}",
             "published": f"2023-0{1 + f % 9}-1{n}T08:00:00"}
            for n in range(per_file)
        ]
        path = folder / f"news-{f:02d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def config(opensearch_urls: list[str]) -> Iterator[Config]:
    from opensearchpy import OpenSearch

    alias = f"kavosh-reindex-{uuid.uuid4().hex[:8]}"
    yield Config(backend="opensearch", urls=tuple(opensearch_urls), alias=alias)
    client = OpenSearch(list(opensearch_urls))
    client.indices.delete(index=f"{alias}-*", ignore_unavailable=True, allow_no_indices=True)
    client.indices.delete_index_template(name=alias, ignore=[404])
    client.close()


def _ids(config: Config) -> set[str]:
    engine = Engine(config)
    try:
        return {hit["id"] for hit in engine.search(SearchRequest(query="", limit=1000))["hits"]}
    finally:
        engine.close()


def _meta(config: Config) -> dict[str, Any]:
    engine = Engine(config)
    try:
        return dict(engine.meta)
    finally:
        engine.close()


def _alias_target(config: Config) -> str | None:
    from opensearchpy import OpenSearch

    client = OpenSearch(list(config.urls))
    try:
        found = client.indices.get_alias(name=config.alias, ignore=[404])
        return None if "error" in found or not found else next(iter(found))
    finally:
        client.close()


def test_an_incremental_reindex_applies_new_changed_and_vanished_files_by_document_id(
    config: Config, tmp_path: Path
) -> None:
    files = _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    files[0].write_text(files[0].read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")  # f0-1 gone
    files[1].unlink()  # f1-0, f1-1 gone
    record = {"id": "new-1", "title": "گزارش تازه", "body": "خبری تازه درباره باران در شهر نمونه."}
    (tmp_path / "news" / "news-new.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = reindex([tmp_path / "news"], config)
    assert summary.mode == "incremental" and summary.files_read == 2 and summary.files_removed == 1
    every = {f"f{f}-{n}" for f in range(9) for n in range(2)}
    assert _ids(config) == every - {"f0-1", "f1-0", "f1-1"} | {"new-1"}
    assert summary.articles_line() == "1 added, 1 changed, 3 removed, 14 unchanged"


def test_an_incremental_reindex_takes_the_kept_stems_and_publishes_the_table_a_full_one_gives(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    files = _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    read: list[str] = []  # files read again for their articles' stems
    real = Vectors.read

    def recorded(self: Vectors, path: Path, ids: set[str], fmt: str | None = None) -> str | None:
        read.append(path.name)
        return real(self, path, ids, fmt)

    monkeypatch.setattr(Vectors, "read", recorded)
    files[1].unlink()
    record = {"id": "new-1", "title": "گزارش باران", "body": "در شهر نمونه باران و کتاب موضوع گفت‌وگوی مردم بود."}
    (tmp_path / "news" / "news-new.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert reindex([tmp_path / "news"], config).mode == "incremental"
    assert read == []  # the kept articles' stem counts came from the meta index
    reindex([tmp_path / "news"], tmp_path / "whoosh")  # the same files, a full reindex
    engines = [Engine(config), Engine(tmp_path / "whoosh")]
    try:
        assert engines[0].meta[KEY] == engines[1].meta[KEY]
    finally:
        for engine in engines:
            engine.close()
    # a kept chunk that is not base64 failed the reindex: the counts are read again from the files, and
    # the reindex says so in one note (the other damages: tests/test_kept_stems.py)
    from opensearchpy import OpenSearch

    from backends.opensearch.write import meta_index

    client = OpenSearch(list(config.urls))
    chunk = f"kept:{_alias_target(config)}:stems:0"
    client.index(index=meta_index(config.alias), id=chunk, body={"kind": "kept", "data": "not base64!"}, refresh=True)
    client.close()
    (tmp_path / "news" / "news-new-2.jsonl").write_text(json.dumps({**record, "id": "new-2"}, ensure_ascii=False),
                                                        encoding="utf-8")  # fmt: skip
    summary = reindex([tmp_path / "news"], config)
    kept_files = sorted(path.name for path in (tmp_path / "news").iterdir() if path.name != "news-new-2.jsonl")
    assert summary.mode == "incremental" and sorted(read) == kept_files  # every kept file, read again
    said = f"({open_backend(config).description}, kept as 'stems': {chunk} (chunk 1 of 1) is not base64)"
    assert summary.notes == [f"the articles' stem counts kept with the previous index cannot be read {said}: "
                             "its articles were read again from their files"]  # fmt: skip
    reindex([tmp_path / "news"], tmp_path / "whoosh")
    assert _meta(config)[KEY] == _meta(Config(backend="whoosh", index=tmp_path / "whoosh"))[KEY]


# --- --part K/N: N machines, one index ---------------------------------------------------------


def test_three_parts_in_parallel_feed_one_index_that_becomes_current_when_the_last_ends(
    config: Config, tmp_path: Path
) -> None:
    news = tmp_path / "news"
    files = _write_corpus(news)
    every = {f"f{f}-{n}" for f in range(9) for n in range(2)}
    reindex([news], config)  # the index searched meanwhile
    before = _alias_target(config)
    # a file's part hangs on its path in the corpus folder, not on where pytest put the folder
    assert [part_of(p.name, 3) for p in files] == [2, 2, 3, 2, 3, 2, 1, 3, 3]
    # a file changed and one vanished: each part deletes the documents of its own files
    files[0].write_text(files[0].read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    files[1].unlink()
    expected = every - {"f0-1", "f1-0", "f1-1"}

    summaries: dict[int, Any] = {}

    def feed(k: int) -> None:
        summaries[k] = reindex([news], config, part=Part(k, 3))

    first = threading.Thread(target=feed, args=(1,))
    second = threading.Thread(target=feed, args=(2,))
    first.start(), second.start()  # two machines at once (threads here)
    first.join(), second.join()
    assert sorted(summaries) == [1, 2]
    assert _alias_target(config) == before and _ids(config) == every  # not current until part 3 ends
    assert all(3 in summaries[k].waiting for k in (1, 2))
    feed(3)
    assert summaries[3].waiting == [] and _alias_target(config) != before
    assert _ids(config) == expected
    assert sum(summaries[k].files for k in (1, 2, 3)) == 8  # each file read by exactly one part
    assert summaries[3].mode == "incremental"
    assert KEY not in _meta(config)  # no part read every article: no neighbours (the CLI says so)
    # a whole reindex after it sees the merged manifest: nothing left to do but the neighbours
    again = reindex([news], config)
    assert again.mode == "incremental" and again.files_read == 0 and _ids(config) == expected
    reindex([news], tmp_path / "whoosh")
    assert _meta(config)[KEY] == Engine(tmp_path / "whoosh").meta[KEY]  # as a whole reindex computes them


def test_a_part_that_died_is_run_again_and_what_the_others_wrote_stays(config: Config, tmp_path: Path) -> None:
    _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config, part=Part(1, 2), rebuild=True)
    assert _alias_target(config) is None  # the first reindex: nothing current until both parts end
    # another split cannot join the open build, and a whole reindex waits for a live part
    with pytest.raises(IndexBusy, match=r"unfinished reindex in 2 parts .* --part K/2"):
        reindex([tmp_path / "news"], config, part=Part(1, 3))
    backend = open_backend(config)
    with backend.lock(Part(2, 2)), pytest.raises(IndexBusy, match=r"another reindex \(part 2/2\) is running"):
        reindex([tmp_path / "news"], config)
    backend.close()
    # nor a part of a Kavosh that split the files by their absolute paths (it would read some twice)
    _set_build(config, split=1)
    with pytest.raises(IndexBusy, match=r"was started with another split: run every part the same way"):
        reindex([tmp_path / "news"], config, part=Part(2, 2))
    _set_build(config, split=SPLIT)
    reindex([tmp_path / "news"], config, part=Part(1, 2))  # part 1 again: the same documents by id
    reindex([tmp_path / "news"], config, part=Part(2, 2))
    assert len(_ids(config)) == 18


def _recorded(config: Config) -> dict[str, str]:
    """Each file of the current index's manifest (absolute path) -> the relative path it records."""
    from opensearchpy import OpenSearch

    from backends.opensearch.write import _unpack, read_meta

    client = OpenSearch(list(config.urls))
    try:
        meta = read_meta(client, config.alias, _alias_target(config) or "")
    finally:
        client.close()
    assert meta is not None
    return {path: entry.get("relative", "") for path, entry in _unpack(meta["manifest"]).items()}


def test_machines_that_mount_the_corpus_at_different_places_split_it_alike_and_delete_what_vanished_once(
    config: Config, tmp_path: Path
) -> None:
    # one shared storage, seen by machine A at a/news and by machine B at b/corpus
    mounts = [tmp_path / "a" / "news", tmp_path / "b" / "corpus"]
    for mount in mounts:
        _write_corpus(mount, files=4)
    assert [part_of(f"news-{f:02d}.jsonl", 2) for f in range(4)] == [2, 1, 2, 2]
    first = [reindex([mounts[0]], config, part=Part(1, 2)), reindex([mounts[1]], config, part=Part(2, 2))]
    every = {f"f{f}-{n}" for f in range(4) for n in range(2)}
    assert [s.files for s in first] == [1, 3] and _ids(config) == every
    # each part's entries record the files' paths in the corpus, whichever mount it read them under
    names = {f: f"news-{f:02d}.jsonl" for f in range(4)}
    assert _recorded(config) == {str((mounts[0 if f == 1 else 1] / names[f]).resolve()): names[f] for f in range(4)}
    for mount in mounts:  # on the storage: news-01 (part 1's only file) vanishes, news-00 (part 2's) changes
        (mount / "news-01.jsonl").unlink()
        news = mount / "news-00.jsonl"
        news.write_text(news.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    # the machines swap parts: each finds its files by their recorded paths in the corpus, and deletes
    # the documents of those the other machine recorded under its own mount, once
    second = [reindex([mounts[1]], config, part=Part(1, 2)), reindex([mounts[0]], config, part=Part(2, 2))]
    assert [s.files for s in second] == [0, 3] and second[1].waiting == []
    assert _ids(config) == every - {"f0-1", "f1-0", "f1-1"}
    assert _recorded(config) == {str((mounts[0] / names[f]).resolve()): names[f] for f in (0, 2, 3)}


def _set_build(config: Config, **fields: Any) -> None:
    """Change the open build's record, as another version of Kavosh would have written it."""
    from opensearchpy import OpenSearch

    from backends.opensearch.write import meta_index

    client = OpenSearch(list(config.urls))
    client.update(index=meta_index(config.alias), id=f"build:{config.alias}", body={"doc": fields}, refresh=True)
    client.close()


def test_a_whole_reindex_abandons_a_build_whose_parts_are_gone(config: Config, tmp_path: Path) -> None:
    from opensearchpy import OpenSearch

    _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    first = _alias_target(config)
    reindex([tmp_path / "news"], config, part=Part(2, 3), rebuild=True)  # parts 1 and 3 never come
    client = OpenSearch(list(config.urls))
    (build,) = set(client.indices.get(index=f"{config.alias}-2*")) - {first}
    summary = reindex([tmp_path / "news"], config)
    family = set(client.indices.get(index=f"{config.alias}-2*"))
    client.close()
    assert summary.mode == "incremental" and len(_ids(config)) == 18
    assert build not in family and _alias_target(config) in family  # the abandoned build's index is gone


def test_the_cli_says_which_parts_it_waits_for(kavosh: Kavosh, config: Config, tmp_path: Path) -> None:
    _write_corpus(tmp_path / "news")
    options = ["--backend", "opensearch", "--opensearch", ",".join(config.urls), "--quiet"]
    with alias_env(config.alias):
        first = kavosh("reindex", str(tmp_path / "news"), *options, "--part", "2/2")
        last = kavosh("reindex", str(tmp_path / "news"), *options, "--part", "1/2")
    assert first.exit_code == 0 and last.exit_code == 0, first.output + last.output
    assert first.stdout.strip().endswith("part 2/2 done; the index becomes current when parts 1 have ended")
    assert last.stdout.strip().endswith("part 1/2 ended last: the index of all 2 parts is current\n"
                                        + PARTS_WITHOUT_NEIGHBOURS)  # fmt: skip


# --- a cluster error is one line, and the index searched stays -----------------------------------


def _one_clear_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kavosh: ") and "Traceback" not in result.output, result.output
    return lines[0]


def test_a_request_the_cluster_refuses_is_one_line_and_the_alias_stays(
    kavosh: Kavosh, config: Config, tmp_path: Path
) -> None:
    from opensearchpy import OpenSearch

    _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    before = _alias_target(config)
    # an operator's template that makes every new index of the alias refuse Kavosh's mapping (HTTP 400)
    client = OpenSearch(list(config.urls))
    client.indices.put_index_template(name=config.alias, body={
        "index_patterns": [f"{config.alias}-2*"], "priority": 500,
        "template": {"settings": {"index.mapping.total_fields.limit": 5}},
    })  # fmt: skip
    client.close()
    with alias_env(config.alias):
        result = kavosh("reindex", str(tmp_path / "news"), "--backend", "opensearch", "--opensearch",
                        ",".join(config.urls), "--rebuild", "--quiet")  # fmt: skip
    line = _one_clear_line(result)
    assert "the OpenSearch cluster refused a request (400 illegal_argument_exception: Limit of total fields" in line
    assert line.endswith("the index searched is unchanged")
    assert _alias_target(config) == before and len(_ids(config)) == 18


class _Proxy:
    """A TCP proxy to one node that stops at the first bulk request: the node's port then refuses
    connections, as when a cluster goes down in the middle of a reindex (or ``at_bulk`` runs first)."""

    def __init__(self, target: str, at_bulk: Callable[[], None] | None = None) -> None:
        self.at_bulk = at_bulk
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.bulks = 0
        self._open: list[socket.socket] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._open += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, requests: bool) -> None:
        try:
            while data := source.recv(65536):
                if requests and b"/_bulk" in data:
                    self.bulks += 1
                    if self.at_bulk is not None:
                        self.at_bulk()
                    self.stop()
                    return
                sink.sendall(data)
        except OSError:
            return

    def stop(self) -> None:
        self._stopped.set()
        self.server.close()
        for sock in self._open:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _rebuild_command(config: Config, corpus: Path, url: str) -> tuple[list[str], dict[str, str]]:
    """``kavosh reindex --rebuild`` of ``corpus`` into ``config``'s alias through ``url``, as a real
    process runs it (what a user sees on stderr, no test harness capturing logs): command and environment."""
    command = [sys.executable, "-m", "kavosh", "reindex", str(corpus), "--backend", "opensearch",
               "--opensearch", url, "--rebuild", "--quiet"]  # fmt: skip
    return command, {**os.environ, "KAVOSH_OPENSEARCH_ALIAS": config.alias}


def test_a_cluster_gone_in_the_middle_of_a_reindex_is_one_line_and_the_alias_stays(
    config: Config, tmp_path: Path
) -> None:
    from opensearchpy import OpenSearch

    _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    before = _alias_target(config)
    proxy = _Proxy(config.urls[0])
    try:
        command, env = _rebuild_command(config, tmp_path / "news", proxy.url)
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    finally:
        proxy.stop()
    assert proxy.bulks >= 1  # it went down while documents were being sent
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.splitlines() == [
        "kavosh: the OpenSearch cluster cannot be reached (ConnectionError); the index searched is unchanged"
    ]
    assert _alias_target(config) == before and len(_ids(config)) == 18
    # the next run, with the cluster back, takes over the lock of the process that is gone and
    # deletes the index it left
    client = OpenSearch(list(config.urls))
    (left,) = set(client.indices.get(index=f"{config.alias}-2*")) - {before}
    summary = reindex([tmp_path / "news"], config)
    family = set(client.indices.get(index=f"{config.alias}-2*"))
    client.close()
    assert summary.indexed == 18 and left not in family and _alias_target(config) in family


def test_a_reindex_killed_while_sending_documents_leaves_the_alias_and_the_next_run_cleans_up(
    config: Config, tmp_path: Path
) -> None:
    from opensearchpy import OpenSearch

    _write_corpus(tmp_path / "news")
    reindex([tmp_path / "news"], config)
    before = _alias_target(config)
    process: list[subprocess.Popen[str]] = []
    proxy = _Proxy(config.urls[0], at_bulk=lambda: process[0].kill())  # SIGKILL at its first bulk request
    try:
        command, env = _rebuild_command(config, tmp_path / "news", proxy.url)
        process.append(subprocess.Popen(command, env=env, cwd=ROOT, text=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
        assert process[0].wait(timeout=300) == -9
    finally:
        proxy.stop()
    assert _alias_target(config) == before and len(_ids(config)) == 18
    client = OpenSearch(list(config.urls))
    (left,) = set(client.indices.get(index=f"{config.alias}-2*")) - {before}
    summary = reindex([tmp_path / "news"], config)  # its lock is taken over: its process is gone
    family = set(client.indices.get(index=f"{config.alias}-2*"))
    client.close()
    assert summary.indexed == 18 and left not in family and _alias_target(config) in family


def test_bad_files_are_reported_as_on_whoosh(config: Config, tmp_path: Path) -> None:
    _write_corpus(tmp_path / "news", files=3)
    (tmp_path / "news" / "news-01.jsonl").write_text('{"id": "x", "title": "بی‌متن"\n[1, 2]\n', encoding="utf-8")
    (tmp_path / "news" / "empty.jsonl").write_bytes(b"")
    on_whoosh = reindex([tmp_path / "news"], tmp_path / "index")
    on_cluster = reindex([tmp_path / "news"], config)
    assert on_cluster.skipped == on_whoosh.skipped and len(on_cluster.skipped) >= 2
    assert on_cluster.indexed == on_whoosh.indexed == 4

