from django.urls import path, re_path

from openvet.lrs.views import client_list
from openvet.lrs.xapi.views import xapi_view

app_name = "lrs"

urlpatterns = [
    path("lrs/clients/", client_list, name="client-list"),
    path("xapi", xapi_view),
    re_path(r"^xapi/(?P<path>.*)$", xapi_view),  # not a page: no name (ADR 0403)
]
