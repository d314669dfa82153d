from django.urls import path

from . import views

app_name = "dps"
urlpatterns = [
    path("referrals/<int:referral_id>/publish/", views.publish, name="publish"),
    path("referrals/<int:referral_id>/republish/", views.republish, name="republish"),
    path("referrals/<int:referral_id>/close-bidding/", views.close_bidding, name="close_bidding"),
    path("referrals/<int:referral_id>/spot-contract/", views.spot_contract, name="spot_contract"),
    path("requirements/<int:requirement_id>/", views.requirement_detail, name="requirement"),
    path("requirements/<int:requirement_id>/closing-time/", views.change_closing_time, name="change_closing_time"),
    path("requirements/<int:requirement_id>/scores/", views.score, name="score"),
    path("requirements/<int:requirement_id>/select/", views.select, name="select"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/acknowledge/", views.acknowledge_notice, name="acknowledge_notice"),
]
