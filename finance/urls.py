from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("planned-visits/", views.planned_visits, name="planned_visits"),
    path("call-monitoring/", views.imports, name="imports"),
    path("call-monitoring/<int:import_id>/", views.import_detail, name="import_detail"),
    path("call-monitoring/<int:import_id>/progress/", views.import_progress, name="import_progress"),
]
