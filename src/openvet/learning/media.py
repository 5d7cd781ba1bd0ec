"""The length of an uploaded MP4 video, read from its headers by mutagen (the movie header box
``moov/mvhd`` when the file has no sound track) without decoding it: the server needs the length
to judge heartbeats, and cannot take it from the player."""

from typing import IO, Any

from mutagen import MutagenError
from mutagen.mp4 import MP4


def mp4_duration_seconds(handle: IO[bytes]) -> float | None:
    """The movie's length in seconds, or None when the file holds no readable header."""
    handle.seek(0)
    try:
        parsed: Any = MP4(handle)  # type: ignore[no-untyped-call]  # mutagen ships no types
        length = float(parsed.info.length)
    except (MutagenError, ValueError, OverflowError):
        return None
    finally:
        handle.seek(0)
    return length if length > 0 else None
