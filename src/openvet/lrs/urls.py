from django.urls import path, re_path

from openvet.lrs.xapi.views import xapi_view

app_name = "lrs"

urlpatterns = [
    path("xapi", xapi_view),
    re_path(r"^xapi/(?P<path>.*)$", xapi_view, name="xapi"),
]
