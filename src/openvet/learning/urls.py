from django.urls import include, path

from openvet.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.space, name="space"),
    path("courses/", views.course_list, name="course-list"),
    path("tasks/<int:task_id>/course/new/", views.course_create, name="course-create"),
    path("courses/<int:course_id>/", views.course_detail, name="course-detail"),
    path("courses/<int:course_id>/chapters/new/", views.chapter_create, name="chapter-create"),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/units/new/",
        views.unit_create,
        name="unit-create",
    ),
    path("courses/<int:course_id>/questions/", views.question_list, name="question-list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("units/<int:unit_id>/file/", views.unit_file, name="unit-file"),
    path("units/<int:unit_id>/play/", views.video_play, name="video-play"),
    path("units/<int:unit_id>/heartbeat/", views.video_heartbeat, name="video-heartbeat"),
    path("units/<int:unit_id>/attempts/", views.attempt_start, name="attempt-start"),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt-detail"),
    path("analytics/", include("openvet.learning.analytics.urls")),
]
