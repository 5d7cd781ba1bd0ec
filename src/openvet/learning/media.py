"""The length of an uploaded MP4 video, read from its movie header box (``moov/mvhd``, ISO/IEC
14496-12 §8.2.2) without decoding it: the server needs the length to judge heartbeats, and
cannot take it from the player."""

import struct
from typing import IO

_CONTAINERS = {b"moov"}
_SCAN_LIMIT = 64


def _boxes(handle: IO[bytes], end: int) -> "list[tuple[bytes, int, int]]":
    """(type, payload start, payload end) of the boxes between the handle's position and ``end``."""
    found: list[tuple[bytes, int, int]] = []
    position = handle.tell()
    while position + 8 <= end and len(found) < _SCAN_LIMIT:
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8:
            break
        size, kind = struct.unpack(">I4s", header)
        payload = position + 8
        if size == 1:
            large = handle.read(8)
            if len(large) < 8:
                break
            size = struct.unpack(">Q", large)[0]
            payload += 8
        elif size == 0:
            size = end - position
        if size < 8 or position + size > end:
            break
        found.append((kind, payload, position + size))
        position += size
    return found


def mp4_duration_seconds(handle: IO[bytes], size: int) -> float | None:
    """The movie's length in seconds, or None when the file holds no readable header."""
    handle.seek(0)
    for kind, start, end in _boxes(handle, size):
        if kind not in _CONTAINERS:
            continue
        handle.seek(start)
        for inner, inner_start, _inner_end in _boxes(handle, end):
            if inner != b"mvhd":
                continue
            handle.seek(inner_start)
            version = handle.read(1)
            handle.read(3)
            if version == b"\x01":
                data = handle.read(28)
                if len(data) < 28:
                    return None
                _c, _m, scale, length = struct.unpack(">QQIQ", data)
            else:
                data = handle.read(16)
                if len(data) < 16:
                    return None
                _c2, _m2, scale, length = struct.unpack(">IIII", data)
            return length / scale if scale else None
    return None
