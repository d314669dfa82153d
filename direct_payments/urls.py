from django.urls import path

from . import views

app_name = "direct_payments"
urlpatterns = [
    path("<int:direct_payment_id>/", views.direct_payment_detail, name="detail"),
    path("<int:direct_payment_id>/<slug:step>/", views.step, name="step"),
]
