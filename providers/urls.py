from django.urls import path

from . import views

app_name = "providers"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("import/", views.provider_import, name="import"),
    path("<int:provider_id>/", views.provider_detail, name="detail"),
]
