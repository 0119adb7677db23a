"""Whoosh 3's posting blocks read whole, and the bounded caches that keep what is read from them.

Shared by the scorer (posting lists, ``scorer.POSTINGS``) and the phrase positions
(``positions.POSITIONS`` and the side files): both key their caches by segment (``segment_key``)
and read a block's documents at once (``block_ids``) instead of a posting at a time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.matching.wrappers import FilterMatcher

Longs = npt.NDArray[np.int64]


def segment_key(reader: Any) -> tuple[Any, ...]:
    """What tells a segment apart in the caches: its index's storage (the folder, or the storage
    object itself for one in memory), its id and its size. The id alone is not enough: Whoosh draws
    it from the global ``random``, so two indexes built after the same ``random.seed`` (Hypothesis
    seeds it in every example) share segment ids, and one's postings were served for the other's."""
    storage = reader._storage
    storage = getattr(storage, "b", storage)  # a compound segment's overlay: the index's own storage
    place = getattr(storage, "folder", "") or storage  # RamStorage has folder "": the object tells it
    return (place, reader.segment().segment_id(), reader.doc_count_all())


class BoundedCache[V]:
    """A thread-safe LRU bounded by the total ``size`` of what it holds (each value's size is measured
    once, when it is read). A value is read outside the lock; when two threads miss the same key, both
    read it, and the second to insert finds the first's and returns it, so it is counted once."""

    def __init__(self, capacity: int, size: Callable[[V], int]) -> None:
        self.capacity = capacity
        self._measure = size
        self._size = 0
        self._held: OrderedDict[tuple[Any, ...], tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], read: Callable[[], V]) -> V:
        """The value at ``key``, read by ``read`` when it is not held."""
        with self._lock:
            held = self._held.get(key)
            if held is not None:
                self._held.move_to_end(key)
                return held[0]
        found = read()
        size = self._measure(found)
        with self._lock:
            held = self._held.get(key)
            if held is not None:  # another thread read it meanwhile: counted once
                return held[0]
            self._held[key] = (found, size)
            self._size += size
            while self._size > self.capacity and len(self._held) > 1:
                _, (_, dropped) = self._held.popitem(last=False)
                self._size -= dropped
        return found

    def clear(self) -> None:
        with self._lock:
            self._held.clear()
            self._size = 0


def unfiltered(matcher: Any) -> Any:
    """``matcher`` out of Whoosh's deleted-documents filter (``FilterMatcher``), to read its blocks
    whole: the postings read then hold deleted documents, which ``Columns.live`` masks, but not all of
    them. The filter has already moved the matcher to the first live document's posting, and the
    Whoosh 3 codec's blocks are read from their first posting: the deleted documents of the blocks
    wholly before that one are left out, every later one is read (any other codec, read a posting at
    a time: every deleted document before the first live one is left out). Either way every live
    document's posting is read, which is what results need (``tests/test_fast_paths.py`` checks a
    segment whose first documents are deleted)."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher


def block_codec(matcher: Any) -> bool:
    """Whether ``matcher`` is the Whoosh 3 codec's, whose blocks ``block_ids`` and ``block_weights`` read."""
    return all(hasattr(matcher, a) for a in ("_read_data", "_data", "_byteids", "_blocklength", "_next_block"))


def block_ids(matcher: Any) -> Longs:
    """The document numbers of the matcher's current block. Whoosh's ``_read_ids`` sums their
    differences in a Python generator, a step per posting; here ``np.cumsum`` does."""
    if matcher._data is None:
        matcher._read_data()
    if matcher._byteids:  # a term vector's block: not ours, read as Whoosh reads it
        matcher._read_ids()
        return np.asarray(matcher._ids, dtype=np.int64)
    return np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))


def block_weights(matcher: Any) -> npt.NDArray[np.float32]:
    """The weights of the matcher's current block, as Whoosh's ``_read_weights`` gives them (a
    block where all are 1.0, or all alike, stores one value or none), without a step per posting."""
    if matcher._data is None:
        matcher._read_data()
    stored = matcher._data[1]
    if stored is None:
        return np.ones(matcher._blocklength, dtype=np.float32)
    if isinstance(stored, float):
        return np.full(matcher._blocklength, stored, dtype=np.float32)
    return np.asarray(stored, dtype=np.float32)
