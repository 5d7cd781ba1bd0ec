"""Resumable uploads (the core of tus 1.0) and content-addressed blobs (ADR 0502, ADR 0503).

Each PATCH of an upload is saved as one chunk through Django's storage API, so the same code
runs on a local folder and on an S3-compatible store (which cannot append). When the last
byte arrives the chunks are joined into a blob named by its SHA-256: the same bytes uploaded
twice are stored once. The type is sniffed from the content, never taken from the name.
"""

import hashlib
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

import filetype
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from openvet.core import policy
from openvet.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from openvet.core.policy import Actor
from openvet.core.uploads import UploadLimits, UploadRefused, guard_zip
from openvet.resources import permissions as perms
from openvet.resources.models import Blob, Upload

CHUNK_DIR = "resources/uploads"
BLOB_DIR = "resources/blobs"

# What each allowed name ending must hold, as sniffed from the bytes.
EXPECTED_TYPES: dict[str, frozenset[str]] = {
    ".mp4": frozenset({"video/mp4"}),
    ".m4v": frozenset({"video/x-m4v", "video/mp4"}),
    ".webm": frozenset({"video/webm"}),
    ".mp3": frozenset({"audio/mpeg"}),
    ".pdf": frozenset({"application/pdf"}),
    ".png": frozenset({"image/png"}),
    ".jpg": frozenset({"image/jpeg"}),
    ".jpeg": frozenset({"image/jpeg"}),
    ".gif": frozenset({"image/gif"}),
    ".webp": frozenset({"image/webp"}),
    ".docx": frozenset({"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
    ".pptx": frozenset(
        {"application/vnd.openxmlformats-officedocument.presentationml.presentation"}
    ),
    ".xlsx": frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    ".zip": frozenset({"application/zip"}),
    # IMS Common Cartridge: a zip under its own name (imported by services.packages).
    ".imscc": frozenset({"application/zip"}),
}
PACKAGE_TYPES = frozenset({"application/zip"})


def max_upload_bytes() -> int:
    return int(getattr(settings, "RESOURCES_MAX_UPLOAD_BYTES", 2 * 1024**3))


def upload_create(*, actor: Actor, filename: str, length: int) -> Upload:
    # Enterprise people upload too, into a work package of their projects only (ADR 0538).
    if not (
        policy.has_capability(actor, perms.ADD) or policy.has_capability(actor, perms.CONTRIBUTE)
    ):
        raise PermissionDenied()
    name = PurePosixPath(filename.replace("\\", "/")).name.strip()[:200]
    errors: dict[str, str] = {}
    if not name or PurePosixPath(name).suffix.lower() not in EXPECTED_TYPES:
        errors["file"] = _("Files of this kind cannot be uploaded: %(name)s") % {"name": name}
    if length <= 0 or length > max_upload_bytes():
        errors["file"] = _("The file is empty or larger than the platform allows.")
    if errors:
        raise ValidationFailed(details=errors)
    return Upload.objects.create(
        key=secrets.token_hex(16), owner_id=actor.pk, filename=name, length=length
    )


def upload_get_for(*, actor: Actor, key: str) -> Upload:
    upload = Upload.objects.filter(key=key, owner=actor.pk).first()
    if upload is None:
        raise NotFound()
    return upload


def _chunk_name(upload: Upload, number: int) -> str:
    return f"{CHUNK_DIR}/{upload.key}/{number:06d}"


def upload_append(*, actor: Actor, key: str, offset: int, data: bytes) -> Upload:
    """Append one chunk at ``offset``; a chunk for another offset (a stale retry) is refused
    with the offset the server holds, as tus asks, and nothing is written."""
    with transaction.atomic():
        upload = Upload.objects.select_for_update().filter(key=key, owner=actor.pk).first()
        if upload is None:
            raise NotFound()
        if offset != upload.offset:
            raise Conflict(
                _("The upload is at byte %(offset)s, not %(sent)s.")
                % {"offset": upload.offset, "sent": offset},
                code="offset_mismatch",
                details={"offset": upload.offset},
            )
        if upload.offset + len(data) > upload.length:
            raise ValidationFailed(_("The upload is longer than it said it would be."))
        stored = default_storage.save(_chunk_name(upload, upload.chunks), File(_bytes_io(data)))
        if stored != _chunk_name(upload, upload.chunks):
            default_storage.delete(stored)
            raise Conflict(code="chunk_exists")
        Upload.objects.filter(pk=upload.pk).update(
            offset=F("offset") + len(data), chunks=F("chunks") + 1
        )
        upload.refresh_from_db()
    return upload


def _bytes_io(data: bytes) -> IO[bytes]:
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    handle.write(data)
    handle.seek(0)
    return handle


@dataclass(frozen=True)
class Finished:
    blob: Blob
    filename: str
    reused: bool


def _joined(upload: Upload) -> tuple[IO[bytes], str]:
    """The chunks joined into one spooled file, and its SHA-256."""
    digest = hashlib.sha256()
    joined = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    for number in range(upload.chunks):
        with default_storage.open(_chunk_name(upload, number), "rb") as chunk:
            while piece := chunk.read(1024 * 1024):
                digest.update(piece)
                joined.write(piece)
    joined.seek(0)
    return joined, digest.hexdigest()


def upload_joined(upload: Upload) -> IO[bytes]:
    """The bytes of a complete upload as one file, to read before it is kept (the caller
    closes it)."""
    joined, _sha256 = _joined(upload)
    return joined


def sniff(head: bytes) -> str:
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    return "application/octet-stream"


def _check_type(upload: Upload, joined: IO[bytes]) -> str:
    head = joined.read(8192)
    joined.seek(0)
    mime = sniff(head)
    expected = EXPECTED_TYPES.get(PurePosixPath(upload.filename).suffix.lower(), frozenset())
    if mime not in expected:
        raise UploadRefused(
            _("The content of %(name)s is not what its name says; it was not kept.")
            % {"name": upload.filename}
        )
    if mime in PACKAGE_TYPES:
        guard_zip(joined, limits=UploadLimits(max_bytes=max_upload_bytes()))
        joined.seek(0)
    return mime


def upload_finish(*, actor: Actor, key: str) -> Finished:
    """The blob of a complete upload: checked, hashed and stored once (ADR 0503)."""
    upload = upload_get_for(actor=actor, key=key)
    if not upload.is_complete:
        raise ValidationFailed(_("The upload has not finished yet."))
    joined, sha256 = _joined(upload)
    try:
        mime = _check_type(upload, joined)
        blob = Blob.objects.filter(sha256=sha256).first()
        reused = blob is not None
        if blob is None:
            name = default_storage.save(f"{BLOB_DIR}/{sha256[:2]}/{sha256}", File(joined))
            blob, _created = Blob.objects.get_or_create(
                sha256=sha256,
                defaults={"size": upload.length, "mime_type": mime, "storage_name": name},
            )
    finally:
        joined.close()
        _discard(upload)
    return Finished(blob=blob, filename=upload.filename, reused=reused)


def _discard(upload: Upload) -> None:
    for number in range(upload.chunks):
        default_storage.delete(_chunk_name(upload, number))
    upload.delete()


def blob_sha256_of_stored(blob: Blob) -> str:
    """The SHA-256 of the bytes as they are in storage now (the integrity check)."""
    digest = hashlib.sha256()
    with default_storage.open(blob.storage_name, "rb") as handle:
        for piece in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(piece)
    return digest.hexdigest()
