from django.urls import path

from . import views

app_name = "dps"
urlpatterns = [
    path("requirements/<int:requirement_id>/", views.requirement_detail, name="requirement"),
    path("requirements/<int:requirement_id>/closing-time/", views.change_closing_time, name="change_closing_time"),
    path("requirements/<int:requirement_id>/scores/", views.score, name="score"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/acknowledge/", views.acknowledge_notice, name="acknowledge_notice"),
]
