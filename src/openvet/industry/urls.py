from django.urls import include, path

from openvet.industry import views, views_daily, views_destinations

app_name = "industry"

urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:enterprise_id>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:enterprise_id>/profile/", views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:enterprise_id>/posts/new/", views.post_new, name="post-new"),
    path("posts/<int:post_id>/", views.post_detail, name="post-detail"),
    path("job-standards/", views.standard_list, name="standard-list"),
    path("job-standards/new/", views.standard_new, name="standard-new"),
    path("job-standards/coverage/", views.standard_coverage, name="standard-coverage"),
    path("job-standards/<int:standard_id>/", views.standard_detail, name="standard-detail"),
    path("internships/", views.placement_list, name="placement-list"),
    path("internships/plans/new/", views.plan_new, name="plan-new"),
    path("internships/plans/<int:plan_id>/", views.plan_detail, name="plan-detail"),
    path(
        "internships/placements/<int:placement_id>/",
        views.placement_detail,
        name="placement-detail",
    ),
    path(
        "internships/journals/<int:journal_id>/cosign/", views.journal_cosign, name="journal-cosign"
    ),
    path("internships/export/", views.placement_export, name="placement-export"),
    path("employment/export/", views.employment_export, name="employment-export"),
    path("my-internship/", views.my_internship, name="my-internship"),
    path("employment/", views.employment, name="employment"),
    # Graduate destinations recorded by class (ADR 0627, 0628).
    path(
        "employment/destinations/",
        views_destinations.destination_list,
        name="destination-list",
    ),
    path(
        "employment/destinations/import/",
        views_destinations.destination_import,
        name="destination-import",
    ),
    path(
        "employment/destinations/sheet.xlsx",
        views_destinations.destination_template,
        name="destination-template",
    ),
    path(
        "employment/destinations/<int:student_id>/",
        views_destinations.destination_edit,
        name="destination-edit",
    ),
    # Enterprise-side libraries and cooperation projects (ADR 0610–0613).
    path("", include("openvet.industry.urls_cooperation")),
    # Enterprise library completion, archiving and surveys (ADR 0620–0623).
    path("", include("openvet.industry.urls_library")),
    path("my-internship/daily/", views_daily.my_internship_daily, name="my-internship-daily"),
    path(
        "internships/placements/<int:placement_id>/daily/",
        views_daily.placement_daily,
        name="placement-daily",
    ),
    path("internships/alerts/", views_daily.alert_list, name="alert-list"),
    path("internships/leave/<int:leave_id>/decide/", views_daily.leave_decide, name="leave-decide"),
    path(
        "internships/leave/<int:leave_id>/withdraw/",
        views_daily.leave_withdraw,
        name="leave-withdraw",
    ),
    path(
        "internships/incidents/<int:incident_id>/escalate/",
        views_daily.incident_escalate,
        name="incident-escalate",
    ),
    path(
        "internships/incidents/<int:incident_id>/close/",
        views_daily.incident_close,
        name="incident-close",
    ),
    path(
        "internships/monthly-journals/<int:journal_id>/cosign/",
        views_daily.monthly_cosign,
        name="monthly-cosign",
    ),
    path(
        "internships/evidence/<int:evidence_id>/", views_daily.evidence_file, name="evidence-file"
    ),
]
