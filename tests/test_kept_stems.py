"""An incremental reindex computes the neighbours from the stem counts the previous reindex kept with the
index (``indexer.vectors``), reading only the files it indexes: the table it publishes is the one a full
reindex of the same files publishes."""

from __future__ import annotations

import json
import marshal
import zlib
from pathlib import Path

import pytest

from backends.base import KeptUnreadable
from indexer import vectors as vectors_module
from indexer.build import reindex
from indexer.neighbours import KEY
from indexer.vectors import KEPT, Vectors
from search import neighbours
from search.engine import Engine

FILES = {
    "a.jsonl": [
        {"id": "dam1", "title": "سد کرج", "body": "آب پشت سد کرج کم شد و سدسازی ادامه دارد."},
        {"id": "dam2", "title": "سد لار", "body": "آب سد لار و سد کرج برای تهران است."},
    ],
    "b.jsonl": [
        {"id": "match1", "title": "فوتبال", "body": "تیم ملی فوتبال در تهران بازی کرد."},
        {"id": "match2", "title": "فوتبال", "body": "تیم فوتبال استقلال بازی را برد."},
    ],
    "c.jsonl": [
        {"id": "quake1", "title": "زلزله بم", "body": "زلزله شهر بم را لرزاند و امدادگران رسیدند."},
        {"id": "dam3", "title": "سد کرج", "body": "سد کرج و سد لار پر آب شد."},
    ],
    "d.jsonl": [
        {"id": "quake2", "title": "زلزله", "body": "امدادگران پس از زلزله بم چادر زدند."},
        {"id": "match3", "title": "فوتبال", "body": "تیم ملی فوتبال برای جام آماده می‌شود."},
    ],
}


def _write(corpus: Path, name: str, articles: list[dict[str, str]]) -> None:
    (corpus / name).write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KAVOSH_NEIGHBOURS")
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, articles in FILES.items():
        _write(folder, name, articles)
    return folder


@pytest.fixture
def read_again(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the reindexes read again for their articles' stems."""
    names: list[str] = []
    real = Vectors.read

    def read(self: Vectors, path: Path, ids: set[str], fmt: str | None = None) -> str | None:
        names.append(path.name)
        return real(self, path, ids, fmt)

    monkeypatch.setattr(Vectors, "read", read)
    return names


def _table(index: Path) -> str:
    packed: str = Engine(index).meta[KEY]
    return packed


def _full(corpus: Path, index: Path) -> str:
    """The table of a full reindex of ``corpus`` into ``index``."""
    reindex([corpus], index, rebuild=True)
    return _table(index)


def _kept_ids(index: Path) -> list[str]:
    generation = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    ids: list[str] = marshal.loads(zlib.decompress((generation / f"kept-{KEPT}").read_bytes()))[2]  # after format, key
    return ids


def test_an_incremental_reindex_reads_only_what_changed_and_publishes_the_full_reindexs_table(
    corpus: Path, tmp_path: Path, read_again: list[str]
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    before = neighbours.Table(_table(index))
    assert "match2" not in [n for n, _ in before["dam1"]]
    # match2 now reports on the dams; d.jsonl (quake2, match3) is gone; e.jsonl is new
    _write(corpus, "b.jsonl", [FILES["b.jsonl"][0], {"id": "match2", "title": "سد لار",
                                                     "body": "آب سد لار و سد کرج کم شد."}])  # fmt: skip
    (corpus / "d.jsonl").unlink()
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    summary = reindex([corpus], index)
    assert summary.mode == "incremental" and summary.files_read == 2
    assert read_again == []  # a.jsonl and c.jsonl: their articles' counts were kept
    table = neighbours.Table(_table(index))
    assert _table(index) == _full(corpus, tmp_path / "full")  # the key property: identical, byte for byte
    assert set(table) == {"dam1", "dam2", "match1", "match2", "quake1", "dam3", "quake3"}
    assert not {"quake2", "match3"} & {n for ident in table for n, _ in table[ident]}  # removed: gone everywhere
    assert sorted(_kept_ids(index)) == sorted(table)  # and from the kept counts
    assert "match2" in [n for n, _ in table["dam1"]] and "dam1" in [n for n, _ in table["match2"]]  # changed
    assert "match1" not in [n for n, _ in table["match2"]]


def test_a_reindex_that_changes_nothing_keeps_the_table_and_the_counts(
    corpus: Path, tmp_path: Path, read_again: list[str]
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    table = _table(index)
    assert reindex([corpus], index).added == 0
    assert _table(index) == table and len(_kept_ids(index)) == 8
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    reindex([corpus], index)
    assert read_again == []  # the counts carried over by the run that changed nothing
    assert _table(index) == _full(corpus, tmp_path / "full")


def test_counts_kept_by_another_analysis_are_ignored_and_the_files_read_again(
    corpus: Path, tmp_path: Path, read_again: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    monkeypatch.setattr(vectors_module, "fingerprint", lambda: "another analysis")  # e.g. the stemmer changed
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    reindex([corpus], index)
    assert sorted(read_again) == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]
    assert _table(index) == _full(corpus, tmp_path / "full")
    read_again.clear()
    (corpus / "e.jsonl").unlink()
    reindex([corpus], index)
    assert read_again == []  # what that run kept is the new analysis's


def test_counts_that_cannot_be_read_add_nothing_and_say_why() -> None:
    vectors = Vectors()
    with pytest.raises(KeptUnreadable, match=r"^not compressed counts \(Error -3 while decompressing"):
        vectors.take_kept(b"not kept counts", {"a": "h"})
    with pytest.raises(KeptUnreadable, match=r"^not counts \(ValueError: not enough values to unpack"):
        vectors.take_kept(zlib.compress(marshal.dumps((1, "x"))), {"a": "h"})
    assert vectors.docs == {}


@pytest.mark.parametrize("damage", ["garbage", "a folder"])
def test_a_kept_counts_file_that_cannot_be_read_is_said_in_one_note_and_the_files_read_again(
    corpus: Path, tmp_path: Path, read_again: list[str], damage: str
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    kept = index / (index / "CURRENT").read_text(encoding="utf-8").strip() / f"kept-{KEPT}"
    if damage == "garbage":
        kept.write_bytes(b"garbage")
    else:  # an unreadable file (a folder where the file was) failed the reindex
        kept.unlink()
        kept.mkdir()
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    summary = reindex([corpus], index)
    assert sorted(read_again) == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]
    (note,) = summary.notes
    assert note.startswith("the articles' stem counts kept with the previous index cannot be read (")
    assert note.endswith("): its articles were read again from their files")
    assert _table(index) == _full(corpus, tmp_path / "full")


class _KeptChunks:
    """A fake OpenSearch client holding what ``backends.opensearch.kept.keep`` wrote, by id."""

    def __init__(self) -> None:
        self.docs: dict[str, dict[str, object]] = {}
        self.asked: list[int] = []  # chunks asked for by each mget

    def index(self, index: str, id: str, body: dict[str, object]) -> None:
        self.docs[id] = body

    def get(self, index: str, id: str) -> dict[str, object]:
        from opensearchpy.exceptions import NotFoundError

        if id not in self.docs:
            raise NotFoundError(404, "not_found", {})
        return {"_source": self.docs[id]}

    def mget(self, index: str, body: dict[str, list[str]]) -> dict[str, object]:
        self.asked.append(len(body["ids"]))
        return {"docs": [{"found": True, "_source": self.docs[i]} if i in self.docs else {"found": False}
                         for i in body["ids"]]}  # fmt: skip


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("not base64", r"kept:i:stems:1 \(chunk 2 of 3\) is not base64"),
        ("other bytes", r"the 3 chunks of 'stems' kept with i do not match their digest"),
        ("gone", r"kept:i:stems:1 \(chunk 2 of 3\) is missing"),
    ],
)
def test_a_damaged_chunk_kept_on_opensearch_says_which(monkeypatch: pytest.MonkeyPatch, damage: str, says: str) -> None:
    from backends.opensearch import kept

    monkeypatch.setattr(kept, "CHUNK", 4)
    client = _KeptChunks()
    kept.keep(client, "a", "i", "stems", b"0123456789")
    assert kept.kept(client, "a", "i", "stems") == b"0123456789" and kept.kept(client, "a", "i", "other") is None
    if damage == "gone":
        del client.docs["kept:i:stems:1"]
    else:
        client.docs["kept:i:stems:1"]["data"] = "not base64!" if damage == "not base64" else "QUJDRA=="
    with pytest.raises(KeptUnreadable, match=f"^{says}$"):
        kept.kept(client, "a", "i", "stems")


def test_kept_counts_hold_what_marshal_would_and_marshals_own_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Vectors.kept`` writes marshal's format itself, article by article (``indexer.kept_stream``): what
    it writes loads as the value ``marshal.dumps`` was given before, and what that wrote still loads."""
    from indexer import kept_stream

    monkeypatch.setattr(kept_stream, "BATCH", 3)  # stems first met in later batches, and met again
    # every kind of string marshal writes apart: not ASCII, ASCII, one Latin-1 letter (interned),
    # over 255 characters, a lone surrogate (JSON allows one)
    stems = ["سد", "کرج", "dam", "a", "1", "x" * 300, "\ud800", *(f"w{i}" for i in range(400))]
    rnd = __import__("random").Random(15)
    vectors = Vectors(read=None)
    files: list[tuple[str, list[str]]] = []
    for number in range(12):
        article = [rnd.choice(stems[: rnd.randint(3, len(stems))]) for _ in range(rnd.randint(1, 700))]
        if number == 4:
            article += stems + ["سد"] * 70_000  # over 255 stems in one article; a count over two bytes (read=None)
        vectors.count(f"id{number}", article)
        files.append((f"h{number // 5}", [f"id{number}"]))
    files.append(("h9", ["not counted"]))
    ids = [f"id{n}" for n in range(12)]
    value = (
        vectors_module.KEPT_FORMAT,
        vectors.key,
        ids,
        [f"h{n // 5}" for n in range(12)],
        [tuple(vectors.docs[i]) for i in ids],
        [tuple(vectors.docs[i].values()) for i in ids],
    )
    assert max(max(counts) for counts in value[5]) > 0xFFFF and max(len(s) for s in value[4]) > 255
    assert marshal.loads(zlib.decompress(vectors.kept(files))) == value
    wanted = {ident: f"h{n // 5}" for n, ident in enumerate(ids)}
    for data in (vectors.kept(files), zlib.compress(marshal.dumps(value), 3)):  # ours, and marshal's own
        again = Vectors(read=None)
        assert again.take_kept(data, wanted) == 12
        assert dict(again.docs) == dict(vectors.docs)
    # a count that is not a number, in the last article: said, and none of the articles before it held
    damaged = (*value[:5], [*value[5][:-1], ("many",) * len(value[4][-1])])
    again = Vectors(read=None)
    again.count("held", ["سد"])
    with pytest.raises(KeptUnreadable, match=r"^not counts \(TypeError: "):
        again.take_kept(zlib.compress(marshal.dumps(damaged)), wanted)
    assert dict(again.docs) == {"held": {"سد": 1}} and again.words == ["سد"] and len(again.terms) == 1


def test_kept_chunks_are_read_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # one mget of every chunk made a node build the whole answer in its heap (a gigabyte at a million articles)
    from backends.opensearch import kept

    monkeypatch.setattr(kept, "CHUNK", 4)
    client = _KeptChunks()
    data = bytes(range(40))
    kept.keep(client, "a", "i", "stems", data)
    assert kept.kept(client, "a", "i", "stems") == data and client.asked == [4, 4, 2]
