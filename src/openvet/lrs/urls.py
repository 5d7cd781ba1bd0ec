from django.urls import path, re_path

from openvet.lrs.views import (
    client_deactivate,
    client_list,
    learner_statements,
    partitions_make,
    retention_edit,
    retention_list,
    upstream_edit,
    warning_detail,
    warning_list,
    warning_rules,
)
from openvet.lrs.xapi.views import xapi_view

app_name = "lrs"

urlpatterns = [
    path("lrs/clients/", client_list, name="client-list"),
    path("lrs/clients/<int:client_id>/deactivate/", client_deactivate, name="client-deactivate"),
    path("lrs/warnings/", warning_list, name="warning-list"),
    path("lrs/warnings/<int:warning_id>/", warning_detail, name="warning-detail"),
    path("lrs/warning-rules/", warning_rules, name="warning-rules"),
    path("lrs/me/", learner_statements, name="my-statements"),
    path("lrs/learners/<int:user_id>/", learner_statements, name="learner-statements"),
    path("lrs/schools/<int:school_id>/forwarding/", upstream_edit, name="upstream-edit"),
    path("lrs/retention/", retention_list, name="retention-list"),
    path("lrs/retention/partitions/", partitions_make, name="partitions-make"),
    path("lrs/schools/<int:school_id>/retention/", retention_edit, name="retention-edit"),
    path("xapi", xapi_view),
    re_path(r"^xapi/(?P<path>.*)$", xapi_view),  # not a page: no name (ADR 0403)
]
