from django.urls import path

from . import views

app_name = "shared_lives"
urlpatterns = [
    path("scheme/", views.scheme_list, name="scheme_list"),
    path("refer/<int:person_id>/", views.refer, name="refer"),
    path("<int:arrangement_id>/", views.arrangement_detail, name="detail"),
    path("<int:arrangement_id>/<slug:step>/", views.step, name="step"),
]
