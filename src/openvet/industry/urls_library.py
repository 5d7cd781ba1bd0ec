"""Routes of the enterprise library's completion, archiving and surveys (ADR 0620–0623)."""

from django.urls import path

from openvet.industry import views_library as views

urlpatterns = [
    path("enterprises/<int:enterprise_id>/contacts/new/", views.contact_new, name="contact-new"),
    path(
        "enterprise-contacts/<int:contact_id>/reveal/",
        views.contact_reveal,
        name="contact-reveal",
    ),
    path(
        "enterprise-contacts/<int:contact_id>/delete/",
        views.contact_delete,
        name="contact-delete",
    ),
    path(
        "enterprise-documents/<int:document_id>/delete/",
        views.document_delete,
        name="document-delete",
    ),
    path("enterprises/<int:enterprise_id>/documents/new/", views.document_new, name="document-new"),
    path("enterprise-documents/<int:document_id>/", views.document_file, name="document-file"),
    path("enterprises/<int:enterprise_id>/rate/", views.rating_new, name="rating-new"),
    path(
        "enterprises/<int:enterprise_id>/assessment/",
        views.assessment_new,
        name="assessment-new",
    ),
    path(
        "internships/placements/<int:placement_id>/archive/",
        views.placement_archive,
        name="placement-archive",
    ),
    path(
        "internships/placements/<int:placement_id>/archive.zip",
        views.placement_archive_download,
        name="placement-archive-zip",
    ),
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_new, name="survey-new"),
    path("surveys/<int:round_id>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:round_id>/export/", views.survey_export, name="survey-export"),
    path("surveys/<int:round_id>/answer/", views.survey_answer, name="survey-answer"),
    path(
        "surveys/<int:round_id>/graduates/<int:student_id>/",
        views.survey_employer,
        name="survey-employer",
    ),
]
