from django.urls import path

from openvet.teaching.grades import views

urlpatterns = [
    path("", views.grades_home, name="grades-home"),
    path("transcript/", views.transcript, name="transcript"),
    path("transcript.pdf", views.transcript_download, name="transcript-pdf"),
    path("tasks/<int:task_id>/sheet/", views.sheet_open, name="sheet-open"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet-detail"),
    path("sheets/<int:sheet_id>/weights/", views.sheet_weights, name="sheet-weights"),
    path("sheets/<int:sheet_id>/upload/", views.sheet_upload, name="sheet-upload"),
    path("sheets/<int:sheet_id>/submit/", views.sheet_submit, name="sheet-submit"),
    path("sheets/<int:sheet_id>/attempts/", views.attempt_create, name="attempt-create"),
    path("sheets/<int:sheet_id>/changes/", views.change_create, name="change-create"),
]
