from django.urls import path

from . import views

app_name = "shortlist"
urlpatterns = [
    path("<int:referral_id>/", views.shortlist, name="for_referral"),
]
