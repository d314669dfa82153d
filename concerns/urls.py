from django.urls import path

from . import views

app_name = "concerns"
urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("new/about/<int:person_id>/", views.concern_create, name="create"),
    path("<int:concern_id>/", views.concern_detail, name="detail"),
    path("<int:concern_id>/acknowledge/", views.concern_acknowledge, name="acknowledge"),
    path("<int:concern_id>/close/", views.concern_close, name="close"),
]
