from django.urls import path

from openvet.workflow import views

app_name = "workflow"
urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/<int:task_id>/decide/", views.task_decide, name="task-decide"),
    path("requests/", views.request_list, name="request-list"),
    path("instances/<int:instance_id>/", views.instance_detail, name="instance-detail"),
    path("monitor/", views.monitor, name="monitor"),
    path("notifications/", views.notification_list, name="notification-list"),
    path("delegations/", views.delegation_list, name="delegation-list"),
    path(
        "delegations/<int:delegation_id>/revoke/", views.delegation_revoke, name="delegation-revoke"
    ),
    path("definitions/", views.definition_list, name="definition-list"),
    path(
        "definitions/<int:school_id>/<str:code>/",
        views.definition_detail,
        name="definition-detail",
    ),
    path(
        "definitions/<int:school_id>/<str:code>/new/",
        views.definition_create,
        name="definition-create",
    ),
]
