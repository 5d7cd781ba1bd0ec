from django.urls import path

from openvet.learning.analytics import views

# Included by ``learning.urls`` without a namespace of its own: names are ``learning:...``.
urlpatterns = [
    path("", views.home, name="analytics-home"),
    path("tasks/<int:task_id>/", views.course_page, name="analytics-course"),
    path(
        "tasks/<int:task_id>/export/<slug:table>.xlsx",
        views.course_export,
        name="analytics-course-export",
    ),
    path(
        "tasks/<int:task_id>/statements.jsonl",
        views.course_statements,
        name="analytics-course-statements",
    ),
    path("orgs/<int:org_id>/", views.org_page, name="analytics-org"),
    path(
        "orgs/<int:org_id>/export/<slug:table>.xlsx",
        views.org_export,
        name="analytics-org-export",
    ),
    path(
        "orgs/<int:org_id>/statements.jsonl",
        views.org_statements,
        name="analytics-org-statements",
    ),
]
