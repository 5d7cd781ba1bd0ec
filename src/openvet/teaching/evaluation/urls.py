from django.urls import path

from openvet.teaching.evaluation import views

urlpatterns = [
    path("", views.evaluation_home, name="evaluation-home"),
    path("windows/<int:window_id>/tasks/<int:task_id>/", views.evaluate, name="evaluate"),
    path("windows/<int:window_id>/results/", views.results, name="evaluation-results"),
]
