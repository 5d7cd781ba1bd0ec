"""The tus 1.0 endpoints of resumable uploads (core protocol and the creation extension).

The phone's browser keeps the upload's address (tus-js-client stores it), so after a lost
connection it asks for the offset with HEAD and sends the rest with PATCH.
"""

import base64
import binascii

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openvet.core.errors import DomainError
from openvet.resources import services
from openvet.resources.services.files import max_upload_bytes, upload_get_for

TUS_VERSION = "1.0.0"
PATCH_TYPE = "application/offset+octet-stream"


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _refused(exc: DomainError) -> HttpResponse:
    body = {"code": exc.code, "message": str(exc.message), "details": exc.details or {}}
    return _tus(JsonResponse(body, status=exc.status))


def _unauthenticated() -> HttpResponse:
    return _tus(
        JsonResponse({"code": "not_authenticated", "message": _("Sign in first.")}, status=401)
    )


def _metadata(header: str) -> dict[str, str]:
    values = {}
    for pair in header.split(","):
        parts = pair.strip().split(" ")
        if len(parts) == 2:
            try:
                values[parts[0]] = base64.b64decode(parts[1], validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                continue
    return values


def _int_header(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.headers.get(name, ""))
    except ValueError:
        return None
    return value if value >= 0 else None


@require_http_methods(["OPTIONS", "POST"])
def upload_collection(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation"
        response["Tus-Max-Size"] = str(max_upload_bytes())
        return _tus(response)
    if not request.user.is_authenticated:
        return _unauthenticated()
    length = _int_header(request, "Upload-Length")
    if length is None:
        return _tus(
            JsonResponse(
                {"code": "length_required", "message": _("Say how long the file is.")}, status=400
            )
        )
    filename = _metadata(request.headers.get("Upload-Metadata", "")).get("filename", "")
    try:
        upload = services.upload_create(actor=request.user, filename=filename, length=length)
    except DomainError as exc:
        return _refused(exc)
    response = HttpResponse(status=201)
    response["Location"] = reverse("resources:upload-chunk", args=[upload.key])
    return _tus(response)


@require_http_methods(["HEAD", "PATCH"])
def upload_chunk(request: HttpRequest, key: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return _unauthenticated()
    try:
        if request.method == "HEAD":
            upload = upload_get_for(actor=request.user, key=key)
        else:
            if request.content_type != PATCH_TYPE:
                return _tus(HttpResponse(status=415))
            offset = _int_header(request, "Upload-Offset")
            if offset is None:
                return _tus(HttpResponse(status=400))
            upload = services.upload_append(
                actor=request.user, key=key, offset=offset, data=request.body
            )
    except DomainError as exc:
        return _refused(exc)
    response = HttpResponse(status=200 if request.method == "HEAD" else 204)
    response["Upload-Offset"] = str(upload.offset)
    response["Upload-Length"] = str(upload.length)
    return _tus(response)
