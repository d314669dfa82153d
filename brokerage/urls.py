from django.urls import path

from . import views

app_name = "brokerage"
urlpatterns = [
    path("queue/", views.queue_page, name="queue"),
    path("referrals/<int:referral_id>/contacts/", views.contact_create, name="contact_create"),
]
