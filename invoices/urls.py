from django.urls import path

from . import views

app_name = "invoices"
urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("new/", views.record, name="record"),
    path("<int:invoice_id>/", views.detail, name="detail"),
    path("<int:invoice_id>/<slug:step>/", views.step, name="step"),
]
