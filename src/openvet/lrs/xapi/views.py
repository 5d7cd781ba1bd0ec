"""The xAPI resources as a plain Django view, for WSGI servers and Django's test client.

The ASGI layer (``xapi.asgi``) answers /xapi/ before Django when the platform runs under
ASGI; both hand the same ``XRequest`` to ``protocol.handle``.
"""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from openvet.lrs.xapi.http import XRequest
from openvet.lrs.xapi.protocol import handle


@csrf_exempt
def xapi_view(request: HttpRequest, path: str = "") -> HttpResponse:
    headers = {name.lower(): value for name, value in request.headers.items()}
    xrequest = XRequest.build(
        request.method or "GET",
        "/" + path,
        request.META.get("QUERY_STRING", ""),
        headers,
        request.body,
    )
    answer = handle(xrequest)
    response = HttpResponse(answer.body, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response
