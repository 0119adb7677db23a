"""An incremental reindex computes the neighbours from the stem counts the previous reindex kept with the
index (``indexer.vectors``), reading only the files it indexes: the table it publishes is the one a full
reindex of the same files publishes."""

from __future__ import annotations

import gzip
import json
import marshal
import random
import re
import time
import zlib
from pathlib import Path

import pytest

from backends.base import KeptUnreadable
from indexer import kept_format
from indexer import vectors as vectors_module
from indexer.build import reindex
from indexer.neighbours import KEY
from indexer.vectors import KEPT, Vectors, kept_articles
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


def _kept(index: Path) -> Path:
    """The counts the current generation of ``index`` keeps."""
    return index / (index / "CURRENT").read_text(encoding="utf-8").strip() / f"kept-{KEPT}"


def _kept_ids(index: Path) -> list[str]:
    return list(kept_articles(_kept(index).read_bytes()))


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
    assert _kept(index).read_bytes() == _kept(tmp_path / "full").read_bytes()  # and what it keeps
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


def _old_format(vectors: Vectors, ids: list[str], digest: str) -> bytes:
    """Counts as ``KEPT_FORMAT`` 2 kept them: ``marshal``'s value, compressed."""
    value = (2, vectors.key, ids, [digest] * len(ids), [tuple(vectors.docs[i]) for i in ids],
             [tuple(vectors.docs[i].values()) for i in ids])  # fmt: skip
    return zlib.compress(marshal.dumps(value), 3)


def test_counts_an_earlier_version_kept_are_not_kept_counts() -> None:
    vectors = Vectors()
    vectors.count("a", ["سد", "کرج", "سد"])
    again = Vectors()
    assert again.take_kept(_old_format(vectors, ["a"], "h"), {"a": "h"}) == 0  # read again, nothing said
    assert again.take_kept(zlib.compress(marshal.dumps((1, "x"))), {"a": "h"}) == 0  # format 1
    assert again.take_kept(b"kavosh kept stems\n" + zlib.compress(b"\x05\x00"), {"a": "h"}) == 0  # format 3
    assert again.docs == {} and again.words == []
    assert again.take_kept(vectors.kept([("h", ["a"])]), {"a": "h"}) == 1


def _damaged(data: bytes, how: str) -> bytes:
    if how == "garbage":
        return b"not kept counts"
    if how == "cut short":
        return data[: len(data) * 2 // 3]
    if how == "a byte changed":  # in the compressed pairs
        return data[:-40] + bytes([data[-40] ^ 0xFF]) + data[-39:]
    if how == "more after the end":
        return data[:-4] + b"\x00" + data[-4:]
    unzipped = gzip.decompress(data)
    if how == "an article's place out of order":  # where the second article's counts begin: before the first's
        at = unzipped.index(b"<i8")
        at = unzipped.index(b"\n", at) + 1 + 8
        unzipped = unzipped[:at] + (2**40).to_bytes(8, "little") + unzipped[at + 8 :]
    elif how == "an array's header damaged":  # the pairs' .npy header: nulls where numpy parses its dict
        at = unzipped.index(b"('term', '<i4')")
        unzipped = unzipped[:at] + b"\x00" * 8 + unzipped[at + 8 :]
    elif how == "another array":  # the first pairs' .npy header: counts of 4 bytes, not 2
        at = unzipped.index(b"('count', '<u2')")
        unzipped = unzipped[:at] + b"('count', '<u4')" + unzipped[at + 16 :]
    elif how == "not an array":  # the pairs' .npy magic
        at = unzipped.rindex(b"\x93NUMPY")
        unzipped = unzipped[:at] + b"\x93NUMPZ" + unzipped[at + 6 :]
    elif how in ("an array larger than the machine", "a header larger than the machine"):
        # the first pairs' .npy header, or the header's (of any number of bytes): 10**14 values
        after = unzipped.index(b"('term', '<i4')") if how.startswith("an array") else 0
        found = re.compile(rb"'shape': \(\d+,\), \} *").search(unzipped, after)
        assert found is not None
        bigger = b"'shape': (%d,), }" % 10**14  # in the header's padding: the header keeps its length
        unzipped = unzipped[: found.start()] + bigger.ljust(len(found[0])) + unzipped[found.end() :]
    else:  # "a stem out of range": the first pair's stem number
        at = unzipped.index(b"('term', '<i4')")
        at = unzipped.index(b"\n", at) + 1
        unzipped = unzipped[:at] + (10**6).to_bytes(4, "little") + unzipped[at + 4 :]
    return gzip.compress(unzipped, mtime=0)


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("garbage", r"not kept stem counts \(ValueError: not a gzip stream\)"),
        ("cut short", r"not kept stem counts \((EOFError: Compressed file ended|ValueError: EOF: reading array data)"),
        ("a byte changed", r"not kept stem counts \((error: Error -3 while decompressing|BadGzipFile: |ValueError: )"),
        ("more after the end", r"not kept stem counts \((BadGzipFile: |error: Error -3)"),
        ("an article's place out of order", r"not kept stem counts \(ValueError: the articles' places are out of"),
        ("a stem out of range", r"not kept stem counts \(ValueError: a stem number out of range\)"),
        # numpy's header parser raises tokenize.TokenError, which reached the user as a traceback
        ("an array's header damaged", r"not kept stem counts \((TokenError|ValueError): "),
        ("not an array", r"not kept stem counts \(ValueError: the magic string is not correct; expected b'\\x93NUMPY'"),
        (
            "another array",
            r"not kept stem counts \(ValueError: expected [\d,]+ values of \[\('term', '<i4'\), \('count', '<u2'\)\], "
            r"found an array \(\d+,\) of \[\('term', '<i4'\), \('count', '<u4'\)\]\)",
        ),
        # numpy would make the array its header asks for before reading it: the size is checked first
        (
            "an array larger than the machine",
            r"not kept stem counts \(ValueError: an array of 600,000,000,000,000 bytes, more than the stream "
            r"can hold\)",
        ),
        (
            "a header larger than the machine",
            r"not kept stem counts \(ValueError: an array of 100,000,000,000,000 bytes, more than the stream "
            r"can hold\)",
        ),
    ],
)
def test_damaged_counts_add_nothing_and_say_why(how: str, says: str) -> None:
    kept = Vectors()
    for n in range(3000):  # several batches (``BATCH``) when read
        kept.count(f"id{n}", [f"w{(n * 7 + k) % 5000}" for k in range(n % 40 + 1)])
    data = kept.kept([("h", [f"id{n}" for n in range(3000)])])
    vectors = Vectors()
    vectors.count("held", ["سد"])
    with pytest.raises(KeptUnreadable, match=f"^{says}"):
        vectors.take_kept(_damaged(data, how), {f"id{n}": "h" for n in range(3000)})
    assert dict(vectors.docs) == {"held": {"سد": 1}} and vectors.words == ["سد"]  # as it was
    assert len(vectors.terms) == len(vectors.counts) == 1 and list(vectors.starts) == [0, 1]


def test_running_out_of_memory_on_sound_counts_is_no_damaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    kept = Vectors()
    kept.count("id0", ["سد", "بم"])
    data = kept.kept([("h", ["id0"])])

    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError("the machine's, not the file's")

    monkeypatch.setattr(kept_format.np, "empty", no_memory)
    with pytest.raises(MemoryError, match="the machine's"):  # not KeptUnreadable: nothing to recompute
        Vectors().take_kept(data, {"id0": "h"})


@pytest.mark.parametrize("damage", ["garbage", "cut short", "a folder"])
def test_a_kept_counts_file_that_cannot_be_read_is_said_in_one_note_and_the_files_read_again(
    corpus: Path, tmp_path: Path, read_again: list[str], damage: str
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    kept = _kept(index)
    if damage == "a folder":  # an unreadable file (a folder where the file was) failed the reindex
        kept.unlink()
        kept.mkdir()
    else:
        kept.write_bytes(_damaged(kept.read_bytes(), damage))
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    summary = reindex([corpus], index)
    assert sorted(read_again) == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"]
    (note,) = summary.notes
    assert note.startswith(f"the articles' stem counts kept with the previous index cannot be read (index {index}, "
                           f"kept as 'stems': ")  # fmt: skip
    assert ("not kept stem counts" if damage != "a folder" else f"{kept}: Is a directory") in note
    assert note.endswith("): its articles were read again from their files")
    assert _table(index) == _full(corpus, tmp_path / "full")


def test_counts_an_earlier_version_kept_with_the_index_are_read_again_without_a_word(
    corpus: Path, tmp_path: Path, read_again: list[str]
) -> None:
    index = tmp_path / "index"
    reindex([corpus], index)
    vectors = Vectors()
    for articles in FILES.values():
        for article in articles:
            vectors.count(article["id"], article["body"].split())
    _kept(index).write_bytes(_old_format(vectors, [a["id"] for a in FILES["a.jsonl"]], "any"))
    _write(corpus, "e.jsonl", [{"id": "quake3", "title": "زلزله بم", "body": "امدادگران در بم ماندند."}])
    summary = reindex([corpus], index)
    assert sorted(read_again) == ["a.jsonl", "b.jsonl", "c.jsonl", "d.jsonl"] and summary.notes == []
    assert _table(index) == _full(corpus, tmp_path / "full")
    assert _kept(index).read_bytes() == _kept(tmp_path / "full").read_bytes()


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


# every kind of string: not ASCII, ASCII, long, a lone surrogate (JSON allows one in an id)
STRINGS = ["سد", "کرج", "dam", "a", "1", "x" * 300, "\ud800", "a\nb", *(f"w{i}" for i in range(400))]


def _counted(seed: int, order: list[int] | None = None) -> tuple[Vectors, list[tuple[str, list[str]]]]:
    """12 articles of made-up stems in 3 files (and an id no article has), counted in ``order``."""
    rnd = random.Random(seed)
    articles = [[rnd.choice(STRINGS[: rnd.randint(3, len(STRINGS))]) for _ in range(rnd.randint(1, 700))]
                for _ in range(12)]  # fmt: skip
    articles[4] += STRINGS + ["سد"] * 70_000  # a count over two bytes (read=None)
    vectors = Vectors(read=None)
    for number in order or range(12):
        vectors.count(f"id{number}" if number != 7 else "\udc80 7", articles[number])
    ids = [f"id{n}" if n != 7 else "\udc80 7" for n in range(12)]
    return vectors, [("h0", ids[:5]), ("h1", ids[5:10]), ("h2", [*ids[10:], "not counted"])]


def test_kept_counts_are_read_back_as_they_were(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors_module, "BATCH", 5)  # stems first met in later batches, and met again
    vectors, files = _counted(15)
    data = vectors.kept(files)
    wanted = {ident: digest for digest, ids in files for ident in ids}
    assert kept_articles(data) == {ident: digest for ident, digest in wanted.items() if ident != "not counted"}
    again = Vectors(read=None)
    assert again.take_kept(data, wanted) == 12
    assert dict(again.docs) == dict(vectors.docs)
    assert max(max(doc.values()) for doc in again.docs.values()) > 0xFFFF
    # only the articles whose file has the hash it had, not held already, each id once
    some = Vectors(read=None)
    some.count("id0", ["held"])
    duplicated = Vectors(read=None)
    for ident in ("id1", "id2"):
        duplicated.count(ident, list(vectors.docs[ident]))
    twice = duplicated.kept([("h0", ["id1"]), ("h0", ["id1", "id2"])])
    assert some.take_kept(data, {**wanted, "id3": "changed", "id0": "h0"}) == 10
    assert some.take_kept(twice, {"id1": "h0", "id2": "h0"}) == 0  # both held now
    assert set(some.docs) == set(wanted) - {"id3", "not counted"} and some.docs["id0"] == {"held": 1}
    assert {i: some.docs[i] for i in some.docs if i != "id0"} == {i: vectors.docs[i] for i in some.docs if i != "id0"}
    assert Vectors(read=None).take_kept(twice, {"id1": "h0", "id2": "h0"}) == 2
    # another analysis's counts, or counts as wide as another ``read`` gives, are not these
    assert Vectors().take_kept(data, wanted) == 0


def test_the_same_counts_are_kept_as_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    vectors, files = _counted(16)
    shuffled, _ = _counted(16, random.Random(3).sample(range(12), 12))
    shuffled.count("not kept", ["a stem only this one has", *STRINGS[:50]])
    data = vectors.kept(files)
    monkeypatch.setattr(time, "time", lambda: 2e9)  # later: gzip writes the time unless told not to
    assert shuffled.words != vectors.words and shuffled.kept(files) == data
    assert vectors.kept(files) != vectors.kept([*files[:2], ("h3", files[2][1])])  # another hash


def test_kept_chunks_are_read_a_few_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # one mget of every chunk made a node build the whole answer in its heap (a gigabyte at a million articles)
    from backends.opensearch import kept

    monkeypatch.setattr(kept, "CHUNK", 4)
    client = _KeptChunks()
    data = bytes(range(40))
    kept.keep(client, "a", "i", "stems", data)
    assert kept.kept(client, "a", "i", "stems") == data and client.asked == [4, 4, 2]
