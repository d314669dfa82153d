from django.urls import path

from . import views

app_name = "commissioning"
urlpatterns = [
    path("referrals/<int:referral_id>/publish/", views.publish, name="publish"),
    path("referrals/<int:referral_id>/republish/", views.republish, name="republish"),
    path("referrals/<int:referral_id>/close-bidding/", views.close_bidding, name="close_bidding"),
    path("referrals/<int:referral_id>/spot-contract/", views.spot_contract, name="spot_contract"),
    path("referrals/<int:referral_id>/in-house/", views.in_house, name="in_house"),
    path("referrals/<int:referral_id>/agreement/", views.award, name="award"),
    path("referrals/<int:referral_id>/purchase-order/", views.issue_purchase_order, name="issue_purchase_order"),
    path("requirements/<int:requirement_id>/select/", views.select, name="select"),
    # A change of provider's challenge.
    path("referrals/<int:referral_id>/challenge/", views.challenge, name="challenge"),
    path("referrals/<int:referral_id>/explanations/", views.request_explanation, name="request_explanation"),
    path("explanations/<int:explanation_id>/attach/", views.attach_explanation, name="attach_explanation"),
    path("explanations/<int:explanation_id>/document/", views.explanation_document, name="explanation_document"),
    path("referrals/<int:referral_id>/quality-alert/", views.quality_alert, name="quality_alert"),
    path("referrals/<int:referral_id>/confirm-change/", views.confirm_change, name="confirm_change"),
]
