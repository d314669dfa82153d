from django.urls import path

from . import views

app_name = "purchase_orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:order_id>/pdf/", views.order_pdf, name="pdf"),
]
