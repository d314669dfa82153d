from django.urls import path

from . import finance_views, supported_living_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("requirements/", views.requirement_list, name="requirements"),
    path("bids/", views.bid_list, name="bids"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("requirements/<int:requirement_id>/", views.requirement_detail, name="requirement"),
    path("requirements/<int:requirement_id>/export.csv", views.requirement_export, name="requirement_export"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement"),
    path("purchase-orders/<int:order_id>/pdf/", views.purchase_order_pdf, name="purchase_order_pdf"),
    path(
        "supported-living/<int:chosen_id>/",
        supported_living_views.assessment,
        name="supported_living_assessment",
    ),
    path(
        "supported-living/<int:chosen_id>/agreement/",
        supported_living_views.agreement,
        name="supported_living_agreement",
    ),
    path("reconciliation/", finance_views.reconciliation, name="reconciliation"),
    path("statements/<int:statement_id>/pdf/", finance_views.statement_pdf, name="statement_pdf"),
    path("invoices/", finance_views.invoices, name="invoices"),
]
