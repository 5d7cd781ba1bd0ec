from django.urls import include, path

from openvet.teaching import views

app_name = "teaching"
urlpatterns = [
    path("", views.term_list, name="term-list"),
    path("mine/", views.my_timetable, name="my-timetable"),
    path("notices/", views.notice_list, name="notice-list"),
    path("feed/reset/", views.feed_reset, name="feed-reset"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("terms/add/", views.term_create, name="term-create"),
    path("terms/<int:term_id>/", views.term_detail, name="term-detail"),
    path(
        "terms/<int:term_id>/calendar/<int:day_id>/delete/",
        views.calendar_day_delete,
        name="calendar-day-delete",
    ),
    path("terms/<int:term_id>/tasks/", views.task_list, name="task-list"),
    path("terms/<int:term_id>/tasks/generate/", views.task_generate, name="task-generate"),
    path("terms/<int:term_id>/timetable/", views.timetable_index, name="timetable-index"),
    path(
        "terms/<int:term_id>/timetable/<str:kind>/<int:target_id>/",
        views.timetable,
        name="timetable",
    ),
    path("terms/<int:term_id>/entries/add/", views.entry_create, name="entry-create"),
    path("terms/<int:term_id>/adjustments/", views.adjustment_list, name="adjustment-list"),
    path("terms/<int:term_id>/solver/", views.solver, name="solver"),
    path("terms/<int:term_id>/export.ctt", views.export_ctt, name="export-ctt"),
    path("terms/<int:term_id>/import-solution/", views.import_solution, name="import-solution"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry-delete"),
    path("tasks/<int:task_id>/", views.task_edit, name="task-edit"),
    path("solver-runs/<int:run_id>/", views.solver_run, name="solver-run"),
    path("solver-runs/<int:run_id>/publish/", views.solver_publish, name="solver-publish"),
    path("schools/<int:school_id>/bells/", views.bell_schedule, name="bell-schedule"),
    path("schools/<int:school_id>/rooms/", views.room_list, name="room-list"),
    path("schools/<int:school_id>/courses/", views.course_list, name="course-list"),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme-detail"),
    path(
        "programmes/<int:programme_id>/new-version/",
        views.programme_new_version,
        name="programme-new-version",
    ),
    path("selection/", include("openvet.teaching.selection.urls")),
    path("attendance/", include("openvet.teaching.attendance.urls")),
    path("grades/", include("openvet.teaching.grades.urls")),
    path("evaluation/", include("openvet.teaching.evaluation.urls")),
]
