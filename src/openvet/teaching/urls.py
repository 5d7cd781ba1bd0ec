from django.urls import include, path

from openvet.teaching.views import (
    adjustments,
    feeds,
    programmes,
    solver,
    tasks,
    terms,
    timetables,
)

app_name = "teaching"
urlpatterns = [
    path("", terms.term_list, name="term-list"),
    path("mine/", timetables.my_timetable, name="my-timetable"),
    path("notices/", adjustments.notice_list, name="notice-list"),
    path("feed/reset/", feeds.feed_reset, name="feed-reset"),
    path("feed/<str:token>.ics", feeds.feed, name="feed"),
    path("terms/add/", terms.term_create, name="term-create"),
    path("terms/<int:term_id>/", terms.term_detail, name="term-detail"),
    path(
        "terms/<int:term_id>/calendar/<int:day_id>/delete/",
        terms.calendar_day_delete,
        name="calendar-day-delete",
    ),
    path("terms/<int:term_id>/tasks/", tasks.task_list, name="task-list"),
    path("terms/<int:term_id>/tasks/generate/", tasks.task_generate, name="task-generate"),
    path("terms/<int:term_id>/timetable/", timetables.timetable_index, name="timetable-index"),
    path(
        "terms/<int:term_id>/timetable/<str:kind>/<int:target_id>/",
        timetables.timetable,
        name="timetable",
    ),
    path("terms/<int:term_id>/entries/add/", timetables.entry_create, name="entry-create"),
    path("terms/<int:term_id>/adjustments/", adjustments.adjustment_list, name="adjustment-list"),
    path("terms/<int:term_id>/solver/", solver.solver, name="solver"),
    path("terms/<int:term_id>/export.ctt", solver.export_ctt, name="export-ctt"),
    path("terms/<int:term_id>/import-solution/", solver.import_solution, name="import-solution"),
    path("entries/<int:entry_id>/delete/", timetables.entry_delete, name="entry-delete"),
    path("tasks/<int:task_id>/", tasks.task_edit, name="task-edit"),
    path("solver-runs/<int:run_id>/", solver.solver_run, name="solver-run"),
    path("solver-runs/<int:run_id>/publish/", solver.solver_publish, name="solver-publish"),
    path("schools/<int:school_id>/bells/", terms.bell_schedule, name="bell-schedule"),
    path("schools/<int:school_id>/rooms/", terms.room_list, name="room-list"),
    path("schools/<int:school_id>/courses/", terms.course_list, name="course-list"),
    path("programmes/", programmes.programme_list, name="programme-list"),
    path("programmes/<int:programme_id>/", programmes.programme_detail, name="programme-detail"),
    path(
        "programmes/<int:programme_id>/new-version/",
        programmes.programme_new_version,
        name="programme-new-version",
    ),
    path("selection/", include("openvet.teaching.selection.urls")),
    path("attendance/", include("openvet.teaching.attendance.urls")),
    path("grades/", include("openvet.teaching.grades.urls")),
    path("evaluation/", include("openvet.teaching.evaluation.urls")),
]
