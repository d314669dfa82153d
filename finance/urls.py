from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("planned-visits/", views.planned_visits, name="planned_visits"),
    path("call-monitoring/", views.imports, name="imports"),
    path("call-monitoring/<int:import_id>/", views.import_detail, name="import_detail"),
    path("call-monitoring/<int:import_id>/progress/", views.import_progress, name="import_progress"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("reconciliation/rules/", views.tolerances, name="tolerances"),
    path("exceptions/", views.exception_list, name="exceptions"),
    path("exceptions/<int:line_id>/", views.exception_detail, name="exception"),
    path("exceptions/<int:line_id>/decide/", views.decide, name="decide"),
    path("payable/", views.payable, name="payable"),
    path("payment-runs/<int:run_id>/", views.payment_run, name="payment_run"),
    path("payment-runs/<int:run_id>/export.csv", views.payment_run_csv, name="payment_run_csv"),
    path("statements/<int:statement_id>/pdf/", views.statement_pdf, name="statement_pdf"),
]
