from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("<int:review_id>/", views.review_detail, name="detail"),
    path("<int:review_id>/record/", views.review_record, name="record"),
    path("<int:review_id>/cancel/", views.review_cancel, name="cancel"),
]
