from django.urls import include, path

from openvet.learning import package_views, plan_views, views

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
    path("courses/<int:course_id>/plans/new/", plan_views.plan_create, name="plan-create"),
    path("plans/<int:lesson_plan_id>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:lesson_plan_id>/copy/", plan_views.plan_copy, name="plan-copy"),
    # Content packages, addressed by a signed token instead of the session (ADR 0705).
    path("packages/<str:token>/", package_views.package_launch, name="package-launch"),
    path("packages/<str:token>/<path:path>", package_views.package_file, name="package-file"),
    path("package-data/<str:token>/", package_views.package_commit, name="package-commit"),
    path("analytics/", include("openvet.learning.analytics.urls")),
]

# Live in-class mode (learning.live) -----------------------------------------------------------
from openvet.learning.live import views as live_views  # noqa: E402

urlpatterns += [
    path("courses/<int:course_id>/live/", live_views.live_start, name="live-start"),
    path("live/join/", live_views.live_join, name="live-join"),
    path("live/<int:live_id>/", live_views.live_phone, name="live-phone"),
    path("live/<int:live_id>/screen/", live_views.live_screen, name="live-screen"),
    path("live/<int:live_id>/record/", live_views.live_record, name="live-record"),
]
