"""What every reader shares: errors that name the file, and text decoding."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """Bad input: names the file, the line or record when known, and what is wrong."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.message = message
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


_ARABIC_SCRIPT = range(0x0600, 0x0700)


def decode(data: bytes, path: str | Path) -> str:
    """Decode a file: UTF-8 (with or without BOM), UTF-16 with a BOM, or
    Windows-1256 (older Persian text). Anything else is a ``ReadError``.

    >>> decode("سلام".encode("cp1256"), "x.txt")
    'سلام'
    >>> decode(b"\\xff\\xfe" + "سلام".encode("utf-16-le"), "x.txt")
    'سلام'
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
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [ch for ch in text[:4096] if ch.isalpha()]
    if letters and sum(ord(ch) in _ARABIC_SCRIPT for ch in letters) / len(letters) > 0.5:
        return text
    raise ReadError(
        path,
        f"not UTF-8 text ({utf8_error.reason} at byte {utf8_error.start}), nor Windows-1256 Persian",
    )


def read_text(path: str | Path) -> str:
    """The decoded text of a file, or a ``ReadError`` naming it."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise ReadError(path, f"cannot read: {err.strerror}") from None
    if not data.strip():
        raise ReadError(path, "empty file")
    return decode(data, path)
