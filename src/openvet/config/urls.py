from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from openvet.config.api import api


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("openvet.identity.urls")),
    path("", include("openvet.core.urls")),
]
