"""What the platform derives from a stored file, once per blob: a thumbnail, a PDF preview of
an Office document, and what a video says of itself (duration, width, height). Made by a
background job after upload; a file that cannot be read keeps no thumbnail and the reason."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from openvet.resources.models.library import Blob


class PreviewStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be prepared")


class BlobPreview(models.Model):
    blob = models.OneToOneField(Blob, on_delete=models.CASCADE, related_name="preview")
    status = models.CharField(
        _("status"), max_length=10, choices=PreviewStatus.choices, default=PreviewStatus.PENDING
    )
    # Storage names of a JPEG thumbnail and of a PDF preview (Office documents only).
    thumbnail_name = models.CharField(max_length=255, blank=True)
    pdf_name = models.CharField(max_length=255, blank=True)
    # Which converter made the PDF preview ("libreoffice", or "text" for the extracted text).
    converter = models.CharField(max_length=20, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    # A message id saying why nothing could be made, translated where shown.
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("file preview")
        verbose_name_plural = _("file previews")
        ordering: ClassVar[list[str]] = ["id"]

    def __str__(self) -> str:
        return f"{self.blob_id} {self.status}"
