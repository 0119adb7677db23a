"""Draw the PNG icons of ``static/kavosh.svg`` (16x16 and 64x64) for the OpenSearch description.

Run once when the icon changes: ``python scripts/make_png_icons.py``; the PNGs are committed.
Standard library only (browsers that add a search engine want PNG, not SVG; no runtime dependency).
The shapes are the SVG's, in its 16-unit square: a rounded square, a ring and a handle, each pixel
sampled 8x8 times for smooth edges.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

BLUE = (0x0B, 0x57, 0xA4)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 8


def _inside_square(x: float, y: float) -> bool:
    r = 3.0  # rx of the SVG's rect
    cx, cy = min(max(x, r), 16 - r), min(max(y, r), 16 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _on_ring(x: float, y: float) -> bool:
    return abs(math.hypot(x - 9.5, y - 6.5) - 3.5) <= 0.9  # circle r=3.5, stroke 1.8


def _on_handle(x: float, y: float) -> bool:
    # the segment (7, 9) -> (3.5, 12.5), stroke 2 with round caps
    ax, ay, bx, by = 7.0, 9.0, 3.5, 12.5
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= 1.0


def pixels(size: int) -> list[list[tuple[int, int, int, int]]]:
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            square = white = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * 16 / size
                    y = (py + (sy + 0.5) / SAMPLES) * 16 / size
                    if _inside_square(x, y):
                        square += 1
                        white += _on_ring(x, y) or _on_handle(x, y)
            alpha = square / SAMPLES**2
            share = white / square if square else 0.0
            rgb = tuple(round(b + (w - b) * share) for b, w in zip(BLUE, WHITE, strict=True))
            row.append((*rgb, round(255 * alpha)))
        rows.append(row)
    return rows


def png(rows: list[list[tuple[int, int, int, int]]]) -> bytes:
    """An 8-bit RGBA PNG of ``rows``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    height, width = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(v for pixel in row for v in pixel) for row in rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main() -> None:
    static = Path(__file__).resolve().parents[1] / "static"
    for size in (16, 64):
        (static / f"kavosh-{size}.png").write_bytes(png(pixels(size)))


if __name__ == "__main__":
    main()
