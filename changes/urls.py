from django.urls import path

from . import views

app_name = "changes"
urlpatterns = [
    path("referrals/<int:referral_id>/arrange/", views.arrange, name="arrange"),
    path("referrals/<int:referral_id>/recommence/", views.recommence, name="recommence"),
    path("referrals/<int:referral_id>/person-told/", views.person_told, name="person_told"),
]
