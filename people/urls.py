from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/history/", views.person_history, name="history"),
    path("<int:person_id>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("<int:person_id>/plans/new/", views.plan_create, name="plan_create"),
    path("<int:person_id>/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:person_id>/plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:person_id>/plans/<int:plan_id>/budget/", views.plan_budget, name="plan_budget"),
]
