from django.urls import path

from openvet.teaching.selection import views

urlpatterns = [
    path("", views.selection_home, name="selection-home"),
    path("terms/<int:term_id>/", views.offering_browse, name="offering-browse"),
    path("terms/<int:term_id>/manage/", views.round_admin, name="round-admin"),
    path("offerings/<int:offering_id>/select/", views.offering_select, name="offering-select"),
    path("selections/<int:selection_id>/drop/", views.selection_drop, name="selection-drop"),
    path("rounds/<int:round_id>/preferences/", views.preference_edit, name="preference-edit"),
    path("rounds/<int:round_id>/lottery/", views.lottery_run, name="lottery-run"),
    path("rounds/<int:round_id>/close/", views.round_close, name="round-close"),
]
