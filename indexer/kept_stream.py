"""The kept stem counts (``indexer.vectors.Vectors.kept``) written as ``marshal`` writes them, piece by piece.

``marshal.dumps`` wants the whole value as Python objects: at 100k articles some 25 million stem and
count references in tuples, and the marshalled bytes whole beside them (about 700 MB at its peak).
This writes the same value in ``marshal``'s format (version 4, which every version since reads)
article by article into a ``zlib`` stream: ``marshal.loads`` of the result is equal to the value,
each stem written once and referred back to after (``marshal``'s references), so older and newer
code read each other's kept counts.

>>> import marshal, zlib
>>> import numpy as np
>>> words = ["سد", "کرج", "a"]
>>> spans = [(np.array([0, 1], np.int32), np.array([2, 1], np.uint16)),
...          (np.array([1, 2], np.int32), np.array([1, 300], np.uint16))]
>>> marshal.loads(zlib.decompress(dumps(2, "k", ["x", "y"], ["h", "h"], words, spans)))
(2, 'k', ['x', 'y'], ['h', 'h'], [('سد', 'کرج'), ('کرج', 'a')], [(2, 1), (1, 300)])
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

TYPE_INT = b"i"
TYPE_UNICODE = ord("u")
TYPE_REF = ord("r")
TYPE_LIST = b"["
FLAG_REF = 0x80  # the object is remembered for TYPE_REF's that follow
LEVEL = 3  # zlib's level: fast, and the stems are mostly back-references already
BATCH = 2048  # articles marshalled at once (numpy calls per batch, not per article)


def _text(value: str, flag: int = 0) -> bytes:
    encoded = value.encode("utf-8", "surrogatepass")
    return bytes((TYPE_UNICODE | flag,)) + struct.pack("<I", len(encoded)) + encoded


def _tuple_head(size: int) -> bytes:
    return b")" + bytes((size,)) if size < 256 else b"(" + struct.pack("<I", size)


def _list_head(size: int) -> bytes:
    return TYPE_LIST + struct.pack("<I", size)


class _Refs:
    """The strings written so far with ``FLAG_REF``, by value: ``marshal.loads`` numbers them in order."""

    def __init__(self, words: int) -> None:
        import numpy as np

        self.count = 0
        self.of_word = np.full(words, -1, dtype=np.int64)  # stem number -> its reference, -1: not written yet
        self.of_text: dict[str, int] = {}

    def text(self, value: str) -> bytes:
        found = self.of_text.get(value)
        if found is not None:
            return bytes((TYPE_REF,)) + struct.pack("<I", found)
        self.of_text[value] = self.count
        self.count += 1
        return _text(value, FLAG_REF)


def _items(kind: bytes, values: Any) -> bytes:
    """Five bytes a value: ``kind`` and the value as a little-endian int32."""
    import numpy as np

    items = np.empty(len(values), dtype=np.dtype([("kind", "u1"), ("value", "<i4")]))
    items["kind"] = kind[0]
    items["value"] = values
    return items.tobytes()


def _stem_tuples(batch: Sequence[Any], words: Sequence[str], refs: _Refs) -> Iterator[bytes]:
    """The tuples of stems of a batch of articles: a stem's first appearance written whole, later
    ones as references to it."""
    import numpy as np

    numbers = np.concatenate(batch) if batch else np.zeros(0, np.int32)
    fresh = np.flatnonzero(refs.of_word[numbers] < 0)
    unique, first = np.unique(numbers[fresh], return_index=True)
    positions = fresh[first]  # where each stem not written yet first appears
    order = np.argsort(positions)
    positions, defined = positions[order].tolist(), unique[order]
    refs.of_word[defined] = np.arange(refs.count, refs.count + len(defined))
    refs.count += len(defined)
    data = _items(b"r", refs.of_word[numbers])
    # a first appearance's slot of five bytes becomes the stem itself
    texts = [_text(words[number], FLAG_REF) for number in defined.tolist()]
    k, start = 0, 0
    for span in batch:
        end = start + len(span)
        yield _tuple_head(len(span))
        at = start
        while k < len(positions) and positions[k] < end:
            yield data[5 * at : 5 * positions[k]]
            yield texts[k]
            at = positions[k] + 1
            k += 1
        yield data[5 * at : 5 * end]
        start = end


def _count_tuples(batch: Sequence[Any]) -> Iterator[bytes]:
    import numpy as np

    data = _items(TYPE_INT, np.concatenate(batch) if batch else np.zeros(0, np.int32))
    start = 0
    for span in batch:
        yield _tuple_head(len(span))
        yield data[5 * start : 5 * (start + len(span))]
        start += len(span)


def _batches(spans: Iterable[tuple[Any, Any]], which: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for span in spans:
        batch.append(span[which])
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def dumps(
    version: int, key: str, ids: list[str], hashes: list[str], words: Sequence[str], spans: Iterable[tuple[Any, Any]]
) -> bytes:
    """``zlib.compress(marshal.dumps((version, key, ids, hashes, stems, counts)))`` in value: the stems and
    counts of each of ``ids`` are given by ``spans``, (stem numbers into ``words``, counts) arrays each
    (views of ``Vectors``' arrays, a hundred bytes each, held for the two passes)."""
    spans = list(spans)
    compressor = zlib.compressobj(LEVEL)
    out: list[bytes] = []
    pending: list[bytes] = []
    size = 0

    def write(piece: bytes) -> None:
        nonlocal size
        pending.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            flush()

    def flush() -> None:
        nonlocal size
        out.append(compressor.compress(b"".join(pending)))
        pending.clear()
        size = 0

    refs = _Refs(len(words))
    write(_tuple_head(6) + TYPE_INT + struct.pack("<i", version) + _text(key))
    write(_list_head(len(ids)))
    for ident in ids:
        write(_text(ident))
    write(_list_head(len(hashes)))
    for digest in hashes:
        write(refs.text(digest))
    # the hashes took the first references; the stems' are numbered after them
    write(_list_head(len(spans)))
    for batch in _batches(spans, 0):
        for piece in _stem_tuples(batch, words, refs):
            write(piece)
    write(_list_head(len(spans)))
    for batch in _batches(spans, 1):
        for piece in _count_tuples(batch):
            write(piece)
    flush()
    out.append(compressor.flush())
    return b"".join(out)
