"""The permission matrix's rows for respite's pages (core.tests.test_permission_matrix finds them): person D (East,
held by sw) has an allowance in use with one booking. The social worker and the East team see it; the panel no longer
does after its decision; only the allocated officer books."""

from core.tests.matrix import BROKERAGE, LOGGED_IN, SEES_A, STAFF, expect, gate


def _respite(world):
    if "respite" not in world:
        from people.tests.factories import make_person

        from .factories import booking, letter_sent

        users = world["users"]
        d = make_person(users["sw"], world["east"], last_name="Davies")
        allowance = letter_sent(d, users["cap"], users["officer_east"])
        world["respite"] = (allowance, booking(allowance, users["officer_east"]))
    return world["respite"]


def _allowance(world):
    return _respite(world)[0]


GET_ROWS = {
    "respite:detail": (lambda w: [_allowance(w).pk], gate(STAFF, expect(SEES_A))),
    "respite:letter": (lambda w: [_allowance(w).pk], gate(STAFF, expect(SEES_A))),
    # The team lead sees the person but is not the allocated officer: turned back to the allowance with the reason.
    "respite:book": (
        lambda w: [_allowance(w).pk],
        gate(BROKERAGE, expect({"officer_east"}, seen={"lead_east"}, seen_code=302)),
    ),
    "respite:cancel": (
        lambda w: [_allowance(w).pk, _respite(w)[1].pk],
        gate(BROKERAGE, expect(LOGGED_IN, ok_code=405)),
    ),
    "respite:step": (lambda w: [_allowance(w).pk, "load"], gate(STAFF, expect(LOGGED_IN, ok_code=405))),
}
