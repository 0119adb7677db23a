"""The file of stem counts a reindex keeps with its index (``indexer.vectors.Vectors.kept``): numpy's
``.npy`` arrays one after the other in one gzip stream, written by ``numpy.lib.format.write_array``
and read back one at a time (numpy's header, checked against what the stream can hold, then the
values) as the stream is decompressed, so that a reader never holds more than the array it asked for:

1. the header, JSON as bytes (uint8): the format, the key, the articles' ids, their files' hashes,
   the stems;
2. each article's file (int32: its place in the header's files);
3. where each article's counts begin (int64: one more, at the end);
4. the (stem number, count) pairs, in as many arrays as the writer chose (``indexer.vectors``
   writes one per ``BATCH`` articles and reads them so).

The gzip stream has no name and a zero time (``mtime=0``), and the JSON sorted keys: the same
arrays give the same bytes.

>>> import numpy as np
>>> data = write({"format": 0, "key": "k", "ids": ["a"], "files": ["h"], "words": ["سد"]},
...              [np.array([0], dtype="<i4"), np.array([0, 1], dtype="<i8")])
>>> data == write({"words": ["سد"], "key": "k", "ids": ["a"], "files": ["h"], "format": 0},
...               [np.array([0], dtype="<i4"), np.array([0, 1], dtype="<i8")])
True
>>> counts = Reader(data)
>>> counts.header()["words"], counts.array(np.dtype("<i4"), 1).tolist(), counts.array(np.dtype("<i8"), 2).tolist()
(['سد'], [0], [0, 1])
>>> counts.end()
"""

from __future__ import annotations

import gzip
import io
import json
import math
import zlib
from collections import deque
from collections.abc import Iterable
from tokenize import TokenError
from typing import Any

import numpy as np
from numpy.lib import format as npy

LEVEL = 3  # zlib's: 0.43 of the raw size at 20k articles (level 1: 0.47, 6: 0.40 at 6x the CPU)

#: What reading damaged counts raises, besides ``ValueError`` (and its ``gzip.BadGzipFile``):
#: gzip's ``EOFError`` (cut short), ``zlib.error`` and ``TokenError`` (numpy parses an array's header
#: as Python, and a damaged one can raise it). Not ``MemoryError``: ``Reader.array`` checks the size
#: a header asks for before reading, and grows the array only as its bytes arrive, so running out of
#: memory means the machine did, on counts that may be sound.
DAMAGED = (ValueError, OSError, EOFError, zlib.error, TokenError)

#: deflate's greatest expansion: a byte of a gzip stream stands for at most this many bytes of data
#: (a 258-byte match in about two bits: 1032 to 1, zlib's technical details).
MOST_EXPANDED = 1032
#: The bytes read from the stream at a time.
CHUNK = 1 << 22

#: The header's fields and their types.
FIELDS = {"format": int, "key": str, "ids": list, "files": list, "words": list}


def write(header: dict[str, Any], arrays: Iterable[Any]) -> bytes:
    """The kept counts of ``header`` (``FIELDS``) followed by ``arrays`` (one-dimensional, in
    the byte order they are to be read in), each array made as it is written."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=LEVEL, mtime=0) as stream:
        text = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # a lone surrogate (JSON allows one in an id) kept as UTF-16 halves would be
        npy.write_array(stream, np.frombuffer(text.encode("utf-8", "surrogatepass"), dtype=np.uint8))
        for array in arrays:
            npy.write_array(stream, array)
    return out.getvalue()


class Reader:
    """Kept counts read an array at a time, decompressed as they are read; any of ``DAMAGED`` when
    they are not what ``write`` wrote."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(b"\x1f\x8b"):
            raise ValueError("not a gzip stream")
        self._stream = gzip.GzipFile(fileobj=io.BytesIO(data))
        self._most = len(data) * MOST_EXPANDED  # the most bytes the stream can give

    def header(self) -> dict[str, Any]:
        """The header (the first array), its fields checked."""
        text = self.array(np.dtype(np.uint8)).tobytes().decode("utf-8", "surrogatepass")
        header = json.loads(text)
        if not isinstance(header, dict) or any(not isinstance(header.get(k), t) for k, t in FIELDS.items()):
            raise ValueError("not the header of kept counts")
        if not all(isinstance(x, str) for field in ("ids", "files", "words") for x in header[field]):
            raise ValueError("an id, a hash or a stem that is not a string")
        return header

    def array(self, dtype: Any, count: int | None = None) -> Any:
        """The next array: ``ValueError`` unless it is one-dimensional, of ``dtype`` and of ``count``
        values (any number when ``None``). The header is checked before any value is read: a
        damaged one never has numpy make an array larger than the stream can hold (``read_array``
        makes the whole array first)."""
        version = npy.read_magic(self._stream)
        if version == (1, 0):
            shape, _, found = npy.read_array_header_1_0(self._stream)
        elif version == (2, 0):
            shape, _, found = npy.read_array_header_2_0(self._stream)
        else:
            raise ValueError(f"an array of .npy version {version}, not 1.0 or 2.0")
        size = math.prod(shape) * found.itemsize
        if size > self._most - self._stream.tell():
            raise ValueError(f"an array of {size:,} bytes, more than the stream can hold")
        if found != dtype or len(shape) != 1 or (count is not None and shape[0] != count):
            expected = f"{count:,} values" if count is not None else "values"
            raise ValueError(f"expected {expected} of {dtype}, found an array {shape} of {found}")
        # The bytes first, the array once they are all there: a header damaged within that bound
        # has taken no more memory than the stream really holds when it ends short. The chunks
        # are let go as they are copied (``np.empty``'s pages are taken only as they are written).
        chunks: deque[bytes] = deque()
        got = 0
        while got < size:
            chunk = self._stream.read(min(CHUNK, size - got))
            if not chunk:
                raise ValueError(f"EOF: reading array data, expected {size} bytes got {got}")
            chunks.append(chunk)
            got += len(chunk)
        array = np.empty(shape, dtype=found)
        into, at = array.view(np.uint8), 0
        while chunks:
            chunk = chunks.popleft()
            into[at : at + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
            at += len(chunk)
        return array

    def end(self) -> None:
        """``ValueError`` unless the stream ends here (gzip checks its length and digest there)."""
        if self._stream.read(1):
            raise ValueError("more after the last array")


def earlier(data: bytes) -> bool:
    """Are these counts kept by an earlier version? ``KEPT_FORMAT`` 3 began with its own line;
    1 and 2 were a tuple ``marshal`` wrote, compressed by zlib, whose first bytes say so."""
    if data.startswith(b"kavosh kept stems\n"):
        return True
    try:
        first = zlib.decompressobj().decompress(data[:1024], 2)
    except zlib.error:
        return False
    return len(first) == 2 and first[0] & 0x7F in b"()"  # a tuple (``marshal``'s flag bit aside)
