"""The permission matrix's rows for the invoice pages (core.tests.test_permission_matrix finds them): finance officers
only, every other role refused before the view looks for anything."""

from core.tests.matrix import expect, gate

FINANCE = {"finance"}


def _invoice(world):
    if "invoice" not in world:
        from invoices.tests.factories import order_for, record

        users = world["users"]
        world["invoice"] = record(order_for(world["a"]), users["finance"], number="MATRIX-1")
    return world["invoice"]


GET_ROWS = {
    "invoices:waiting": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "invoices:record": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "invoices:detail": (lambda w: [_invoice(w).pk], gate(FINANCE, expect(FINANCE))),
    "invoices:step": (lambda w: [_invoice(w).pk, "approve"], gate(FINANCE, expect(FINANCE, ok_code=405))),
}
