"""Files of a resource, served through the storage with HTTP range requests (video seeking),
inline for previews or as a download where the licence allows it."""

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.views.decorators.clickjacking import xframe_options_sameorigin

from openvet.core.errors import PermissionDenied
from openvet.lrs import services as lrs
from openvet.resources import selectors, services
from openvet.resources.models import Licence
from openvet.resources.views.common import page

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PIECE = 256 * 1024


def _pieces(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        left = length
        while left > 0:
            piece = handle.read(min(PIECE, left))
            if not piece:
                break
            left -= len(piece)
            yield piece
    finally:
        handle.close()


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single range, or None when the header asks none we serve."""
    match = _RANGE.match(header.strip())
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end < size else None


@page
@xframe_options_sameorigin
def resource_file(request: HttpRequest, resource_id: int, file_id: int) -> HttpResponseBase:
    found = selectors.file_get_for(actor=request.user, resource_id=resource_id, file_id=file_id)
    resource = found.version.resource
    download = request.GET.get("download") == "1"
    if download and resource.licence == Licence.PAID:
        raise PermissionDenied()
    blob = found.blob
    header = request.headers.get("Range", "")
    wanted = _byte_range(header, blob.size) if header else None
    if header and wanted is None:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{blob.size}"
        return refused
    start, end = wanted or (0, blob.size - 1)
    handle = default_storage.open(blob.storage_name, "rb")
    response = StreamingHttpResponse(
        _pieces(handle, start, end - start + 1),
        status=206 if wanted else 200,
        content_type=blob.mime_type,
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    # The resource page shows a PDF in a frame of its own: allow this origin to frame it (what
    # django-csp's ``csp_replace`` decorator sets, typed for views with path arguments).
    setattr(response, "_csp_replace", {"frame-ancestors": ["'self'"]})  # noqa: B010
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quoted(found.filename)}"
    if download:
        services.resource_count_use(resource=resource, download=True)
        lrs.record_learning_event(
            user_id=request.user.pk,
            verb="downloaded",
            object_type="resources.resource",
            object_id=resource.pk,
        )
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
