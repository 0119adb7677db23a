"""Which files one of N feeding machines reads (``kavosh reindex --part K/N``).

A file belongs to exactly one part, decided by a hash of its path relative to the corpus folder
it was found in (``reindex /data/news`` reads ``/data/news/2023/a.json`` as ``2023/a.json``): the
same in every run, whatever order the files are found in, and the same on machines that mount the
corpus at different places, so every part reads its own files wherever it runs. The manifest
records that relative path with each file, so that a file that vanished, or one another machine
recorded under its own mount, still has the part that must delete its articles (``owner``).

>>> parse_part("2/3")
Part(number=2, total=3)
>>> sorted({part_of(f"{i}.json", 3) for i in range(100)})
[1, 2, 3]
>>> owner("/mnt/a/news/x.json", {}, "x.json") == owner("/data/news/x.json", {"/data/news/x.json": "x.json"}, "")
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import NamedTuple

#: How files are split: 2, by the path relative to the corpus folder (1 was the absolute path). The
#: parts of one build must split alike: a part of another split does not join it.
SPLIT = 2

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

    >>> part_of("2023/a.json", 1), part_of("2023/a.json", 4) == part_of("2023/a.json", 4)
    (1, True)
    """
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count + 1


def owner(path: str, found: Mapping[str, str], recorded: str) -> str:
    """What decides the part of the file a manifest records at ``path``: its path relative to the
    corpus folder as this run found it (``found``: absolute path -> relative), else as the run that
    recorded it found it (``recorded``; a vanished file, or one another machine read under its own
    mount), else ``path`` itself (as every part sees it): the entry of a manifest older than that record
    whose file no run has found since (a run that finds it records its path, ``indexer.build._update``)."""
    return found.get(path) or recorded or path
