"""The picture an account's ``avatar_url`` names (``/avatars/{md5}``, as Gitea links a
generated avatar when Gravatar is off): an identicon drawn from the digest itself, so every
account has one without storing a file, and nothing is learnt about who the digest belongs to."""

from __future__ import annotations

import re
import struct
import zlib

DIGEST = re.compile(r"[0-9a-f]{32}")
GRID, CELL, MARGIN = 5, 16, 8
SIZE = GRID * CELL + 2 * MARGIN


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def identicon_png(digest: str) -> bytes:
    """A ``SIZE``-pixel square PNG: a left-right symmetric 5×5 pattern in one colour, both
    taken from ``digest`` (32 hex digits)."""
    raw = bytes.fromhex(digest)
    colour = bytes((raw[0] % 160 + 40, raw[1] % 160 + 40, raw[2] % 160 + 40))
    background = b"\xf0\xf0\xf0"
    half = (GRID + 1) // 2
    bits = int.from_bytes(raw[3:], "big")
    filled = [[bits >> (row * half + col) & 1 == 1 for col in range(half)] for row in range(GRID)]
    rows = []
    for y in range(SIZE):
        cell_y = (y - MARGIN) // CELL
        line = bytearray(b"\x00")  # filter: none
        for x in range(SIZE):
            cell_x = (x - MARGIN) // CELL
            inside = 0 <= cell_x < GRID and 0 <= cell_y < GRID and MARGIN <= x and MARGIN <= y
            on = inside and filled[cell_y][min(cell_x, GRID - 1 - cell_x)]
            line += colour if on else background
        rows.append(bytes(line))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + _chunk(b"IEND", b""))
