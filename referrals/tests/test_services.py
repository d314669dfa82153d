"""SPEC §2 through referrals.services: what Brokerage must refuse, and where work is routed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from approvals.models import Approval
from catalogue.codes import NOT_BROKERED, ServiceCode
from core.calendar import add_working_days
from core.exceptions import ActionRefused
from packages.tests.running import running_package
from people.tests.factories import make_person, make_plan
from referrals import services
from referrals.models import Referral
from referrals.services import (
    BROKERAGE_CANNOT_INCREASE,
    ONLY_PRACTITIONERS_REFER,
    REABLEMENT_ONLY_THROUGH_SPA,
)
from referrals.tests.assertions import assert_refused
from referrals.tests.factories import DETAILS, approve, awaiting_funding_referral, held_referral

S = Referral.State

pytestmark = pytest.mark.django_db


def refer(user, person, **fields):
    return services.create_referral(acting_user=user, person=person, **{"details": DETAILS} | fields)


def assert_not_referred(call, message):
    count = Referral.objects.count()
    with pytest.raises(ActionRefused) as refusal:
        call()
    assert message in refusal.value.message
    assert Referral.objects.count() == count


# (a) increases ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["officer_east", "lead_east"])
def test_brokerage_cannot_increase_a_service(who, request, social_worker, person):
    plan = make_plan(social_worker, person)
    assert_not_referred(
        lambda: refer(
            request.getfixturevalue(who),
            person,
            kind="change",
            change="increase",
            service_type=ServiceCode.HOME_CARE,
            plan=plan,
            effective_date=date(2027, 1, 5),
        ),
        BROKERAGE_CANNOT_INCREASE,
    )


def test_brokerage_cannot_make_any_other_referral(officer_east, person):
    assert_not_referred(
        lambda: refer(officer_east, person, kind="urgent_response", service_type=ServiceCode.HOME_CARE),
        ONLY_PRACTITIONERS_REFER,
    )


def test_unfunded_increase_waits_for_funding_not_in_the_queue(social_worker, person, cap_member):
    running_package(person)  # the change names it
    referral = refer(
        social_worker,
        person,
        kind="change",
        change="increase",
        service_type=ServiceCode.HOME_CARE,
        plan=make_plan(social_worker, person),
        effective_date=date(2027, 1, 5),
    )
    assert referral.state == S.AWAITING_FUNDING and referral.queued_at is None
    approve(referral, cap_member)
    referral.refresh_from_db()
    assert referral.state == S.QUEUED


def test_increase_on_an_already_funded_plan_goes_straight_to_the_queue(social_worker, person, cap_member):
    running_package(person)  # the change names it
    plan = make_plan(social_worker, person)
    approve(awaiting_funding_referral(social_worker, person, plan=plan), cap_member)
    referral = refer(
        social_worker,
        person,
        kind="change",
        change="increase",
        service_type=ServiceCode.HOME_CARE,
        plan=plan,
        effective_date=date(2027, 1, 5),
    )
    assert referral.state == S.QUEUED


# (f) services Brokerage does not handle -----------------------------------------------------
@pytest.mark.parametrize(
    "service_type, goes_to",
    [
        (ServiceCode.TELECARE, "Assistive Technology team"),
        (ServiceCode.MINOR_WORKS, "Home Improvement Agency"),
        (ServiceCode.OT_EQUIPMENT, "Occupational Therapy service"),
    ],
)
@pytest.mark.parametrize("who", ["social_worker", "officer_east"])
def test_services_brokerage_does_not_handle_are_turned_away_saying_where_they_go(
    service_type, goes_to, who, request, person
):
    assert_not_referred(
        lambda: refer(request.getfixturevalue(who), person, kind="urgent_response", service_type=service_type), goes_to
    )
    assert goes_to in NOT_BROKERED[service_type]


# (g) risky reductions and suspensions -------------------------------------------------------
@pytest.mark.parametrize("change", [Referral.Change.REDUCE, Referral.Change.SUSPEND])
def test_risky_change_is_held_until_risk_strategies_are_agreed_then_queued(change, social_worker, person):
    referral = held_referral(social_worker, person, change=change)
    assert referral.state == S.HELD_FOR_RISK and referral.queued_at is None
    services.record_risk_strategies_agreed(referral, acting_user=social_worker, strategies="Daughter visits daily")
    referral.refresh_from_db()
    assert referral.state == S.QUEUED
    assert referral.risk_strategies == "Daughter visits daily"


def test_reduction_without_risk_goes_to_the_queue(social_worker, person):
    running_package(person)  # the change names it
    referral = refer(
        social_worker,
        person,
        kind="change",
        change="reduce",
        service_type=ServiceCode.HOME_CARE,
        plan=make_plan(social_worker, person),
        effective_date=date(2026, 1, 5),
    )
    assert referral.state == S.QUEUED


def test_risk_flag_is_ignored_for_changes_that_are_not_reductions_or_suspensions(social_worker, person):
    referral = refer(
        social_worker, person, kind="urgent_response", service_type=ServiceCode.HOME_CARE, puts_person_at_risk=True
    )
    assert referral.state == S.QUEUED and not referral.puts_person_at_risk


# Routing ------------------------------------------------------------------------------------
def test_reablement_only_through_spa(social_worker, spa_worker, officer_east, east_area):
    """A social worker holding the case, Brokerage itself, or an SPA worker using the general referral form is told
    reablement comes through SPA's reablement case; the case's referral goes straight to the team's queue:
    reablement needs no panel (the procedure)."""
    sw_person = make_person(social_worker, east_area)
    plan = make_plan(social_worker, sw_person, service_type=ServiceCode.REABLEMENT)
    for someone in (social_worker, officer_east):
        assert_not_referred(
            lambda someone=someone: refer(
                someone, sw_person, kind="support_plan", service_type=ServiceCode.REABLEMENT, plan=plan
            ),
            REABLEMENT_ONLY_THROUGH_SPA,
        )
    spa_person = make_person(spa_worker, east_area)
    spa_plan = make_plan(spa_worker, spa_person, service_type=ServiceCode.REABLEMENT)
    assert_not_referred(
        lambda: refer(spa_worker, spa_person, kind="support_plan", service_type=ServiceCode.REABLEMENT, plan=spa_plan),
        REABLEMENT_ONLY_THROUGH_SPA,
    )
    referral = refer(
        spa_worker,
        spa_person,
        kind="support_plan",
        service_type=ServiceCode.REABLEMENT,
        plan=spa_plan,
        from_reablement_case=True,
    )
    assert referral.state == S.QUEUED and not referral.needs_funding


@pytest.mark.parametrize("area, team", [("east_area", "east"), ("west_area", "west")])
def test_referral_is_allocated_to_the_team_for_the_persons_area(area, team, request, social_worker):
    person = make_person(social_worker, request.getfixturevalue(area))
    assert refer(social_worker, person, kind="urgent_response", service_type=ServiceCode.HOME_CARE).team_id == team


def test_only_the_allocated_practitioner_can_refer(other_social_worker, person):
    assert_not_referred(
        lambda: refer(other_social_worker, person, kind="urgent_response", service_type=ServiceCode.HOME_CARE),
        "Only the person's allocated practitioner",
    )


def test_urgent_response_is_due_in_a_day_and_other_work_in_five(social_worker, person):
    running_package(person)  # the change names it
    urgent = refer(social_worker, person, kind="urgent_response", service_type=ServiceCode.HOME_CARE)
    routine = refer(
        social_worker,
        person,
        kind="change",
        change="suspend",
        service_type=ServiceCode.HOME_CARE,
        effective_date=date(2027, 1, 5),
    )
    assert urgent.urgent and urgent.due_by - urgent.queued_at == timedelta(days=1)
    assert not routine.urgent and routine.due_by == add_working_days(routine.queued_at, 5)
    assert timedelta(days=5) <= routine.due_by - routine.queued_at <= timedelta(days=7 + 4)  # weekends, holidays


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "support_plan"}, "Select the care and support plan"),
        (
            {"kind": "change", "change": "increase", "effective_date": date(2027, 1, 5)},
            "Select the care and support plan for the increase",
        ),
        ({"kind": "change"}, "Say what kind of change this is."),
        (
            {"kind": "urgent_response", "change": "suspend"},
            "Only a change to an existing service has a kind of change.",
        ),
        (
            {"kind": "support_plan", "service_type": ServiceCode.EXTRA_CARE, "plan": "extra_care"},
            "Say where this referral-only service was referred to.",
        ),
    ],
)
def test_incomplete_referral_is_refused(fields, message, social_worker, person):
    fields = {"service_type": ServiceCode.HOME_CARE} | fields
    if fields.get("plan"):
        fields["plan"] = make_plan(social_worker, person, service_type=fields["plan"])
    assert_not_referred(lambda: refer(social_worker, person, **fields), message)


def test_plan_must_be_the_persons_and_for_the_service_asked(social_worker, person, west_person):
    other_plan = make_plan(social_worker, west_person)
    assert_not_referred(
        lambda: refer(social_worker, person, kind="support_plan", service_type=ServiceCode.HOME_CARE, plan=other_plan),
        "That plan belongs to someone else.",
    )
    respite_plan = make_plan(social_worker, person, service_type=ServiceCode.RESPITE)
    assert_not_referred(
        lambda: refer(
            social_worker, person, kind="support_plan", service_type=ServiceCode.HOME_CARE, plan=respite_plan
        ),
        "The service asked for must be the service in the plan.",
    )


def test_sending_a_plan_locks_it(social_worker, person):
    referral = awaiting_funding_referral(social_worker, person)
    assert referral.plan.is_locked


# Funding decisions --------------------------------------------------------------------------
def test_funding_approval_needs_an_amount_and_records_it(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="approved"),
        "Enter the approved weekly amount.",
    )
    funding = approve(referral, cap_member, amount=Decimal("312.40"))
    assert (funding.state, funding.approved_weekly_amount, funding.decided_by) == (
        "approved",
        Decimal("312.40"),
        cap_member,
    )
    assert funding.kind == Approval.Kind.PANEL


def test_amount_is_not_kept_on_a_decline(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    funding = services.record_funding_decision(
        referral, acting_user=cap_member, decision="declined", approved_weekly_amount=Decimal("100")
    )
    assert funding.approved_weekly_amount is None


@pytest.mark.parametrize("service_type", [ServiceCode.RESIDENTIAL, ServiceCode.NURSING, ServiceCode.SUPPORTED_LIVING])
def test_head_of_service_not_cap_decides_out_of_panel_services(
    service_type, social_worker, person, cap_member, head_of_service
):
    referral = awaiting_funding_referral(social_worker, person, service_type=service_type)
    assert_refused(referral, lambda: approve(referral, cap_member), "Only a head of service")
    funding = approve(referral, head_of_service, amount=Decimal("850.00"))
    referral.refresh_from_db()
    assert referral.state == S.QUEUED
    assert funding.kind == Approval.Kind.OUT_OF_PANEL


def test_head_of_service_cannot_decide_home_care(social_worker, person, head_of_service):
    referral = awaiting_funding_referral(social_worker, person)
    assert_refused(referral, lambda: approve(referral, head_of_service), "Only a Care Authorisation Panel member")


def test_sending_a_plan_for_funding_asks_for_its_approval_once(social_worker, person):
    referral = awaiting_funding_referral(social_worker, person)
    approval = Approval.objects.get(plan=referral.plan)
    assert (approval.kind, approval.state, approval.requested_by) == ("panel", "requested", social_worker)
    # Withdrawn and sent again while the panel has not decided: the same question, not a second one.
    services.withdraw_referral(referral, acting_user=social_worker, reason="Sent too soon")
    again = awaiting_funding_referral(social_worker, person, plan=referral.plan)
    assert again.state == S.AWAITING_FUNDING
    assert list(Approval.objects.filter(plan=referral.plan)) == [approval]


def test_deferred_then_approved_is_one_approval_with_two_decisions(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    services.record_funding_decision(referral, acting_user=cap_member, decision="deferred", notes="Needs OT report")
    referral.refresh_from_db()
    assert referral.state == S.AWAITING_FUNDING and not referral.has_approved_funding
    approve(referral, cap_member, amount=Decimal("262.50"))
    referral.refresh_from_db()
    assert referral.state == S.QUEUED and referral.has_approved_funding
    assert referral.approved_weekly_amount == Decimal("262.50")
    approval = Approval.objects.get(plan=referral.plan)
    steps = approval.transitions.values_list("name", "source", "target", "by", "note")
    assert list(steps) == [
        ("defer", "requested", "deferred", cap_member.pk, "Needs OT report"),
        ("approve", "deferred", "approved", cap_member.pk, ""),
    ]
    assert list(referral.transitions.values_list("name", flat=True)) == [
        "send_for_funding",
        "defer_funding",
        "authorise",
    ]


def test_the_approvals_step_is_undone_when_the_referrals_is_refused(social_worker, person, cap_member, monkeypatch):
    """The two steps are one transaction: a refusal of the referral's leaves the approval as it was."""
    referral = awaiting_funding_referral(social_worker, person)

    def refuse(*args, **kwargs):
        raise ActionRefused("The referral's step is refused.")

    monkeypatch.setattr(services, "apply_transition", refuse)
    assert_refused(referral, lambda: approve(referral, cap_member), "The referral's step is refused.")
    assert Approval.objects.get(plan=referral.plan).state == Approval.State.REQUESTED
