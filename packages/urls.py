from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("<int:package_id>/", views.package_detail, name="detail"),
    path("agreements/<int:agreement_id>/change/", views.change_terms, name="change_terms"),
]
