"""The xAPI resources as a plain Django view, for WSGI servers and Django's test client.

The ASGI layer (``xapi.asgi``) answers /xapi/ before Django when the platform runs under
ASGI; both hand the same ``XRequest`` to ``protocol.handle``.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from openvet.lrs.xapi.http import XRequest
from openvet.lrs.xapi.protocol import MAX_BODY, handle, too_large


@csrf_exempt
def xapi_view(request: HttpRequest, path: str = "") -> HttpResponse:
    headers = {name.lower(): value for name, value in request.headers.items()}
    # Read from the stream, not ``request.body``: that applies the forms' upload limit
    # (DATA_UPLOAD_MAX_MEMORY_SIZE), and the ASGI route accepts up to MAX_BODY.
    body = request.read(MAX_BODY + 1)
    xrequest = XRequest.build(
        request.method or "GET",
        "/" + path,
        request.META.get("QUERY_STRING", ""),
        headers,
        b"" if len(body) > MAX_BODY else body,
    )
    answer = too_large(xrequest) if len(body) > MAX_BODY else handle(xrequest)
    response = HttpResponse(answer.body, status=answer.status)
    if "content-type" not in answer.headers:
        del response["Content-Type"]  # as the ASGI route: a 204 has none
    for name, value in answer.headers.items():
        response[name] = value
    return response
