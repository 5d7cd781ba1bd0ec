"""Stored files served with HTTP range requests (RFC 9110 §14), so that a video can seek and a
phone can resume, for every app that streams a file (resources, online courses).

One range per request: browsers' media players ask for one; a request for several, or for one
outside the file, is answered 416 with the file's size.
"""

import re
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
PIECE = 256 * 1024


def file_pieces(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    """``length`` bytes of ``handle`` from ``start``, a piece at a time; closes the handle."""
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


def byte_range(header: str, size: int) -> tuple[int, int] | None:
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


def ranged_response(
    request: HttpRequest, *, storage_name: str, size: int, content_type: str
) -> HttpResponseBase:
    """The stored file, whole (200) or the asked range (206), shown inline; pages of this site
    may frame it (a PDF preview), no other site may."""
    header = request.headers.get("Range", "")
    wanted = byte_range(header, size) if header else None
    if header and wanted is None:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = wanted or (0, size - 1)
    handle = default_storage.open(storage_name, "rb")
    response = StreamingHttpResponse(
        file_pieces(handle, start, end - start + 1),
        status=206 if wanted else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # What django-csp's ``csp_replace`` decorator sets, typed for views with path arguments.
    setattr(response, "_csp_replace", {"frame-ancestors": ["'self'"]})  # noqa: B010
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def is_first_read(response: HttpResponseBase) -> bool:
    """Whether ``response`` serves the file from its first byte (a read to count once, not a
    seek in the middle of one)."""
    return response.status_code == 200 or (
        response.status_code == 206 and response["Content-Range"].startswith("bytes 0-")
    )
