"""What an MP4 says of itself: its duration (mutagen) and the picture size of its video track.

The picture size is read from the track header box (`tkhd`) of each track, ISO/IEC 14496-12
(ISO base media file format) §8.3.2: its last two fields are width and height as 16.16 fixed
point numbers; an audio track has both zero. Only the box headers are read, never the media.
"""

import struct
from dataclasses import dataclass
from typing import IO, Any

from mutagen import MutagenError
from mutagen.mp4 import MP4

# Boxes that hold other boxes on the way from the file to a track header.
_CONTAINERS = {b"moov", b"trak"}
_MAX_BOXES = 10_000


class UnreadableVideo(Exception):
    """The file is not an MP4 whose length and picture can be read."""


@dataclass(frozen=True)
class VideoInfo:
    duration_seconds: float
    width: int
    height: int


def _boxes(handle: IO[bytes], start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, start of the content, end of the box) of each box between ``start`` and ``end``."""
    found: list[tuple[bytes, int, int]] = []
    position = start
    while position + 8 <= end and len(found) < _MAX_BOXES:
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8:
            break
        size, kind = struct.unpack(">I4s", header)
        content = position + 8
        if size == 1:
            large = handle.read(8)
            if len(large) < 8:
                break
            size = struct.unpack(">Q", large)[0]
            content += 8
        elif size == 0:
            size = end - position
        if size < content - position or position + size > end:
            raise UnreadableVideo("a box runs past its parent")
        found.append((kind, content, position + size))
        position += size
    return found


def picture_size(handle: IO[bytes]) -> tuple[int, int]:
    """Width and height of the first track with a picture, or (0, 0) when none has one."""
    handle.seek(0, 2)
    size = handle.tell()
    pending = [(0, size)]
    while pending:
        start, end = pending.pop(0)
        for kind, content, box_end in _boxes(handle, start, end):
            if kind in _CONTAINERS:
                pending.append((content, box_end))
            elif kind == b"tkhd" and box_end - content >= 84:
                # Width and height are the last 8 bytes of the box, whatever its version.
                handle.seek(box_end - 8)
                width, height = struct.unpack(">II", handle.read(8))
                if width and height:
                    return width >> 16, height >> 16
    return 0, 0


def probe_mp4(handle: IO[bytes]) -> VideoInfo:
    """Duration and picture size of an MP4; ``UnreadableVideo`` when either cannot be read."""
    try:
        handle.seek(0)
        parsed: Any = MP4(handle)  # type: ignore[no-untyped-call]  # mutagen ships no types
        length = parsed.info.length
        width, height = picture_size(handle)
    except (MutagenError, struct.error, ValueError, OSError) as exc:
        raise UnreadableVideo(str(exc)) from exc
    if not length or not width:
        raise UnreadableVideo("no video track with a length and a picture")
    return VideoInfo(duration_seconds=float(length), width=width, height=height)
