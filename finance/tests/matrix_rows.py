"""The permission matrix's rows for finance's pages (core.tests.test_permission_matrix finds them): finance officers
only, every other role refused before the view looks for anything."""

from core.tests.matrix import expect, gate

FINANCE = {"finance"}


def _import(world):
    if "finance_import" not in world:
        from finance.models import CallMonitoringImport

        world["finance_import"] = CallMonitoringImport.objects.create(
            file_name="week.csv", sha256="a" * 64, size=10, uploaded_by=world["users"]["finance"]
        )
    return world["finance_import"]


GET_ROWS = {
    "finance:planned_visits": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:imports": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:import_detail": (lambda w: [_import(w).pk], gate(FINANCE, expect(FINANCE))),
    "finance:import_progress": (lambda w: [_import(w).pk], gate(FINANCE, expect(FINANCE))),
}
