"""Commissioning's rows of the permission matrix added since the rows moved to each app (core.tests.matrix): the
rest are still in core.tests.test_permission_matrix.GET_MATRIX."""

from core.tests.matrix import BROKERAGE, SEES_A, TEAM_EAST_302, expect, gate

GET_ROWS = {
    # A's first referral is queued, not allocated: the form turns everyone back, as the spot contract's does.
    "commissioning:in_house": (
        lambda w: [w["ra"].pk],
        gate(BROKERAGE, expect(set(), seen=SEES_A, seen_code=403) | TEAM_EAST_302),
    ),
}
