"""Phrase positions a search reads directly: one side file per segment, written after Whoosh's.

A phrase (and a compound of a free query, whose parts written apart are a phrase: «هم زمان» for
«همزمان») keeps the documents where its words stand one after the other, so it reads the positions
of its words in the documents that hold them all. Whoosh keeps them in its posting blocks: a block
is unzipped, then unpickled into a bytes object a posting, then each wanted posting's bytes are
unpickled into its list of position differences. With two common words at 100k articles that was
most of a search's time even with the blocks cached (``POSITIONS``), and all of it cold.

Here each segment gets a file beside Whoosh's (``MAIN_<segment>.kvpos``: named as Whoosh names a
segment's files, so Whoosh's own cleaning removes it with its segment after a merge) holding, for
each term of a positional field with at least ``MIN_DOCS`` postings in the segment, its documents and
their positions as flat arrays. A search maps the file and takes its slices with numpy: no unzipping,
no unpickling, only the pages of the wanted postings read. Rarer terms are one or two of Whoosh's
blocks and stay on the Whoosh path, as does every term of a segment without a side file (an index
written before this file existed answers the same; a reindex writes the missing files, see ``write``).

The arrays are what Whoosh's postings hold, deleted documents among them as ``blocks.unfiltered``
says (the scorer leaves those out through ``Columns.live``), decoded by ``decode_many``, the function
the Whoosh path decodes with: ``tests/test_fast_paths.py`` holds both to Whoosh's own matcher.

Layout, little-endian: ``MAGIC``; the positions (int32, every posting's one after the other); the
documents (int32, a posting each); how many positions each posting has (uint32: a term's offsets are
their running sum from its first position, summed when it is read, at half the size of stored
offsets); the term table (JSON: the numbers of positions and postings, and each term's field, text,
first posting, the one past its last, and its first position: the same bytes from the same segment,
which ``marshal`` does not promise); the table's length (8 bytes); ``MAGIC`` again (a file cut short by a
crash is told apart from a whole one).
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, chain
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
from whoosh.filedb.filestore import FileStorage
from whoosh.formats import _INT_SIZE, Positions

from backends.whoosh.blocks import BoundedCache, block_codec, block_ids, segment_key, unfiltered

Longs = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
_log = logging.getLogger(__name__)

#: The end of a segment's file name (``segment.make_filename``).
SUFFIX = ".kvpos"
#: The first and last bytes of a side file; the digit is the layout's version.
MAGIC = b"KVPOS\x001\n"
#: Postings a term needs in a segment to be in its side file: fewer are one of Whoosh's blocks (128),
#: cheap to read the Whoosh way, and most terms of a segment (its table stays small).
MIN_DOCS = 128
_LENGTH = 8  # bytes of the term table's length
_AGAIN = "remove it: the next `kavosh reindex` writes it again"


class SideFileError(OSError):
    """A side file that is not whole (not written by this code, or cut short)."""


def side_path(reader: Any) -> Path | None:
    """Where the side file of a segment reader's segment is (or would be); ``None`` for an index
    that is not in a folder (Whoosh's ``RamStorage``: the Whoosh path only)."""
    storage = reader._storage
    storage = getattr(storage, "b", storage)  # a compound segment's overlay: the index's own storage
    folder = getattr(storage, "folder", "")
    if not folder:
        return None
    return Path(folder) / str(reader.segment().make_filename(SUFFIX))


def positional_fields(schema: Any) -> list[str]:
    """The fields whose postings hold Whoosh's own ``Positions`` (phrases are matched on them)."""
    return [name for name in schema.names() if type(schema[name].format) is Positions]


class SideFile:
    """One segment's side file, mapped: ``read`` gives a term's (document, position) pairs."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < 2 * len(MAGIC) + _LENGTH:
                raise SideFileError(f"{path}: too short for a positions side file ({size} bytes)")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        end = size - len(MAGIC)
        if self._map[: len(MAGIC)] != MAGIC or self._map[end:] != MAGIC:
            raise SideFileError(f"{path}: not a whole positions side file ({_AGAIN})")
        table_length = int.from_bytes(self._map[end - _LENGTH : end], "little")
        table_start = end - _LENGTH - table_length
        table = json.loads(self._map[table_start : end - _LENGTH])
        count, postings = table["positions"], table["postings"]
        self.terms = {(field, term): (first, last, at) for field, term, first, last, at in table["terms"]}
        start = len(MAGIC)
        self.positions = np.frombuffer(self._map, dtype="<i4", count=count, offset=start)
        start += 4 * count
        self.docs = np.frombuffer(self._map, dtype="<i4", count=postings, offset=start)
        start += 4 * postings
        self.counts = np.frombuffer(self._map, dtype="<u4", count=postings, offset=start)
        if start + 4 * postings != table_start:
            raise SideFileError(f"{path}: its arrays and its term table disagree ({_AGAIN})")

    def read(self, field: str, term: str, wanted: Mask) -> tuple[Longs, Longs] | None:
        """(document, position) of every occurrence of ``term`` in the ``wanted`` documents, in the
        order Whoosh's postings give them; ``None`` when the term is not in the file."""
        span = self.terms.get((field, term))
        if span is None:
            return None
        first, last, at = span
        docs = self.docs[first:last]
        ends = at + np.cumsum(self.counts[first:last], dtype=np.int64)
        hits = np.flatnonzero(wanted[docs])
        counts = self.counts[first + hits].astype(np.int64)
        starts = ends[hits] - counts
        # each hit's run of positions, gathered at once: its start, then one step a position
        before = np.cumsum(counts) - counts
        where = np.arange(int(counts.sum()), dtype=np.int64) + np.repeat(starts - before, counts)
        return np.repeat(docs[hits].astype(np.int64), counts), self.positions[where].astype(np.int64)


#: Posting blocks of the words phrases read, kept with their values (positions still encoded), in
#: bytes (a value's bytes and ~40 of its object, 8 for its document): 48 MB.
CACHE_POSITIONS = 48_000_000
#: One block's documents and its postings' values (``Positions``: the encoded positions).
Block = tuple[Longs, Sequence[bytes]]


class PositionsCache(BoundedCache[Block]):
    """Posting blocks as phrases read them, keyed by segment and place in its postings file. A phrase
    reads every block of its words that holds a candidate document, and reading one (``zlib``, then
    unpickling a tuple with a bytes object per posting) cost more than the rest of matching the
    phrase; the words of phrases and compounds («جمهوری اسلامی», «هم زمان») come back search after
    search, and segments never change once written. The values are kept encoded: a search decodes
    only its candidates' (``decode_many``), as when the block is read anew."""

    def __init__(self, capacity: int = CACHE_POSITIONS) -> None:
        super().__init__(capacity, lambda found: sum(map(len, found[1])) + 48 * len(found[1]))


POSITIONS = PositionsCache()


def _decoder(format_: Any) -> Any:
    """A function from a posting's value to its positions: ``format_.decode_positions``, or for
    Whoosh's own ``Positions`` the same steps with the running sum done in C.

    >>> from whoosh.formats import Positions
    >>> value = Positions().encode([3, 5, 9])
    >>> _decoder(Positions())(value), Positions().decode_positions(value)
    ([3, 5, 9], [3, 5, 9])
    """
    if type(format_) is not Positions:
        return format_.decode_positions

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        return list(accumulate(pickle.loads(value[_INT_SIZE:])))

    return decode


# A ``Positions`` value is the number of positions (``_INT_SIZE`` bytes), then the pickle (protocol 2)
# of the list of their differences, with its final STOP ("."): the pickle's PROTO opcode, the list
# built, STOP. The middles of many values, one after the other between a MARK and a LIST opcode, are
# one pickle of the list of their lists: one ``pickle.loads`` for a term's postings instead of one each.
_MIDDLE = itemgetter(slice(_INT_SIZE, -1))
_LAST = itemgetter(slice(-1, None))


def decode_many(format_: Any, values: Sequence[bytes]) -> tuple[Longs, Longs]:
    """(how many positions each value holds, every value's positions one after the other): what
    ``format_.decode_positions`` gives value by value, decoded at once where ``format_`` is Whoosh's
    own ``Positions`` and every value ends as it writes them.

    >>> from whoosh.formats import Positions
    >>> values = [Positions().encode(p) for p in ([3, 5, 9], [46], [0, 300, 70000, 10**6])]
    >>> counts, positions = decode_many(Positions(), values)
    >>> counts.tolist(), positions.tolist()
    ([3, 1, 4], [3, 5, 9, 46, 0, 300, 70000, 1000000])
    >>> [c.tolist() for c in decode_many(Positions(), [v[:-1] for v in values])]  # without the STOP
    [[3, 1, 4], [3, 5, 9, 46, 0, 300, 70000, 1000000]]
    """
    if not values:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if type(format_) is not Positions or b"".join(map(_LAST, values)).count(b".") != len(values):
        decode = _decoder(format_)
        found = [decode(v) for v in values]
        counts = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
        return counts, np.fromiter(chain.from_iterable(found), dtype=np.int64, count=int(counts.sum()))
    lists = pickle.loads(b"\x80\x02(" + b"".join(map(_MIDDLE, values)) + b"l.")
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    running = np.cumsum(deltas)
    # each value's running sum starts again: less the sum of the values before it
    before = np.concatenate(([0], running))[np.cumsum(counts) - counts]
    return counts, running - np.repeat(before, counts)


def read_positions(reader: Any, field: str, term: str, wanted: Mask) -> tuple[Longs, Longs]:
    """(document, position) of every occurrence of ``term`` in the ``wanted`` documents of one
    segment (numbered within it): from the segment's side file when it holds the
    term, else from Whoosh's postings (``whoosh_positions``)."""
    side = side_file(reader)
    if side is not None:
        found = side.read(field, term, wanted)
        if found is not None:
            return found
    docs, counts, positions = whoosh_positions(reader, field, term, wanted)
    return np.repeat(docs, counts), positions


def whoosh_positions(
    reader: Any, field: str, term: str, wanted: Mask, cache: bool = True
) -> tuple[Longs, Longs, Longs]:
    """(documents, how many positions each, their positions one document after the other) of
    ``term`` in the ``wanted`` documents of one segment, read from Whoosh's postings.

    Positions are decoded only for the postings of wanted documents (Whoosh's matcher
    decodes them for every document holding all the words, one at a time), all at once
    (``decode_many``). With ``cache`` the blocks read are kept in ``POSITIONS``.
    """
    if (field, term) not in reader:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    matcher = unfiltered(reader.postings(field, term))  # deleted documents: see ``unfiltered``
    format_ = reader.schema[field].format
    if block_codec(matcher) and hasattr(matcher, "_read_values") and hasattr(matcher, "_dataoffset"):
        # Whoosh 3 codec: a decoded block at a time (``POSITIONS``), and only the blocks whose range
        # of documents (after the last block's highest, up to its own) holds a wanted one
        segment = segment_key(reader)
        docs: list[Longs] = []
        values: list[bytes] = []
        before = np.concatenate(([0], np.cumsum(wanted)))  # wanted documents before each
        low = 0
        while matcher.is_active():
            high = min(int(getattr(matcher, "_maxid", len(wanted) - 1)) + 1, len(wanted))
            if before[high] != before[low]:
                read = _block_reader(matcher)
                ids, block = POSITIONS.get((*segment, matcher._dataoffset), read) if cache else read()
                hits = np.flatnonzero(wanted[ids])
                if len(hits):
                    docs.append(ids[hits])
                    values.extend(map(block.__getitem__, hits.tolist()))
            low = high
            matcher._next_block()
        counts, positions = decode_many(format_, values)
        return np.concatenate(docs) if docs else np.zeros(0, np.int64), counts, positions
    ids_read: list[int] = []  # any other codec: the public, slower way
    read_values: list[bytes] = []
    while matcher.is_active():
        if wanted[matcher.id()]:
            ids_read.append(matcher.id())
            read_values.append(matcher.value())
        matcher.next()
    lengths, decoded = decode_many(format_, read_values)
    return np.asarray(ids_read, dtype=np.int64), lengths, decoded


def _block_reader(matcher: Any) -> Callable[[], Block]:
    """What reads the matcher's current block for ``POSITIONS``: its documents and values."""

    def read() -> Block:
        ids = block_ids(matcher)
        matcher._read_values()
        return ids, matcher._values

    return read


#: Segments' side files (``positions.SideFile``, mapped), or ``None`` for a segment without one:
#: each is opened once per process. An index has a few segments; a server that searched earlier
#: generations holds their files mapped (disk not freed) until 32 newer segments push them out.
SIDES: BoundedCache[SideFile | None] = BoundedCache(32, lambda found: 1)


def side_file(reader: Any) -> SideFile | None:
    """The side file of the segment ``reader`` reads, or ``None`` (an index in memory, a segment
    written before side files were, or a file not whole: that one is named in the log, and the
    segment's positions are read from Whoosh's postings, which give the same answers)."""
    path = side_path(reader)
    if path is None:
        return None

    def open_() -> SideFile | None:
        try:
            return SideFile(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, EOFError, TypeError) as error:  # e.g. ``SideFileError``
            _log.warning("%s; phrases read Whoosh's postings instead", error)
            return None

    return SIDES.get(segment_key(reader), open_)


def _term_positions(reader: Any, field: str, term: str) -> tuple[Longs, Longs, Longs]:
    """(documents, positions a document, positions) of a term in one segment, read as a search
    reads them without this file (the blocks not kept: a segment's every common term passes once)."""
    return whoosh_positions(reader, field, term, np.ones(reader.doc_count_all(), dtype=np.bool_), cache=False)


def _terms(reader: Any, fields: list[str], min_docs: int) -> Iterator[tuple[str, str]]:
    for field in fields:
        from_bytes = reader.schema[field].from_bytes
        for text, info in reader.iter_field(field):
            if info.doc_frequency() >= min_docs:
                yield field, from_bytes(text)


def write_segment(reader: Any, path: Path, min_docs: int | None = None) -> None:
    """Write the side file of the segment ``reader`` reads to ``path`` (through a temporary file
    renamed at the end: a search never maps half a file), with the terms of at least ``min_docs``
    postings (``MIN_DOCS``). One term's arrays in memory at a time; on disk at most the file's size
    and its documents array (4 bytes a posting: under a third of the file) while it is written."""
    min_docs = MIN_DOCS if min_docs is None else min_docs
    fields = positional_fields(reader.schema)
    terms: list[tuple[str, str, int, int, int]] = []
    count = postings = 0
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".kvpos-") as tmp:
        parts = Path(tmp)
        with (
            (parts / "docs").open("wb") as docs_out,
            (parts / "counts").open("wb") as counts_out,
            (parts / "file").open("wb") as out,
        ):
            out.write(MAGIC)
            for field, term in _terms(reader, fields, min_docs):
                docs, counts, positions = _term_positions(reader, field, term)
                out.write(positions.astype("<i4").tobytes())
                docs_out.write(docs.astype("<i4").tobytes())
                counts_out.write(counts.astype("<u4").tobytes())
                terms.append((field, term, postings, postings + len(docs), count))
                count += len(positions)
                postings += len(docs)
        with (parts / "file").open("ab") as out:
            for name in ("docs", "counts"):
                with (parts / name).open("rb") as part:
                    shutil.copyfileobj(part, out)
                # gone once copied: the disk holds at most the file and one part (docs/reliability.md)
                (parts / name).unlink()
            table = {"positions": count, "postings": postings, "terms": terms}
            _finish(out, json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode())
        os.replace(parts / "file", path)


def _finish(out: BinaryIO, table: bytes) -> None:
    out.write(table)
    out.write(len(table).to_bytes(_LENGTH, "little"))
    out.write(MAGIC)


def write(generation: Path, min_docs: int | None = None) -> int:
    """Write the side file of every segment of the index in ``generation`` that has none (a new
    segment, one merged by this reindex, or every one of an index written before side files):
    the number written. Called by the reindex before it publishes the generation."""
    index = FileStorage(str(generation), supports_mmap=False, readonly=True).open_index()
    written = 0
    with index.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            path = side_path(leaf)
            if path is not None and not path.exists():
                write_segment(leaf, path, min_docs)
                written += 1
    return written
