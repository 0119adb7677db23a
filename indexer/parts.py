"""Which files one of N feeding machines reads (``kavosh reindex --part K/N``).

A file belongs to exactly one part, decided by a hash of its path as the manifest records it
(absolute): the same on every machine and in every run, whatever order the files are found in,
and a file that vanished still has the part that must delete its articles. Every machine must
therefore see the corpus at the same path (one shared mount).

>>> parse_part("2/3")
Part(number=2, total=3)
>>> sorted({part_of(f"/news/{i}.json", 3) for i in range(100)})
[1, 2, 3]
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

_PATTERN = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class Part(NamedTuple):
    """Part ``number`` of ``total`` (1-based)."""

    number: int
    total: int

    def holds(self, path: str) -> bool:
        """Is ``path`` this part's to read (or to delete when it vanished)?"""
        return part_of(path, self.total) == self.number

    def __str__(self) -> str:
        return f"{self.number}/{self.total}"


WHOLE = Part(1, 1)


def parse_part(text: str) -> Part:
    """``K/N`` with 1 <= K <= N; a ``ValueError`` that says what is wrong otherwise.

    >>> parse_part("0/3")
    Traceback (most recent call last):
    ValueError: --part 0/3: K must be from 1 to N (3)
    """
    found = _PATTERN.fullmatch(text)
    if not found:
        raise ValueError(f"--part {text}: expected K/N, e.g. 2/3 for the second of three feeding machines")
    number, count = int(found[1]), int(found[2])
    if count < 1:
        raise ValueError(f"--part {text}: N must be at least 1")
    if not 1 <= number <= count:
        raise ValueError(f"--part {text}: K must be from 1 to N ({count})")
    return Part(number, count)


def part_of(path: str, count: int) -> int:
    """The part (1..``count``) that reads ``path``: a stable hash, not Python's salted ``hash``.

    >>> part_of("/news/a.json", 1), part_of("/news/a.json", 4) == part_of("/news/a.json", 4)
    (1, True)
    """
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1
