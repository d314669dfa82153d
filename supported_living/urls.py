from django.urls import path

from . import views

app_name = "supported_living"
urlpatterns = [
    path("<int:placement_id>/", views.placement_detail, name="detail"),
    path("<int:placement_id>/publish/", views.publish, name="publish"),
    path("<int:placement_id>/agreement/", views.agreement_pdf, name="agreement"),
    path("<int:placement_id>/proposal/", views.record_proposal, name="proposal"),
    path("<int:placement_id>/review/", views.record_review, name="review"),
    path("<int:placement_id>/<slug:step>/", views.step, name="step"),
]
