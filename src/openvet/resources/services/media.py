"""Previews of stored files, made in a background job after upload (ADR 0530, 0531): the
thumbnail, the PDF of an Office document, and a video's duration and picture size. A file that
cannot be read gets no thumbnail and a recorded reason; nothing here raises to a page."""

import io
import logging
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from openvet.resources.media import office, thumbnails
from openvet.resources.media.video import UnreadableVideo, probe_mp4
from openvet.resources.models import Blob, BlobPreview, PreviewStatus, ResourceFile

logger = logging.getLogger(__name__)

PREVIEW_DIR = "resources/previews"
VIDEO_TYPES = frozenset({"video/mp4", "video/x-m4v"})


def preview_queue(blobs: list[Blob]) -> None:
    """Queue the previews of ``blobs`` that have none, once the transaction commits."""
    from openvet.resources.tasks import make_preview

    for blob in blobs:
        _row, created = BlobPreview.objects.get_or_create(blob=blob)
        if created:
            transaction.on_commit(partial(make_preview.delay, blob.pk))


def _title_of(blob: Blob) -> str:
    found = (
        ResourceFile.objects.filter(blob=blob)
        .select_related("version__resource")
        .order_by("id")
        .first()
    )
    return found.version.resource.title if found else ""


def _save(blob: Blob, suffix: str, data: bytes) -> str:
    name = f"{PREVIEW_DIR}/{blob.sha256[:2]}/{blob.sha256}{suffix}"
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def preview_make(blob_id: int) -> BlobPreview:
    """Make (or remake) the previews of one blob and record the outcome."""
    blob = Blob.objects.get(pk=blob_id)
    preview, _created = BlobPreview.objects.get_or_create(blob=blob)
    fields: dict[str, object] = {
        "status": PreviewStatus.READY,
        "reason": "",
        "made_at": timezone.now(),
    }
    try:
        with default_storage.open(blob.storage_name, "rb") as handle:
            data = handle.read()
        mime = blob.mime_type
        if mime.startswith("image/"):
            thumb, width, height = thumbnails.of_image(data)
            fields |= {"width": width, "height": height}
        elif mime == "application/pdf":
            thumb = thumbnails.of_pdf(data)
        elif mime in VIDEO_TYPES:
            info = probe_mp4(io.BytesIO(data))
            thumb = thumbnails.video_poster(_title_of(blob), info.duration_seconds)
            fields |= {
                "width": info.width,
                "height": info.height,
                "duration_seconds": info.duration_seconds,
            }
        elif mime in office.OFFICE_TYPES:
            converted = office.to_pdf(data, office.OFFICE_TYPES[mime])
            fields |= {
                "pdf_name": _save(blob, ".pdf", converted.pdf),
                "converter": converted.converter,
            }
            thumb = thumbnails.of_pdf(converted.pdf)
        else:
            thumb = b""
        if thumb:
            fields["thumbnail_name"] = _save(blob, ".jpg", thumb)
    except thumbnails.NoThumbnail as exc:
        fields |= {"status": PreviewStatus.FAILED, "reason": exc.reason}
    except office.ConversionFailed as exc:
        fields |= {"status": PreviewStatus.FAILED, "reason": exc.reason}
    except UnreadableVideo:
        fields |= {
            "status": PreviewStatus.FAILED,
            "reason": gettext_noop(
                "The video is damaged: its length and picture size cannot be read."
            ),
        }
    except Exception:
        logger.exception("preview of blob %s failed", blob_id)
        fields |= {
            "status": PreviewStatus.FAILED,
            "reason": gettext_noop("The file could not be read."),
        }
    BlobPreview.objects.filter(pk=preview.pk).update(**fields)
    preview.refresh_from_db()
    return preview
