"""The respite allowance's machine (respite.workflows): each step taken by its role from its state, and refused, with
its reason and nothing changed, by anyone else, from another state, or with what it needs missing. Then the bookings
that draw on it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction

from approvals.models import Approval
from audit.models import AuditEvent
from core.exceptions import ActionRefused
from dps.models import SpotContractNotice
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.services import withdraw_referral
from referrals.workflows import State as ReferralState
from respite import services
from respite.models import ALLOWANCE_MACHINE, AllowanceTransition, RespiteAllowance, RespiteBooking
from respite.workflows import State

from .factories import (
    ALLOWANCE,
    STAY,
    approved,
    awaiting_panel,
    booking,
    letter_sent,
    loaded,
    respite_provider,
    started,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def fresh(allowance) -> RespiteAllowance:
    return RespiteAllowance.objects.get(pk=allowance.pk)


def assert_refused(action, message: str) -> None:
    """`action()` is refused with `message` and nothing at all has changed."""

    def world():
        return (
            list(RespiteAllowance.objects.values()),
            list(RespiteBooking.objects.values()),
            AllowanceTransition.objects.count(),
            PurchaseOrder.objects.count(),
            list(Referral.objects.values("pk", "state")),
        )

    before = world()
    with pytest.raises(ActionRefused, match=re.escape(message)):
        action()
    assert world() == before


# The panel --------------------------------------------------------------------------------------------------------
def test_the_panel_approves_an_annual_allowance_for_respite(social_worker, person, cap_member):
    referral = approved(social_worker, person, cap_member)
    approval = Approval.objects.get(plan=referral.plan)
    assert (approval.kind, approval.state) == (Approval.Kind.RESPITE_ALLOWANCE, Approval.State.APPROVED)
    assert (approval.approved_annual_amount, approval.approved_weekly_amount) == (ALLOWANCE, None)
    assert referral.state == ReferralState.QUEUED


def test_the_database_keeps_an_allowance_to_a_sum_for_the_year(social_worker, person, cap_member):
    approval = Approval.objects.get(plan=approved(social_worker, person, cap_member).plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.filter(pk=approval.pk).update(approved_weekly_amount=Decimal("10"))


# Taking the referral starts the allowance ---------------------------------------------------------------------------
def test_taking_the_referral_starts_an_allowance_with_the_panels_approval(person, cap_member, officer_east):
    allowance = started(person, cap_member, officer_east)
    assert allowance.state == State.TO_LOAD
    assert allowance.approval.approved_annual_amount == ALLOWANCE
    assert allowance.referral.own_work == allowance


# load ---------------------------------------------------------------------------------------------------------------
def test_the_officer_loads_the_allowance_and_the_referral_is_active(person, cap_member, officer_east):
    allowance = loaded(person, cap_member, officer_east)
    assert allowance.state == State.LOADED
    assert (allowance.amount, allowance.booked, allowance.balance) == (ALLOWANCE, 0, ALLOWANCE)
    assert allowance.year_start == today()
    assert allowance.year_end == today().replace(year=today().year + 1) - timedelta(days=1)
    assert allowance.letter_pdf
    assert Referral.objects.get(pk=allowance.referral_id).state == ReferralState.ACTIVE
    step = allowance.transitions.get()
    assert (step.name, step.by) == ("load", officer_east)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITIONED, object_id=str(allowance.pk)).exists()


def test_only_the_allocated_officer_loads(person, cap_member, officer_east, other_officer_east, social_worker):
    allowance = started(person, cap_member, officer_east)
    for user in (other_officer_east, social_worker):
        assert_refused(
            lambda user=user: services.load_allowance(allowance, acting_user=user, year_start=today()),
            "You do not have permission to do this to this respite allowance.",
        )


def test_loading_needs_the_year_start(person, cap_member, officer_east):
    allowance = started(person, cap_member, officer_east)
    assert_refused(
        lambda: services.load_allowance(allowance, acting_user=officer_east, year_start=None),
        "Enter the day the allowance year starts.",
    )
    assert_refused(
        lambda: services.load_allowance(allowance, acting_user=officer_east, year_start=today() - timedelta(days=60)),
        "The allowance year cannot start more than a month ago.",
    )


def test_an_allowance_is_loaded_once(person, cap_member, officer_east):
    allowance = loaded(person, cap_member, officer_east)
    assert_refused(
        lambda: services.load_allowance(allowance, acting_user=officer_east, year_start=today()),
        "A respite allowance that is “loaded: letter to send” cannot do this.",
    )


def test_loading_refused_without_the_panels_allowance(person, cap_member, officer_east):
    allowance = started(person, cap_member, officer_east)
    RespiteAllowance.objects.filter(pk=allowance.pk).update(approval=None)
    Approval.objects.all().update(kind=Approval.Kind.PANEL, approved_annual_amount=None, approved_weekly_amount=1)
    assert_refused(
        lambda: services.load_allowance(allowance, acting_user=officer_east, year_start=today()),
        "The Care Authorisation Panel has not approved an annual respite allowance on this plan.",
    )


# send_letter --------------------------------------------------------------------------------------------------------
def test_the_social_worker_sends_the_letter_and_respite_can_be_booked(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    assert allowance.state == State.LETTER_SENT
    assert allowance.letter_sent_to == "The person, by post" and allowance.letter_sent_at
    assert allowance.transitions.last().by == person.allocated_worker


def test_only_the_persons_social_worker_sends_the_letter(person, cap_member, officer_east, other_social_worker):
    allowance = loaded(person, cap_member, officer_east)
    for user in (officer_east, other_social_worker):
        assert_refused(
            lambda user=user: services.send_letter(allowance, acting_user=user, sent_to="The person"),
            "You do not have permission to do this to this respite allowance.",
        )


def test_the_letter_needs_who_it_went_to_and_the_letter_made(person, cap_member, officer_east, social_worker):
    allowance = loaded(person, cap_member, officer_east)
    assert_refused(
        lambda: services.send_letter(allowance, acting_user=social_worker, sent_to="  "),
        "Say who the letter was sent to: the person or their representative.",
    )
    RespiteAllowance.objects.filter(pk=allowance.pk).update(letter_pdf="")
    assert_refused(
        lambda: services.send_letter(allowance, acting_user=social_worker, sent_to="The person"),
        "The letter is still being made: reload the page in a moment.",
    )


def test_the_letter_is_not_sent_before_the_allowance_is_loaded(person, cap_member, officer_east, social_worker):
    allowance = started(person, cap_member, officer_east)
    assert_refused(
        lambda: services.send_letter(allowance, acting_user=social_worker, sent_to="The person"),
        "A respite allowance that is “allowance to load” cannot do this.",
    )


# end_year -----------------------------------------------------------------------------------------------------------
def test_the_sweep_ends_allowances_whose_year_is_over_once(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    assert services.end_due_allowances() == 0
    with time_machine.travel(allowance.year_end + timedelta(days=1, hours=12)):
        assert services.end_due_allowances() == 1
        assert services.end_due_allowances() == 0  # safe to run twice
    allowance = fresh(allowance)
    assert allowance.state == State.ENDED
    assert allowance.transitions.last().by == officer_east


def test_the_year_does_not_end_early(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)

    def end():
        with transaction.atomic():
            ALLOWANCE_MACHINE.apply(services._locked(allowance), "end_year", acting_user=officer_east)

    assert_refused(end, "The allowance year has not ended yet.")


def test_an_ended_allowance_takes_no_bookings(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    with time_machine.travel(allowance.year_end + timedelta(days=1, hours=12)):
        services.end_due_allowances()
        assert_refused(
            lambda: booking(allowance, officer_east), "This allowance has ended: nothing more is booked on it."
        )


# stop ---------------------------------------------------------------------------------------------------------------
def test_withdrawing_the_referral_stops_an_allowance_not_loaded(person, cap_member, officer_east, social_worker):
    allowance = started(person, cap_member, officer_east)
    withdraw_referral(Referral.objects.get(pk=allowance.referral_id), acting_user=social_worker, reason="Moved away")
    allowance = fresh(allowance)
    assert allowance.state == State.STOPPED
    assert allowance.ending_reason == "The referral was withdrawn: Moved away"


def test_stop_refused_while_the_referral_stands(person, cap_member, officer_east, social_worker):
    allowance = started(person, cap_member, officer_east)

    def stop():
        with transaction.atomic():
            ALLOWANCE_MACHINE.apply(services._locked(allowance), "stop", acting_user=social_worker)

    assert_refused(stop, "The referral has not been withdrawn.")


# Bookings -----------------------------------------------------------------------------------------------------------
def test_a_booking_draws_on_the_allowance_with_its_purchase_order(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    allowance = fresh(allowance)
    assert (allowance.booked, allowance.balance) == (STAY, ALLOWANCE - STAY)
    order = made.purchase_order
    assert (order.provider, order.period_start, order.period_end) == (made.provider, made.start_date, made.end_date)
    assert order.status == PurchaseOrder.Status.ISSUED
    assert made.agreement.end_date == made.end_date and made.nights == 7
    assert Referral.objects.get(pk=allowance.referral_id).state == ReferralState.ACTIVE


def test_two_bookings_each_have_their_own_order(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    first, second = booking(allowance, officer_east), booking(allowance, officer_east, start_in=60)
    assert first.purchase_order.number != second.purchase_order.number
    assert fresh(allowance).booked == STAY * 2


def test_a_booking_that_would_exceed_the_allowance_is_refused_with_the_balance(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    booking(allowance, officer_east, cost=Decimal("1500.00"))
    assert_refused(
        lambda: booking(allowance, officer_east, cost=Decimal("500.01"), start_in=60),
        "This booking of £500.01 would exceed the respite allowance: £500.00 is left of £2,000.00.",
    )
    booking(allowance, officer_east, cost=Decimal("500.00"), start_in=60)  # to the penny is fine
    assert fresh(allowance).balance == 0


def test_the_database_refuses_an_overdrawn_allowance(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    with pytest.raises(IntegrityError), transaction.atomic():
        RespiteAllowance.objects.filter(pk=allowance.pk).update(booked=ALLOWANCE + Decimal("0.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RespiteAllowance.objects.filter(pk=allowance.pk).update(booked=Decimal("-0.01"))


@pytest.mark.parametrize("when", ["before", "after", "past"])
def test_a_booking_outside_the_allowance_year_is_refused(person, cap_member, officer_east, when):
    allowance = letter_sent(person, cap_member, officer_east)
    start_in = {"before": -3, "after": 366, "past": -1}[when]
    if when == "before":
        RespiteAllowance.objects.filter(pk=allowance.pk).update(
            year_start=today() + timedelta(days=10), year_end=today() + timedelta(days=375)
        )
        start_in = 5
    message = "The first night cannot be in the past." if when == "past" else "The stay must fall within the allowance"
    assert_refused(lambda: booking(allowance, officer_east, start_in=start_in), message)


def test_only_the_allocated_officer_books(person, cap_member, officer_east, other_officer_east, social_worker):
    allowance = letter_sent(person, cap_member, officer_east)
    for user in (other_officer_east, social_worker):
        assert_refused(
            lambda user=user: booking(allowance, user), "Only the officer this referral is allocated to books respite."
        )


def test_no_booking_before_the_letter_is_sent(person, cap_member, officer_east):
    allowance = loaded(person, cap_member, officer_east)
    assert_refused(
        lambda: booking(allowance, officer_east), "Respite is booked once the allowance is loaded and the letter sent."
    )


def test_a_provider_off_the_framework_needs_a_reason_and_the_dps_team_is_told(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    provider = respite_provider(on_framework=False)
    assert_refused(
        lambda: booking(allowance, officer_east, provider=provider), "is not on the respite framework: give the reason"
    )
    made = booking(allowance, officer_east, provider=provider, reason="Only home with a wheelchair-accessible room")
    assert not made.on_framework
    notice = SpotContractNotice.objects.get()
    assert (notice.provider, notice.reason) == (provider, "Only home with a wheelchair-accessible room")


def test_bad_amounts_are_refused(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    for cost in (Decimal("0"), Decimal("-5"), Decimal("10.005")):
        assert_refused(
            lambda cost=cost: booking(allowance, officer_east, cost=cost),
            "Enter the cost of the stay in pounds and pence, above £0.",
        )
    assert_refused(lambda: booking(allowance, officer_east, nights=0), "The stay must end after its first night.")


# cancel (the booking's machine) -------------------------------------------------------------------------------------
def test_cancelling_gives_the_amount_back_and_closes_the_order(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    services.cancel_booking(made, acting_user=officer_east, reason="The person is in hospital")
    made = RespiteBooking.objects.get(pk=made.pk)
    assert made.state == RespiteBooking.State.CANCELLED and made.cancel_reason == "The person is in hospital"
    assert fresh(allowance).booked == 0
    order = PurchaseOrder.objects.get(pk=made.purchase_order_id)
    assert (order.status, order.last_day) == (PurchaseOrder.Status.CLOSED, made.start_date - timedelta(days=1))
    assert made.transitions.get().by == officer_east


def test_cancel_needs_a_reason_and_the_officer(person, cap_member, officer_east, other_officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    assert_refused(
        lambda: services.cancel_booking(made, acting_user=officer_east, reason=" "),
        "Say why the booking is cancelled.",
    )
    assert_refused(
        lambda: services.cancel_booking(made, acting_user=other_officer_east, reason="No"),
        "You do not have permission to do this to this respite booking.",
    )


def test_a_stay_that_has_begun_is_not_cancelled_and_a_cancelled_one_not_twice(person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east, start_in=2)
    with time_machine.travel(made.start_date + timedelta(hours=12)):
        assert_refused(
            lambda: services.cancel_booking(made, acting_user=officer_east, reason="Too late"),
            "The stay has begun: it cannot be cancelled.",
        )
    services.cancel_booking(made, acting_user=officer_east, reason="Hospital")
    assert_refused(
        lambda: services.cancel_booking(made, acting_user=officer_east, reason="Hospital"),
        "A respite booking that is “cancelled: its cost given back to the allowance” cannot do this.",
    )


def test_awaiting_panel_has_no_allowance(social_worker, person):
    referral = awaiting_panel(social_worker, person)
    assert referral.own_work is None


MACHINE = ALLOWANCE_MACHINE
STEP_TESTS = {
    "load": (
        ["test_the_officer_loads_the_allowance_and_the_referral_is_active"],
        [
            "test_only_the_allocated_officer_loads",
            "test_loading_needs_the_year_start",
            "test_an_allowance_is_loaded_once",
            "test_loading_refused_without_the_panels_allowance",
        ],
    ),
    "send_letter": (
        ["test_the_social_worker_sends_the_letter_and_respite_can_be_booked"],
        [
            "test_only_the_persons_social_worker_sends_the_letter",
            "test_the_letter_needs_who_it_went_to_and_the_letter_made",
            "test_the_letter_is_not_sent_before_the_allowance_is_loaded",
        ],
    ),
    "end_year": (["test_the_sweep_ends_allowances_whose_year_is_over_once"], ["test_the_year_does_not_end_early"]),
    "stop": (
        ["test_withdrawing_the_referral_stops_an_allowance_not_loaded"],
        ["test_stop_refused_while_the_referral_stands"],
    ),
}
