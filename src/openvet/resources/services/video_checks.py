"""The video checks of certification: every video is read from its bytes (never from what the
uploader said), its length and picture size compared with the deployment's minimums (ADR 0533).

``RESOURCES_VIDEO_MIN_HEIGHT`` (720 by default: 720p, the picture the national resource library
asks of its videos) and ``RESOURCES_VIDEO_MIN_SECONDS`` (10 by default) set them."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_noop

from openvet.resources.media.video import UnreadableVideo, VideoInfo, probe_mp4
from openvet.resources.models import ResourceFile
from openvet.resources.services.certification import CheckResult
from openvet.resources.services.media import VIDEO_TYPES


def min_height() -> int:
    return int(getattr(settings, "RESOURCES_VIDEO_MIN_HEIGHT", 720))


def min_seconds() -> int:
    return int(getattr(settings, "RESOURCES_VIDEO_MIN_SECONDS", 10))


def video_quality_checks(files: list[ResourceFile]) -> list[CheckResult]:
    """Three checks when the files hold a video (readable, picture, length); none otherwise.
    A video whose picture is taller than wide counts its width as its lines (portrait 720p)."""
    videos = [f for f in files if f.blob.mime_type in VIDEO_TYPES]
    if not videos:
        return []
    read: list[tuple[str, VideoInfo]] = []
    broken: list[str] = []
    for f in videos:
        try:
            with default_storage.open(f.blob.storage_name, "rb") as handle:
                read.append((f.filename, probe_mp4(handle)))
        except (UnreadableVideo, OSError):
            broken.append(f.filename)
    lines, seconds = min_height(), min_seconds()
    small = [(name, v) for name, v in read if min(v.width, v.height) < lines]
    short = [(name, v) for name, v in read if v.duration_seconds < seconds]
    return [
        CheckResult(
            "video_readable",
            not broken,
            gettext_noop("Videos can be read (length and picture size)")
            if not broken
            else gettext_noop("These videos are damaged or not MP4 and cannot be read: %(names)s"),
            {"names": "、".join(broken)} if broken else None,
        ),
        CheckResult(
            "video_resolution",
            bool(read) and not small,
            gettext_noop("Videos are at least %(lines)sp")
            if not small
            else gettext_noop("Videos must be at least %(lines)sp; %(found)s"),
            {
                "lines": lines,
                "found": "、".join(f"{name} {v.width}×{v.height}" for name, v in small),
            },
        ),
        CheckResult(
            "video_duration",
            bool(read) and not short,
            gettext_noop("Videos last at least %(seconds)s seconds")
            if not short
            else gettext_noop("Videos must last at least %(seconds)s seconds; %(found)s"),
            {
                "seconds": seconds,
                "found": "、".join(f"{name} {v.duration_seconds:.0f}s" for name, v in short),
            },
        ),
    ]
