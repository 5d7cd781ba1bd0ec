from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from openvet.config.api import api
from openvet.resources.oai import oai_pmh


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("openvet.identity.urls")),
    path("teaching/", include("openvet.teaching.urls")),
    path("industry/", include("openvet.industry.urls")),
    path("learning/", include("openvet.learning.urls")),
    path("workflow/", include("openvet.workflow.urls")),
    path("resources/", include("openvet.resources.urls")),
    path("oai/", oai_pmh, name="oai-pmh"),
    path("records/bulk/", include("openvet.records.bulk.urls")),
    path("records/", include("openvet.records.urls")),
    path("", include("openvet.lrs.urls")),
    path("", include("openvet.core.urls")),
]
