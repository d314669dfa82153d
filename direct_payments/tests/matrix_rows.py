"""The direct payments rows of the permission matrix (core.tests.test_permission_matrix): person D (East, held by sw)
has a direct payment being arranged by officer_east, so sw and the East team see it."""

from core.tests.matrix import BROKERAGE, LOGGED_IN, SEES_A, STAFF, expect, gate


def direct_payment(world):
    """Person D's direct payment, its agreement to draft. Made only for the rows that need it."""
    if "direct_payment" not in world:
        from direct_payments.tests.factories import to_draft
        from people.tests.factories import make_person

        users = world["users"]
        d = make_person(users["sw"], world["east"], last_name="Dunn")
        world["direct_payment"] = to_draft(d, users["cap"], users["officer_east"])
    return world["direct_payment"]


GET_ROWS = {
    # The panel decided D's plan, so no longer sees D; the West team never had D's work.
    "direct_payments:detail": (lambda w: [direct_payment(w).pk], gate(STAFF, expect(SEES_A))),
    "direct_payments:step": (
        lambda w: [direct_payment(w).pk, "send-agreement"],
        gate(BROKERAGE, expect(LOGGED_IN, ok_code=405)),
    ),
}
