from django.urls import path

from openvet.records.bulk import views
from openvet.records.quality import views as quality_views

app_name = "records-bulk"
urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/students/", views.job_students, name="job-students"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job-progress"),
    path("jobs/<int:job_id>/errors.xlsx", views.job_error_file, name="job-error-file"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("export/students/", views.export_students, name="export-students"),
    path("export/staff/", views.export_staff, name="export-staff"),
    path("quality/", quality_views.quality_overview, name="quality"),
    path("quality/<int:school_id>/", quality_views.quality_school, name="quality-school"),
    path(
        "quality/<int:school_id>/<slug:check>/",
        quality_views.quality_records,
        name="quality-records",
    ),
]
