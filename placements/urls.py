from django.urls import path

from . import views

app_name = "placements"
urlpatterns = [
    path("<int:placement_id>/", views.placement_detail, name="detail"),
    path("<int:placement_id>/publish/", views.publish, name="publish"),
    path("<int:placement_id>/contract/", views.contract_pdf, name="contract"),
    path("<int:placement_id>/homes/<int:home_id>/viewing/", views.record_viewing, name="viewing"),
    path("<int:placement_id>/<slug:step>/", views.step, name="step"),
]
