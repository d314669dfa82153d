from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("new/for/<int:person_id>/", views.referral_create, name="create"),
    path("new/for/<int:person_id>/<slug:kind>/", views.referral_create_for_kind, name="create_for_kind"),
    path("funding/", views.funding_list, name="funding_list"),
    path("how-referrals-work/", views.workflow, name="workflow"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/take/", views.referral_take, name="take"),
    path("<int:referral_id>/allocate/", views.referral_allocate, name="allocate"),
    path("<int:referral_id>/risk-strategies/", views.referral_risk, name="risk"),
    path("<int:referral_id>/options/", views.referral_options, name="options"),
    path("<int:referral_id>/withdraw/", views.referral_withdraw, name="withdraw"),
    path("<int:referral_id>/funding/", views.funding_decision, name="funding"),
]
