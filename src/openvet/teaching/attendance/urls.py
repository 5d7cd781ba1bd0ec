from django.urls import path

from openvet.teaching.attendance import views

urlpatterns = [
    path("", views.attendance_home, name="attendance-home"),
    path("rates/", views.attendance_rates, name="attendance-rates"),
    path("sessions/open/", views.session_open, name="session-open"),
    path("sessions/<int:session_id>/", views.session_detail, name="session-detail"),
    path("sessions/<int:session_id>/live/", views.session_live, name="session-live"),
    path("sessions/<int:session_id>/close/", views.session_close, name="session-close"),
    path("sessions/<int:session_id>/mark/", views.session_mark, name="session-mark"),
    path("sessions/<int:session_id>/sign-in/", views.sign_in, name="sign-in"),
    path("leave/", views.leave_create, name="leave-create"),
]
