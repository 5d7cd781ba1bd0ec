from django.urls import path

from openvet.records import views

app_name = "records"
urlpatterns = [
    path("students/", views.student_list, name="student-list"),
    path("students/new/", views.student_create, name="student-create"),
    path("students/<int:student_id>/", views.student_detail, name="student-detail"),
    path("students/<int:student_id>/edit/", views.student_edit, name="student-edit"),
    path("students/<int:student_id>/photo/", views.student_photo, name="student-photo"),
    path("students/<int:student_id>/changes/new/", views.change_apply, name="change-apply"),
    path("me/", views.my_record, name="my-record"),
    path("changes/<int:change_id>/", views.change_detail, name="change-detail"),
    path("changes/<int:change_id>/withdraw/", views.change_withdraw, name="change-withdraw"),
    path("changes/<int:change_id>/resubmit/", views.change_resubmit, name="change-resubmit"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/<int:staff_id>/", views.staff_detail, name="staff-detail"),
]
