"""What every reader shares: errors that name the file, text decoding, and notes.

A note says something a reader had to guess or repair in a file that was
still read («decoded as Windows-1256»): it is not an error, the file's
articles are indexed, but the operator is told. Readers do not pass notes
around: ``read_text`` adds them to the list that ``collect_notes`` opened.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path


def display_path(path: str | Path) -> str:
    """A path as text that can always be printed: bytes of a name that are not
    UTF-8 are shown as ``\\xNN`` (Python keeps them as lone surrogates).

    >>> display_path(os.fsdecode(b"/corpus/caf\\xe9.txt"))
    '/corpus/caf\\\\xe9.txt'
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


class ReadError(Exception):
    """Bad input: names the file, the line or record when known, and what is wrong."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = display_path(path)
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


_NOTES: ContextVar[list[str] | None] = ContextVar("kavosh_read_notes", default=None)


@contextmanager
def collect_notes() -> Iterator[list[str]]:
    """The notes ``read_text`` makes inside this block ("path: what was guessed").

    >>> with collect_notes() as notes:
    ...     note("a.txt", "decoded as Windows-1256")
    >>> notes
    ['a.txt: decoded as Windows-1256']
    """
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def note(path: str | Path, message: str) -> None:
    """Tell the operator what was guessed or repaired in a file that is still read."""
    notes = _NOTES.get()
    if notes is not None:
        notes.append(f"{display_path(path)}: {message}")


_ARABIC_SCRIPT = range(0x0600, 0x0700)
#: A file is UTF-8 with a few broken bytes, not another encoding, when at most this share of its
#: non-ASCII characters read as UTF-8 are invalid sequences (Windows-1256 Persian read as UTF-8 is
#: mostly invalid: its letters are bytes 0xC1-0xFE, rarely followed by a continuation byte).
UTF8_FIT = 0.9  # the share that must be valid (Windows-1256 Persian: under 0.1)


def decode(data: bytes, path: str | Path) -> str:
    """Decode a file: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Windows-1256 (older Persian text). Anything else is a ``ReadError``.

    Windows-1256 is guessed only when the whole file fits it better than UTF-8:
    a UTF-8 file with a few broken bytes stays UTF-8 (the bytes become U+FFFD),
    and either repair is noted (``collect_notes``).

    >>> decode("سلام".encode("cp1256"), "x.txt")
    'سلام'
    >>> decode(b"\\xff\\xfe" + "سلام".encode("utf-16-le"), "x.txt")
    'سلام'
    >>> decode("سلام دنیا".encode() + b"\\xff" + " و درود بر شما".encode(), "x.txt")
    'سلام دنیا\\ufffd و درود بر شما'
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ReadError(path, f"invalid UTF-16 text ({err.reason} at byte {err.start})") from None
    if b"\x00" in data[:4096]:
        raise ReadError(path, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        utf8_error = err
    repaired = data.decode("utf-8-sig", "replace")
    replaced = repaired.count("\ufffd")  # one per invalid sequence
    non_ascii = len(repaired) - len(repaired.encode("ascii", "ignore"))
    if 1 - replaced / non_ascii >= UTF8_FIT:
        note(path, f"{replaced} invalid UTF-8 sequence(s) replaced by U+FFFD (the first at byte {utf8_error.start})")
        return repaired
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [ch for ch in text[:4096] if ch.isalpha()]
    if letters and sum(ord(ch) in _ARABIC_SCRIPT for ch in letters) / len(letters) > 0.5:
        note(path, f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}): decoded as Windows-1256 (guessed)")
        return text
    raise ReadError(
        path,
        f"not UTF-8 text ({utf8_error.reason} at byte {utf8_error.start}), nor Windows-1256 Persian",
    )


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, or a ``ReadError`` naming it ("cannot read: Permission denied")."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror or err}") from None
    if not data.strip():
        raise ReadError(path, "empty file")
    return data


def read_text(path: str | Path) -> str:
    """The decoded text of a file, or a ``ReadError`` naming it."""
    return decode(read_bytes(path), path)
