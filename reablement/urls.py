from django.urls import path

from . import views

app_name = "reablement"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("hospital-referral/", views.case_create, name="create"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/<slug:step>/", views.case_step, name="step"),
]
