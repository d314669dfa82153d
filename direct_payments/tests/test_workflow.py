"""A direct payment's steps (direct_payments.workflows), each allowed and each refused, through the services that
take them. A refusal changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue.sourcing import route_for
from core.exceptions import ActionRefused
from direct_payments import services
from direct_payments.models import DIRECT_PAYMENT_MACHINE, DirectPayment, ScheduledPayment
from direct_payments.workflows import State
from people.models import Person
from referrals.models import Referral
from referrals.services import withdraw_referral
from referrals.workflows import State as ReferralState

from .factories import active, sent, signed, terms, to_draft


def _send(dp, user):
    services.send_agreement(dp, acting_user=user, **terms())


def _redraft(dp, user):
    services.redraft(dp, acting_user=user, reason="Wants it paid to her son instead")


def _sign(dp, user):
    services.record_signature(dp, acting_user=user, signed_on=timezone.localdate(), signed_by_name="Test Person")


def _schedule(dp, user):
    services.schedule_payments(dp, acting_user=user)


def _end(dp, user):
    services.end(dp, acting_user=user, ended_on=timezone.localdate() + timedelta(days=60), reason="Moved away")


TRANSITIONS = {  # name: (build the case, act, target state)
    "send_agreement": (to_draft, _send, State.AGREEMENT_SENT),
    "redraft": (sent, _redraft, State.AGREEMENT_TO_DRAFT),
    "record_signature": (sent, _sign, State.AGREEMENT_SIGNED),
    "schedule_payments": (signed, _schedule, State.ACTIVE),
    "end": (active, _end, State.ENDED),
}
NOT_ALLOWED = ["other_officer_east", "officer_west", "lead_east", "social_worker"]


def footprint(dp) -> dict:
    dp = DirectPayment.objects.get(pk=dp.pk)
    return {
        "direct_payment": {f.attname: getattr(dp, f.attname) for f in DirectPayment._meta.concrete_fields},
        "transitions": dp.transitions.count(),
        "payments": sorted(ScheduledPayment.objects.values_list("pk", "due_on", "amount", "cancelled_on")),
        "referral": Referral.objects.get(pk=dp.referral_id).state,
    }


def _refused_and_unchanged(dp, act, user, match=None):
    before = footprint(dp)
    with pytest.raises(ActionRefused, match=match):
        act(dp, user)
    assert footprint(dp) == before


@pytest.mark.parametrize("name", TRANSITIONS)
def test_allocated_officer_makes_the_transition(name, person, cap_member, officer_east):
    build, act, target = TRANSITIONS[name]
    dp = build(person, cap_member, officer_east)
    source, steps = dp.state, dp.transitions.count()

    act(dp, officer_east)

    dp = DirectPayment.objects.get(pk=dp.pk)
    assert dp.state == target
    last = dp.transitions.last()
    assert (last.name, last.source, last.target, last.by) == (name, source, target, officer_east)
    assert dp.transitions.count() == steps + 1
    referral_state = ReferralState.ALLOCATED if target in DIRECT_PAYMENT_WORKING else ReferralState.ACTIVE
    assert Referral.objects.get(pk=dp.referral_id).state == referral_state


DIRECT_PAYMENT_WORKING = (State.AGREEMENT_TO_DRAFT, State.AGREEMENT_SENT, State.AGREEMENT_SIGNED)


@pytest.mark.parametrize("actor", NOT_ALLOWED)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_only_the_allocated_officer_makes_the_transition(name, actor, request, person, cap_member, officer_east):
    build, act, _ = TRANSITIONS[name]
    dp = build(person, cap_member, officer_east)
    _refused_and_unchanged(dp, act, request.getfixturevalue(actor), match="Only the officer")


# Taking the referral -----------------------------------------------------------------------------------------------
def test_taking_a_direct_payment_referral_starts_its_direct_payment(person, cap_member, officer_east):
    dp = to_draft(person, cap_member, officer_east)
    assert dp.state == State.AGREEMENT_TO_DRAFT and dp.person == person
    assert route_for("direct_payment").app == "direct_payments"
    assert Referral.objects.get(pk=dp.referral_id).own_work == dp


# Sending the agreement ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "period,most", [("weekly", Decimal("100.00")), ("four_weekly", Decimal("400.00")), ("one_off", Decimal("5200.00"))]
)
def test_each_payment_may_be_up_to_the_approved_funding_for_its_period(period, most, person, cap_member, officer_east):
    dp = to_draft(person, cap_member, officer_east)
    too_much = {"amount": most + Decimal("0.01"), "period": period}
    _refused_and_unchanged(
        dp,
        lambda dp, user: services.send_agreement(dp, acting_user=user, **terms(**too_much)),
        officer_east,
        match="more than the approved funding allows",
    )
    dp = services.send_agreement(dp, acting_user=officer_east, **terms(amount=most, period=period))
    assert dp.state == State.AGREEMENT_SENT and dp.amount == most


def test_the_agreement_goes_to_the_representative_on_the_persons_record(person, cap_member, officer_east):
    Person.objects.filter(pk=person.pk).update(representative_name="Ola Example", representative_relationship="Son")
    dp = to_draft(person, cap_member, officer_east)
    dp = services.send_agreement(dp, acting_user=officer_east, **terms(recipient="representative"))
    assert dp.recipient_name == "Ola Example (Son)" and dp.sent_on == timezone.localdate()


def test_no_agreement_to_a_representative_the_record_does_not_name(person, cap_member, officer_east):
    dp = to_draft(person, cap_member, officer_east)
    _refused_and_unchanged(
        dp,
        lambda dp, user: services.send_agreement(dp, acting_user=user, **terms(recipient="representative")),
        officer_east,
        match="names no representative",
    )


@pytest.mark.parametrize(
    "bad,match",
    [
        ({"purpose": "  "}, "what the budget pays for"),
        ({"amount": Decimal("10.001")}, "pounds and pence"),
        ({"period": "monthly"}, "how often"),
        ({"first_payment_on": timezone.localdate() - timedelta(days=1)}, "in the past"),
    ],
)
def test_an_agreement_with_bad_terms_is_not_sent(bad, match, person, cap_member, officer_east):
    dp = to_draft(person, cap_member, officer_east)
    act = lambda dp, user: services.send_agreement(dp, acting_user=user, **terms(**bad))  # noqa: E731
    _refused_and_unchanged(dp, act, officer_east, match=match)


def test_the_agreement_is_not_sent_twice(person, cap_member, officer_east):
    _refused_and_unchanged(sent(person, cap_member, officer_east), _send, officer_east, match="cannot do this")


# Redrafting, signing ------------------------------------------------------------------------------------------------
def test_nothing_to_redraft_before_the_agreement_is_sent(person, cap_member, officer_east):
    _refused_and_unchanged(to_draft(person, cap_member, officer_east), _redraft, officer_east, match="cannot do this")


def test_redrafting_needs_what_they_asked_to_change(person, cap_member, officer_east):
    act = lambda dp, user: services.redraft(dp, acting_user=user, reason=" ")  # noqa: E731
    _refused_and_unchanged(sent(person, cap_member, officer_east), act, officer_east, match="asked to change")


def test_no_signature_before_the_agreement_is_sent(person, cap_member, officer_east):
    _refused_and_unchanged(to_draft(person, cap_member, officer_east), _sign, officer_east, match="cannot do this")


@pytest.mark.parametrize("days", [-1, 1])
def test_the_signature_is_dated_between_sending_and_today(days, person, cap_member, officer_east):
    dp = sent(person, cap_member, officer_east)
    day = timezone.localdate() + timedelta(days=days)
    act = lambda dp, user: services.record_signature(dp, acting_user=user, signed_on=day, signed_by_name="X")  # noqa: E731
    _refused_and_unchanged(dp, act, officer_east, match="between the day it was sent and today")


# Scheduling the payments ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "period,amount,count,gap",
    [("weekly", "95.00", 52, 7), ("four_weekly", "380.00", 13, 28), ("one_off", "899.00", 1, 0)],
)
def test_a_year_of_payments_is_scheduled_and_the_referral_is_active(
    period, amount, count, gap, person, cap_member, officer_east
):
    dp = active(person, cap_member, officer_east, period=period, amount=Decimal(amount))
    payments = list(dp.payments.order_by("due_on"))
    assert len(payments) == count
    assert {p.amount for p in payments} == {Decimal(amount)}
    assert payments[0].due_on == dp.first_payment_on
    assert all((b.due_on - a.due_on).days == gap for a, b in zip(payments, payments[1:], strict=False))
    referral = Referral.objects.get(pk=dp.referral_id)
    assert referral.state == ReferralState.ACTIVE and referral.active_at is not None


def test_no_payments_before_the_agreement_is_signed(person, cap_member, officer_east):
    _refused_and_unchanged(sent(person, cap_member, officer_east), _schedule, officer_east, match="cannot do this")


def test_payments_are_not_scheduled_twice(person, cap_member, officer_east):
    _refused_and_unchanged(active(person, cap_member, officer_east), _schedule, officer_east, match="cannot do this")


# Ending -----------------------------------------------------------------------------------------------------------
def test_ending_cancels_the_later_payments(person, cap_member, officer_east):
    dp = active(person, cap_member, officer_east, period="weekly", amount=Decimal("90.00"))
    last_day = dp.first_payment_on + timedelta(days=20)
    services.end(dp, acting_user=officer_east, ended_on=last_day, reason="Moved to another council")
    assert dp.payments.filter(cancelled_on__isnull=True).count() == 3
    assert dp.payments.filter(cancelled_on__isnull=False).count() == 49


def test_a_direct_payment_not_yet_active_is_not_ended(person, cap_member, officer_east):
    _refused_and_unchanged(signed(person, cap_member, officer_east), _end, officer_east, match="cannot do this")


def test_ending_needs_its_reason_and_a_day_after_the_signature(person, cap_member, officer_east):
    dp = active(person, cap_member, officer_east)
    early = timezone.localdate() - timedelta(days=1)
    no_reason = lambda dp, user: services.end(dp, acting_user=user, ended_on=timezone.localdate(), reason="")  # noqa: E731
    too_early = lambda dp, user: services.end(dp, acting_user=user, ended_on=early, reason="Moved")  # noqa: E731
    _refused_and_unchanged(dp, no_reason, officer_east, match="why the direct payment ends")
    _refused_and_unchanged(dp, too_early, officer_east, match="before the agreement was signed")


# Withdrawn ----------------------------------------------------------------------------------------------------------
def test_withdrawing_the_referral_stops_its_direct_payment(person, cap_member, officer_east, social_worker):
    dp = sent(person, cap_member, officer_east)
    withdraw_referral(Referral.objects.get(pk=dp.referral_id), acting_user=social_worker, reason="Chose home care")
    dp = DirectPayment.objects.get(pk=dp.pk)
    assert dp.state == State.STOPPED
    assert (dp.transitions.last().name, dp.transitions.last().by) == ("stop", social_worker)


def test_a_direct_payment_is_not_stopped_while_its_referral_stands(person, cap_member, officer_east, social_worker):
    def act(dp, user):
        DIRECT_PAYMENT_MACHINE.apply(DirectPayment.objects.get(pk=dp.pk), "stop", acting_user=user)

    _refused_and_unchanged(sent(person, cap_member, officer_east), act, social_worker, match="has not been withdrawn")


def test_an_active_direct_payments_referral_is_not_withdrawn(person, cap_member, officer_east, social_worker):
    dp = active(person, cap_member, officer_east)

    def act(dp, user):
        withdraw_referral(Referral.objects.get(pk=dp.referral_id), acting_user=user, reason="x")

    _refused_and_unchanged(dp, act, social_worker)


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither.
TAKEN = "test_allocated_officer_makes_the_transition[{}]"
REFUSED = "test_only_the_allocated_officer_makes_the_transition[{}]"
MACHINE = DIRECT_PAYMENT_MACHINE
STEP_TESTS = {
    "send_agreement": (
        [TAKEN.format("send_agreement"), "test_the_agreement_goes_to_the_representative_on_the_persons_record"],
        [
            REFUSED.format("send_agreement"),
            "test_each_payment_may_be_up_to_the_approved_funding_for_its_period",
            "test_no_agreement_to_a_representative_the_record_does_not_name",
            "test_an_agreement_with_bad_terms_is_not_sent",
            "test_the_agreement_is_not_sent_twice",
        ],
    ),
    "redraft": (
        [TAKEN.format("redraft")],
        [
            REFUSED.format("redraft"),
            "test_nothing_to_redraft_before_the_agreement_is_sent",
            "test_redrafting_needs_what_they_asked_to_change",
        ],
    ),
    "record_signature": (
        [TAKEN.format("record_signature")],
        [
            REFUSED.format("record_signature"),
            "test_no_signature_before_the_agreement_is_sent",
            "test_the_signature_is_dated_between_sending_and_today",
        ],
    ),
    "schedule_payments": (
        [TAKEN.format("schedule_payments"), "test_a_year_of_payments_is_scheduled_and_the_referral_is_active"],
        [
            REFUSED.format("schedule_payments"),
            "test_no_payments_before_the_agreement_is_signed",
            "test_payments_are_not_scheduled_twice",
        ],
    ),
    "end": (
        [TAKEN.format("end"), "test_ending_cancels_the_later_payments"],
        [
            REFUSED.format("end"),
            "test_a_direct_payment_not_yet_active_is_not_ended",
            "test_ending_needs_its_reason_and_a_day_after_the_signature",
        ],
    ),
    "stop": (
        ["test_withdrawing_the_referral_stops_its_direct_payment"],
        [
            "test_a_direct_payment_is_not_stopped_while_its_referral_stands",
            "test_an_active_direct_payments_referral_is_not_withdrawn",
        ],
    ),
}
