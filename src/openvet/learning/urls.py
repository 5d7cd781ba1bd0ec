from django.urls import include, path

from openvet.learning import bank_views, library_views, package_views, plan_views, pwa_views, views

app_name = "learning"

urlpatterns = [
    path("", views.space, name="space"),
    path("courses/", views.course_list, name="course-list"),
    path("app.webmanifest", pwa_views.manifest, name="pwa-manifest"),
    path("sw.js", pwa_views.service_worker, name="pwa-worker"),
    path("offline/", pwa_views.offline, name="offline"),
    path("tasks/<int:task_id>/course/new/", views.course_create, name="course-create"),
    path("courses/<int:course_id>/", views.course_detail, name="course-detail"),
    path("courses/<int:course_id>/chapters/new/", views.chapter_create, name="chapter-create"),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/units/new/",
        views.unit_create,
        name="unit-create",
    ),
    path(
        "courses/<int:course_id>/chapters/<int:chapter_id>/units/library/",
        library_views.unit_from_library,
        name="unit-from-library",
    ),
    path("courses/<int:course_id>/questions/", views.question_list, name="question-list"),
    path(
        "courses/<int:course_id>/questions/statistics/",
        bank_views.question_statistics,
        name="question-statistics",
    ),
    path(
        "courses/<int:course_id>/questions/import/",
        bank_views.question_import,
        name="question-import",
    ),
    path("questions/<int:question_id>/image/", bank_views.question_image, name="question-image"),
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

# Learning space: notes, favourites, certificates, portfolio (learning.space) ----------------
from openvet.learning.space import views as space_views  # noqa: E402

urlpatterns += [
    path("me/", space_views.my_space, name="my-space"),
    path("units/<int:unit_id>/note/", space_views.note_save, name="note-save"),
    path("units/<int:unit_id>/favourite/", space_views.favourite_set, name="favourite-set"),
    path(
        "courses/<int:course_id>/certificate/",
        space_views.certificate_claim,
        name="certificate-claim",
    ),
    path("certificates/<str:code>/", space_views.certificate, name="certificate"),
    path(
        "me/portfolio/<int:link_id>/revoke/",
        space_views.portfolio_revoke,
        name="portfolio-revoke",
    ),
    path("portfolio/<str:token>/", space_views.portfolio, name="portfolio"),
]

# Live in-class mode (learning.live) -----------------------------------------------------------
from openvet.learning.live import views as live_views  # noqa: E402

urlpatterns += [
    path("courses/<int:course_id>/live/", live_views.live_start, name="live-start"),
    path("live/join/", live_views.live_join, name="live-join"),
    path("live/<int:live_id>/", live_views.live_phone, name="live-phone"),
    path("live/<int:live_id>/follow/", live_views.live_follow, name="live-follow"),
    path("live/<int:live_id>/screen/", live_views.live_screen, name="live-screen"),
    path("live/<int:live_id>/record/", live_views.live_record, name="live-record"),
    path("live/<int:live_id>/slides/", live_views.live_slides_upload, name="live-slides"),
    path("live/<int:live_id>/slides/<int:number>/", live_views.live_slide, name="live-slide"),
]

# Assignments (ADR 0720) and discussions (ADR 0724) -------------------------------------------
from openvet.learning.assignments import views as assignment_views  # noqa: E402
from openvet.learning.discussions import views as discussion_views  # noqa: E402

urlpatterns += [
    path("units/<int:unit_id>/rubric/", assignment_views.rubric, name="assignment-rubric"),
    path(
        "units/<int:unit_id>/submissions/",
        assignment_views.submissions,
        name="assignment-submissions",
    ),
    path(
        "submissions/<int:submission_id>/",
        assignment_views.submission_detail,
        name="submission-detail",
    ),
    path(
        "submissions/<int:submission_id>/file/",
        assignment_views.submission_file,
        name="submission-file",
    ),
    path("reviews/<int:review_id>/", assignment_views.review_detail, name="review-detail"),
    path("courses/<int:course_id>/discussions/", discussion_views.topic_list, name="topic-list"),
    path("topics/<int:topic_id>/", discussion_views.topic_detail, name="topic-detail"),
    path("posts/<int:post_id>/edit/", discussion_views.post_edit, name="post-edit"),
]

# Points, checkpoints in videos, integrity report (ADR 0730-0733) ------------------------------
from openvet.learning import evidence_views  # noqa: E402

urlpatterns += [
    path("courses/<int:course_id>/points/", evidence_views.points_page, name="points"),
    path(
        "courses/<int:course_id>/points/weights/",
        evidence_views.points_weights,
        name="points-weights",
    ),
    path("courses/<int:course_id>/points/apply/", evidence_views.points_apply, name="points-apply"),
    path(
        "units/<int:unit_id>/checkpoints/",
        evidence_views.checkpoint_list,
        name="checkpoint-list",
    ),
    path(
        "checkpoints/<int:checkpoint_id>/delete/",
        evidence_views.checkpoint_delete,
        name="checkpoint-delete",
    ),
    path(
        "checkpoints/<int:checkpoint_id>/answer/",
        evidence_views.checkpoint_answer,
        name="checkpoint-answer",
    ),
    path("courses/<int:course_id>/integrity/", evidence_views.integrity_page, name="integrity"),
]

# Course groups and group documents (ADR 0756-0757) --------------------------------------------
from openvet.learning.collab import views as collab_views  # noqa: E402

urlpatterns += [
    path("courses/<int:course_id>/groups/", collab_views.group_list, name="group-list"),
    path("groups/<int:group_id>/", collab_views.group_detail, name="group-detail"),
    path("documents/<int:document_id>/", collab_views.document_detail, name="document-detail"),
    path(
        "documents/<int:document_id>/history/",
        collab_views.document_history,
        name="document-history",
    ),
    path(
        "documents/<int:document_id>/versions/<int:number>/",
        collab_views.version_detail,
        name="document-version",
    ),
]

# A teacher's learning space and public page (ADR 0758) ----------------------------------------
from openvet.learning.space import teacher_views  # noqa: E402

urlpatterns += [
    path("teaching/", teacher_views.teacher_space, name="teacher-space"),
    path("teachers/<str:token>/", teacher_views.teacher_profile, name="teacher-profile"),
]

# Self-enrolment and the course catalogue (ADR 0759-0760) --------------------------------------
from openvet.learning.catalogue import views as catalogue_views  # noqa: E402

urlpatterns += [
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("catalogue/<int:course_id>/", catalogue_views.course_public, name="course-public"),
    path("courses/<int:course_id>/unenrol/", catalogue_views.unenrol, name="course-unenrol"),
    path(
        "courses/<int:course_id>/enrolment/",
        catalogue_views.enrolment_settings,
        name="enrolment-settings",
    ),
    path(
        "enrolments/<int:enrolment_id>/remove/",
        catalogue_views.enrolment_remove,
        name="enrolment-remove",
    ),
]
