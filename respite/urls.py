from django.urls import path

from . import views

app_name = "respite"
urlpatterns = [
    path("<int:allowance_id>/", views.allowance_detail, name="detail"),
    path("<int:allowance_id>/letter/", views.letter_pdf, name="letter"),
    path("<int:allowance_id>/book/", views.book, name="book"),
    path("<int:allowance_id>/bookings/<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:allowance_id>/<slug:step>/", views.step, name="step"),
]
