"""Thumbnails and Office previews of a resource's files (ADR 0530, 0531)."""

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from openvet.core.errors import NotFound, PermissionDenied
from openvet.core.ranged import ranged_response
from openvet.resources import selectors
from openvet.resources.models import BlobPreview, Licence, PreviewStatus
from openvet.resources.views.common import page
from openvet.resources.watermark import UnreadablePdf, stamp_pdf


def _preview_of(request: HttpRequest, resource_id: int, file_id: int) -> tuple[object, BlobPreview]:
    found = selectors.file_get_for(actor=request.user, resource_id=resource_id, file_id=file_id)
    preview = BlobPreview.objects.filter(blob=found.blob, status=PreviewStatus.READY).first()
    if preview is None:
        raise NotFound()
    return found, preview


@page
def file_thumbnail(request: HttpRequest, resource_id: int, file_id: int) -> HttpResponseBase:
    _found, preview = _preview_of(request, resource_id, file_id)
    if not preview.thumbnail_name:
        raise NotFound()
    with default_storage.open(preview.thumbnail_name, "rb") as handle:
        data = handle.read()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page
@xframe_options_sameorigin
def file_preview(request: HttpRequest, resource_id: int, file_id: int) -> HttpResponseBase:
    """The PDF made of an Office document, for readers who may open the file itself."""
    found, preview = _preview_of(request, resource_id, file_id)
    resource = found.version.resource  # type: ignore[attr-defined]
    if not selectors.has_access(actor=request.user, resource=resource):
        raise PermissionDenied(_("This resource is sold under licence: buy one to open it."))
    if not preview.pdf_name:
        raise NotFound()
    response: HttpResponseBase
    if resource.licence == Licence.PAID:
        from django.utils import timezone

        from openvet.resources.views.files import watermark_text

        with default_storage.open(preview.pdf_name, "rb") as handle:
            data = handle.read()
        try:
            stamped = stamp_pdf(data, watermark_text(request.user, timezone.now()))
        except UnreadablePdf:
            raise NotFound() from None
        response = HttpResponse(stamped, content_type="application/pdf")
        response["Cache-Control"] = "private, no-store"
        setattr(response, "_csp_replace", {"frame-ancestors": ["'self'"]})  # noqa: B010
    else:
        size = default_storage.size(preview.pdf_name)
        response = ranged_response(
            request, storage_name=preview.pdf_name, size=size, content_type="application/pdf"
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response
