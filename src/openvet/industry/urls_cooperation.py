from django.urls import path

from openvet.industry import views_cases
from openvet.industry import views_cooperation as views

urlpatterns = [
    path("talent-demand/", views.demand_list, name="demand-list"),
    path("talent-demand/new/", views.demand_new, name="demand-new"),
    path("talent-demand/dashboard/", views.demand_dashboard, name="demand-dashboard"),
    path("talent-demand/export/", views.demand_export, name="demand-export"),
    path("talent-demand/<int:demand_id>/", views.demand_edit, name="demand-edit"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path(
        "partnerships/<int:school_id>/<int:enterprise_id>/",
        views.partnership_detail,
        name="partnership-detail",
    ),
]

urlpatterns += [
    path("cases/", views_cases.case_list, name="case-list"),
    path("cases/new/", views_cases.case_new, name="case-new"),
    path("cases/<int:case_id>/", views_cases.case_detail, name="case-detail"),
]
