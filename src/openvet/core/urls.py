from django.urls import path

from openvet.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("schools/<int:school_id>/", views.school_overview, name="school-overview"),
    path("orgs/", views.org_list, name="org-list"),
    path("orgs/<int:org_id>/", views.org_detail, name="org-detail"),
    path("orgs/<int:org_id>/children/", views.org_children, name="org-children"),
    path("orgs/<int:org_id>/add/<slug:kind>/", views.org_create, name="org-create"),
    path("orgs/<int:org_id>/edit/", views.org_edit, name="org-edit"),
    path("audit/", views.audit_list, name="audit-list"),
]
