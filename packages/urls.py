from django.urls import path

from . import views

app_name = "packages"
urlpatterns = [
    path("<int:package_id>/", views.package_detail, name="detail"),
    path("referrals/<int:referral_id>/purchase-order/", views.commission, name="commission"),
    path("agreements/<int:agreement_id>/change/", views.change_terms, name="change_terms"),
]
