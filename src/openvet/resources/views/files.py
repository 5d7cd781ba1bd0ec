"""Files of a resource, served through the storage with HTTP range requests (video seeking),
inline for previews or as a download where the licence allows it."""

from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from openvet.core.errors import PermissionDenied
from openvet.core.ranged import file_pieces, is_first_read, ranged_response
from openvet.lrs import services as lrs
from openvet.resources import selectors, services
from openvet.resources.models import Licence, ResourceFile, UsageAction
from openvet.resources.views.common import page
from openvet.resources.watermark import UnreadablePdf, stamp_pdf


@page
@xframe_options_sameorigin
def resource_file(request: HttpRequest, resource_id: int, file_id: int) -> HttpResponseBase:
    found = selectors.file_get_for(actor=request.user, resource_id=resource_id, file_id=file_id)
    resource = found.version.resource
    download = request.GET.get("download") == "1"
    if not selectors.has_access(actor=request.user, resource=resource):
        raise PermissionDenied(_("This resource is sold under licence: buy one to open it."))
    if download:
        return _download(request, found)
    if resource.licence == Licence.PAID and found.blob.mime_type == "application/pdf":
        # A licensed reader's preview of a paid PDF carries their name as a download does.
        services.usage_record(
            resource=resource, actor=request.user, action=UsageAction.OPEN, filename=found.filename
        )
        stamped = _stamped(request, found)
        setattr(stamped, "_csp_replace", {"frame-ancestors": ["'self'"]})  # noqa: B010
        return _named(stamped, found.filename, "inline")
    blob = found.blob
    response = ranged_response(
        request, storage_name=blob.storage_name, size=blob.size, content_type=blob.mime_type
    )
    if response.status_code == 416:
        return response
    if is_first_read(response):
        services.usage_record(
            resource=resource, actor=request.user, action=UsageAction.OPEN, filename=found.filename
        )
    return _named(response, found.filename, "inline")


def _named(response: HttpResponseBase, filename: str, disposition: str) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quoted(filename)}"
    return response


def watermark_text(user: Any, at: datetime) -> str:
    return _("Downloaded by %(name)s at %(time)s") % {
        "name": user.full_name or user.username,
        "time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
    }


def _stamped(request: HttpRequest, found: ResourceFile) -> HttpResponse:
    """The PDF stamped with the reader's name and the time, or a 422 when it cannot be."""
    with default_storage.open(found.blob.storage_name, "rb") as handle:
        data = handle.read()
    try:
        stamped = stamp_pdf(data, watermark_text(request.user, timezone.now()))
    except UnreadablePdf:
        message = _("This PDF could not be stamped with your name, so it is not handed out.")
        return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(stamped, content_type=found.blob.mime_type)
    response["Content-Length"] = str(len(stamped))
    response["Cache-Control"] = "private, no-store"
    return response


def _download(request: HttpRequest, found: ResourceFile) -> HttpResponseBase:
    """The whole file as an attachment; a PDF stamped with the reader's name and the time."""
    resource = found.version.resource
    blob = found.blob
    response: HttpResponseBase
    if blob.mime_type == "application/pdf":
        response = _stamped(request, found)
        if response.status_code != 200:
            return response
    else:
        handle = default_storage.open(blob.storage_name, "rb")
        response = StreamingHttpResponse(
            file_pieces(handle, 0, blob.size), content_type=blob.mime_type
        )
        response["Content-Length"] = str(blob.size)
    response["Cache-Control"] = "private, no-store"
    services.resource_count_use(resource=resource, download=True)
    services.usage_record(
        resource=resource, actor=request.user, action=UsageAction.DOWNLOAD, filename=found.filename
    )
    lrs.record_learning_event(
        user_id=request.user.pk,
        verb="downloaded",
        object_type="resources.resource",
        object_id=resource.pk,
    )
    return _named(response, found.filename, "attachment")


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
