from django.urls import include, path

from openvet.industry import views

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
    # Enterprise-side libraries and cooperation projects (ADR 0610–0613).
    path("", include("openvet.industry.urls_cooperation")),
]
