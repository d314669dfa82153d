"""The respite booking's machine (respite.workflows): its one step, cancel, taken and refused. The tests live with
the allowance's (test_allowance.py), which the bookings draw on."""

from respite.models import BOOKING_MACHINE

A = "respite/tests/test_allowance.py::"

MACHINE = BOOKING_MACHINE
STEP_TESTS = {
    "cancel": (
        [A + "test_cancelling_gives_the_amount_back_and_closes_the_order"],
        [
            A + "test_cancel_needs_a_reason_and_the_officer",
            A + "test_a_stay_that_has_begun_is_not_cancelled_and_a_cancelled_one_not_twice",
        ],
    ),
}
