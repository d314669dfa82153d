from django.urls import path

from . import arrangement_views as views

app_name = "arrangements"

urlpatterns = [
    path("", views.arrangement_list, name="list"),
    path("new/", views.arrangement_form, name="create"),
    path("<int:arrangement_id>/", views.arrangement_detail, name="detail"),
    path("<int:arrangement_id>/change/", views.arrangement_form, name="change"),
    path("<int:arrangement_id>/members/", views.admit, name="admit"),
    path("<int:arrangement_id>/members/<int:provider_service_id>/remove/", views.remove, name="remove"),
]
