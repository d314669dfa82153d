"""The referral state machine: every allowed transition, and every kind of refusal, through the services.

Transitions from a draft are made only by submit_referral, which always picks the one whose
conditions hold; to prove each condition still guards its transition we call `apply_transition`, the one
gate every service goes through.
"""

from decimal import Decimal

import pytest

from approvals.models import Approval
from approvals.services import decide_approval, request_funding
from audit.models import AuditEvent
from catalogue.codes import ServiceCode
from people.tests.factories import make_plan
from referrals import services
from referrals.models import REFERRAL_MACHINE, Referral, ReferralTransition
from referrals.services import apply_transition as apply_transition
from referrals.tests.assertions import assert_refused
from referrals.tests.factories import (
    allocated_referral,
    awaiting_funding_referral,
    declined_referral,
    draft_referral,
    held_referral,
    referred_on_referral,
    sourcing_support_referral,
    suspension_referral,
    urgent_referral,
)

S = Referral.State
NO_PERMISSION = "You do not have permission to do this to this referral."

pytestmark = pytest.mark.django_db


def assert_recorded(referral, name, source, target, by, note=""):
    """The last step is on the timeline and in the audit trail."""
    referral.refresh_from_db()
    assert referral.state == target
    step = ReferralTransition.objects.filter(referral=referral).latest("id")
    assert (step.name, step.source, step.target, step.by) == (name, source, target, by)
    assert note in step.note
    event = AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITIONED, object_id=str(referral.pk)).latest("id")
    assert (event.actor, event.person) == (by, referral.person)
    assert event.changes["state"] == [source, target]


# Allowed ------------------------------------------------------------------------------------
def test_refer_on_records_where_a_referral_only_service_went(social_worker, person):
    referral = referred_on_referral(social_worker, person, referred_on_to="Extra Care Housing team")
    assert_recorded(referral, "refer_on", S.DRAFT, S.REFERRED_ON, social_worker, "Extra Care Housing team")


def test_hold_for_risk_holds_a_risky_reduction(social_worker, person):
    referral = held_referral(social_worker, person)
    assert_recorded(referral, "hold_for_risk", S.DRAFT, S.HELD_FOR_RISK, social_worker)


def test_send_for_funding_sends_a_new_plan_to_the_panel(social_worker, person):
    referral = awaiting_funding_referral(social_worker, person)
    assert_recorded(referral, "send_for_funding", S.DRAFT, S.AWAITING_FUNDING, social_worker)
    approval = Approval.objects.get(plan=referral.plan)  # the panel's decision is asked for
    assert (approval.kind, approval.state, approval.requested_by) == ("panel", "requested", social_worker)


def test_send_to_brokerage_queues_an_urgent_response(social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_recorded(referral, "send_to_brokerage", S.DRAFT, S.QUEUED, social_worker)
    assert referral.queued_at is not None and referral.due_by is not None


def test_authorise_approves_funding_and_queues(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    services.record_funding_decision(
        referral, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("300.00")
    )
    assert_recorded(referral, "authorise", S.AWAITING_FUNDING, S.QUEUED, cap_member, "£300.00 a week")
    assert referral.queued_at is not None


def test_defer_funding_keeps_waiting_and_records_the_decision(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    services.record_funding_decision(referral, acting_user=cap_member, decision="deferred", notes="More information")
    assert_recorded(referral, "defer_funding", S.AWAITING_FUNDING, S.AWAITING_FUNDING, cap_member, "More information")
    approval = Approval.objects.get(plan=referral.plan)
    assert (approval.state, approval.decided_by, approval.notes) == (
        Approval.State.DEFERRED,
        cap_member,
        "More information",
    )


def test_decline_funding_ends_the_referral(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    services.record_funding_decision(referral, acting_user=cap_member, decision="declined", notes="Not eligible")
    assert_recorded(referral, "decline_funding", S.AWAITING_FUNDING, S.DECLINED, cap_member, "Not eligible")


def test_release_after_risk_agreed_queues_the_held_change(social_worker, person):
    referral = held_referral(social_worker, person)
    services.record_risk_strategies_agreed(referral, acting_user=social_worker, strategies="Daughter visits daily")
    assert_recorded(
        referral, "release_after_risk_agreed", S.HELD_FOR_RISK, S.QUEUED, social_worker, "Daughter visits daily"
    )
    assert referral.risk_strategies_agreed_at is not None and referral.queued_at is not None


def test_take_gives_the_task_to_the_officer(social_worker, person, officer_east):
    referral = urgent_referral(social_worker, person)
    services.take_referral(referral, acting_user=officer_east)
    assert_recorded(referral, "take", S.QUEUED, S.ALLOCATED, officer_east)
    assert referral.allocated_to == officer_east


@pytest.mark.parametrize("already_allocated", [False, True])
def test_allocate_by_the_team_lead_from_queue_or_to_another_officer(
    already_allocated, social_worker, person, lead_east, officer_east, other_officer_east
):
    referral = (
        allocated_referral(social_worker, person, other_officer_east)
        if already_allocated
        else urgent_referral(social_worker, person)
    )
    source = referral.state
    services.allocate_referral(referral, acting_user=lead_east, officer=officer_east)
    assert_recorded(referral, "allocate", source, S.ALLOCATED, lead_east, f"Allocated to {officer_east}")
    assert referral.allocated_to == officer_east


def test_return_options_sends_sourcing_options_back(social_worker, person, officer_east):
    referral = services.take_referral(sourcing_support_referral(social_worker, person), acting_user=officer_east)
    services.return_sourcing_options(referral, acting_user=officer_east, options="Oak Day Centre; Elm Club")
    assert_recorded(referral, "return_options", S.ALLOCATED, S.OPTIONS_RETURNED, officer_east, "Oak Day Centre")


@pytest.mark.parametrize("make", ["draft", "awaiting_funding", "held_for_risk", "queued", "allocated"])
def test_withdraw_from_any_open_state_by_the_practitioner(make, social_worker, person, officer_east):
    referral = {
        "draft": lambda: draft_referral(social_worker, person),
        "awaiting_funding": lambda: awaiting_funding_referral(social_worker, person),
        "held_for_risk": lambda: held_referral(social_worker, person),
        "queued": lambda: urgent_referral(social_worker, person),
        "allocated": lambda: allocated_referral(social_worker, person, officer_east),
    }[make]()
    services.withdraw_referral(referral, acting_user=social_worker, reason="Person moved away")
    assert_recorded(referral, "withdraw", make, S.WITHDRAWN, social_worker, "Person moved away")


# Refused: wrong state -----------------------------------------------------------------------
@pytest.mark.parametrize("transition", ["refer_on", "hold_for_risk", "send_for_funding", "send_to_brokerage"])
def test_draft_only_transitions_refused_once_queued(transition, social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: apply_transition(referral, transition, acting_user=social_worker),
        "A referral that is “in the team queue” cannot do this.",
    )


def test_submitting_again_is_refused(social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_refused(referral, lambda: services.submit_referral(referral, acting_user=social_worker), "cannot do this")


def test_funding_decision_refused_when_not_awaiting_funding(social_worker, person, cap_member):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(
            referral, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("100")
        ),
        "This referral is not waiting for a funding decision.",
    )


def test_decline_refused_once_declined(social_worker, person, cap_member):
    referral = declined_referral(social_worker, person, cap_member)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="declined"),
        "not waiting for a funding decision",
    )


def test_release_refused_when_nothing_is_held(social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_risk_strategies_agreed(referral, acting_user=social_worker, strategies="Daily calls"),
        "not held waiting for risk strategies",
    )


@pytest.mark.parametrize("make", ["allocated", "awaiting_funding"])
def test_take_refused_unless_queued(make, social_worker, person, officer_east, other_officer_east):
    referral = (
        allocated_referral(social_worker, person, other_officer_east)
        if make == "allocated"
        else awaiting_funding_referral(social_worker, person)
    )
    assert_refused(referral, lambda: services.take_referral(referral, acting_user=officer_east), "cannot do this")


def test_allocate_refused_while_awaiting_funding(social_worker, person, lead_east, officer_east):
    referral = awaiting_funding_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.allocate_referral(referral, acting_user=lead_east, officer=officer_east),
        "A referral that is “awaiting a funding decision” cannot do this.",
    )


def test_return_options_refused_before_anyone_takes_it(social_worker, person, officer_east):
    referral = sourcing_support_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.return_sourcing_options(referral, acting_user=officer_east, options="Oak Day Centre"),
        "cannot do this",
    )


@pytest.mark.parametrize("make", ["declined", "referred_on", "withdrawn"])
def test_withdraw_refused_once_closed(make, social_worker, person, cap_member):
    if make == "declined":
        referral = declined_referral(social_worker, person, cap_member)
    elif make == "referred_on":
        referral = referred_on_referral(social_worker, person)
    else:
        referral = services.withdraw_referral(
            urgent_referral(social_worker, person), acting_user=social_worker, reason="Not needed"
        )
    assert_refused(
        referral,
        lambda: services.withdraw_referral(referral, acting_user=social_worker, reason="Again"),
        "cannot do this",
    )


# Refused: wrong role or other team ----------------------------------------------------------
@pytest.mark.parametrize("make", ["extra_care", "risky_reduction", "new_plan", "urgent"])
def test_submit_refused_for_anyone_but_the_referrer(make, social_worker, other_social_worker, officer_east, person):
    plan = None
    fields = {}
    if make == "extra_care":
        plan = make_plan(social_worker, person, service_type=ServiceCode.EXTRA_CARE)
        fields = {
            "kind": Referral.Kind.SUPPORT_PLAN,
            "service_type": ServiceCode.EXTRA_CARE,
            "referred_on_to": "Extra Care Housing team",
            "urgent": False,
        }
    elif make == "risky_reduction":
        plan = make_plan(social_worker, person)
        fields = {
            "kind": Referral.Kind.CHANGE,
            "change": Referral.Change.REDUCE,
            "puts_person_at_risk": True,
            "urgent": False,
        }
    elif make == "new_plan":
        plan = make_plan(social_worker, person)
        fields = {"kind": Referral.Kind.SUPPORT_PLAN, "urgent": False}
    referral = draft_referral(social_worker, person, plan=plan, **fields)
    for someone_else in (other_social_worker, officer_east):
        assert_refused(
            referral, lambda user=someone_else: services.submit_referral(referral, acting_user=user), NO_PERMISSION
        )


@pytest.mark.parametrize("funder", ["social_worker", "officer_east", "head_of_service"])
def test_panel_decision_refused_for_anyone_but_a_cap_member(funder, request, social_worker, person):
    referral = awaiting_funding_referral(social_worker, person)
    user = request.getfixturevalue(funder)
    for decision in ("approved", "deferred", "declined"):
        amount = Decimal("100") if decision == "approved" else None
        assert_refused(
            referral,
            lambda decision=decision, amount=amount: services.record_funding_decision(
                referral, acting_user=user, decision=decision, approved_weekly_amount=amount
            ),
            "Only a Care Authorisation Panel member can record this funding decision.",
        )


def test_out_of_panel_decision_refused_for_cap_member(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person, service_type=ServiceCode.RESIDENTIAL)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="declined"),
        "Only a head of service can record this funding decision.",
    )


def test_out_of_panel_decision_cannot_be_deferred(social_worker, person, head_of_service):
    referral = awaiting_funding_referral(social_worker, person, service_type=ServiceCode.NURSING)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(referral, acting_user=head_of_service, decision="deferred"),
        "is given or declined, not deferred",
    )


@pytest.mark.parametrize("who", ["officer_east", "other_social_worker"])
def test_release_refused_for_anyone_but_the_persons_practitioner(who, request, social_worker, person):
    referral = held_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_risk_strategies_agreed(
            referral, acting_user=request.getfixturevalue(who), strategies="Daily calls"
        ),
        "Only the person's practitioner can record agreed risk strategies.",
    )


@pytest.mark.parametrize("who", ["officer_west", "lead_west", "social_worker", "cap_member"])
def test_take_refused_outside_the_referrals_team(who, request, social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral, lambda: services.take_referral(referral, acting_user=request.getfixturevalue(who)), NO_PERMISSION
    )


@pytest.mark.parametrize("who", ["officer_east", "lead_west"])
def test_allocate_refused_for_an_officer_or_another_teams_lead(who, request, social_worker, person, officer_east):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.allocate_referral(referral, acting_user=request.getfixturevalue(who), officer=officer_east),
        NO_PERMISSION,
    )


def test_allocate_refused_to_an_officer_of_the_other_team(social_worker, person, lead_east, officer_west):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.allocate_referral(referral, acting_user=lead_east, officer=officer_west),
        "Allocate the task to an officer of this referral's team.",
    )


def test_return_options_refused_for_an_officer_not_holding_the_task(
    social_worker, person, officer_east, other_officer_east
):
    referral = services.take_referral(sourcing_support_referral(social_worker, person), acting_user=officer_east)
    assert_refused(
        referral,
        lambda: services.return_sourcing_options(referral, acting_user=other_officer_east, options="Oak Day Centre"),
        NO_PERMISSION,
    )


@pytest.mark.parametrize("who", ["officer_east", "lead_east", "other_social_worker", "cap_member"])
def test_withdraw_refused_for_anyone_but_the_practitioner(who, request, social_worker, person):
    referral = urgent_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.withdraw_referral(referral, acting_user=request.getfixturevalue(who), reason="Not needed"),
        NO_PERMISSION,
    )


# Refused: an unmet condition ----------------------------------------------------------------
def test_refer_on_refused_for_a_brokered_service(social_worker, person):
    referral = draft_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: apply_transition(referral, "refer_on", acting_user=social_worker),
        "Only extra care and carers' support are referred on.",
    )


def test_hold_for_risk_refused_when_no_one_is_at_risk(social_worker, person):
    referral = draft_referral(
        social_worker, person, kind=Referral.Kind.CHANGE, change=Referral.Change.SUSPEND, urgent=False
    )
    assert_refused(
        referral,
        lambda: apply_transition(referral, "hold_for_risk", acting_user=social_worker),
        "This change does not put the person or carer at risk.",
    )


def test_send_for_funding_refused_when_the_plan_is_already_funded(social_worker, person, cap_member):
    plan = make_plan(social_worker, person)
    decide_approval(
        request_funding(plan, acting_user=social_worker),
        acting_user=cap_member,
        decision="approved",
        approved_weekly_amount=Decimal("250.00"),
    )
    referral = draft_referral(
        social_worker, person, plan=plan, kind=Referral.Kind.CHANGE, change=Referral.Change.INCREASE, urgent=False
    )
    assert_refused(
        referral,
        lambda: apply_transition(referral, "send_for_funding", acting_user=social_worker),
        "This referral needs no funding decision.",
    )


@pytest.mark.parametrize(
    "make, reason",
    [
        ("unfunded_plan", "The plan needs funding from the Care Authorisation Panel or a head of service first."),
        ("risky_reduction", "risk strategies must be agreed first"),
        ("extra_care", "This service is referral-only"),
    ],
)
def test_send_to_brokerage_refused_while_a_condition_is_unmet(make, reason, social_worker, person):
    service = ServiceCode.EXTRA_CARE if make == "extra_care" else ServiceCode.HOME_CARE
    plan = make_plan(social_worker, person, service_type=service)
    fields = {"kind": Referral.Kind.SUPPORT_PLAN, "urgent": False, "service_type": service}
    if make == "risky_reduction":
        fields |= {"kind": Referral.Kind.CHANGE, "change": Referral.Change.REDUCE, "puts_person_at_risk": True}
    referral = draft_referral(social_worker, person, plan=plan, **fields)
    assert_refused(referral, lambda: apply_transition(referral, "send_to_brokerage", acting_user=social_worker), reason)


def test_authorise_refused_without_an_approved_funding_decision(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: apply_transition(referral, "authorise", acting_user=cap_member),
        "The plan needs funding from the Care Authorisation Panel",
    )


def test_approval_refused_without_the_weekly_amount(social_worker, person, cap_member):
    referral = awaiting_funding_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="approved"),
        "Enter the approved weekly amount.",
    )


def test_release_refused_without_strategies(social_worker, person):
    referral = held_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.record_risk_strategies_agreed(referral, acting_user=social_worker, strategies="  "),
        "Describe the risk management strategies",
    )


def test_release_transition_refused_until_strategies_recorded_as_agreed(social_worker, person):
    referral = held_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: apply_transition(referral, "release_after_risk_agreed", acting_user=social_worker),
        "Risk management strategies have not been recorded as agreed.",
    )


def test_return_options_refused_for_other_kinds_of_referral(social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    assert_refused(
        referral,
        lambda: services.return_sourcing_options(referral, acting_user=officer_east, options="Oak Day Centre"),
        "Options are returned only for a sourcing support request.",
    )


def test_return_options_refused_without_options(social_worker, person, officer_east):
    referral = services.take_referral(sourcing_support_referral(social_worker, person), acting_user=officer_east)
    assert_refused(
        referral,
        lambda: services.return_sourcing_options(referral, acting_user=officer_east, options=" "),
        "Record the options found before returning them.",
    )


def test_withdraw_refused_without_a_reason(social_worker, person):
    referral = suspension_referral(social_worker, person)
    assert_refused(
        referral,
        lambda: services.withdraw_referral(referral, acting_user=social_worker, reason=""),
        "Say why the referral is withdrawn.",
    )


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither. The sourcing
# steps are the commission's (commissioning/tests/test_workflow.py).
MACHINE = REFERRAL_MACHINE
STEP_TESTS = {
    "refer_on": (
        ["test_refer_on_records_where_a_referral_only_service_went"],
        ["test_refer_on_refused_for_a_brokered_service"],
    ),
    "hold_for_risk": (
        ["test_hold_for_risk_holds_a_risky_reduction"],
        ["test_hold_for_risk_refused_when_no_one_is_at_risk"],
    ),
    "send_for_funding": (
        ["test_send_for_funding_sends_a_new_plan_to_the_panel"],
        ["test_send_for_funding_refused_when_the_plan_is_already_funded"],
    ),
    "send_to_brokerage": (
        ["test_send_to_brokerage_queues_an_urgent_response"],
        [
            "test_send_to_brokerage_refused_while_a_condition_is_unmet",
            "test_submit_refused_for_anyone_but_the_referrer",
        ],
    ),
    "authorise": (
        ["test_authorise_approves_funding_and_queues"],
        [
            "test_authorise_refused_without_an_approved_funding_decision",
            "test_out_of_panel_decision_refused_for_cap_member",
        ],
    ),
    "defer_funding": (
        ["test_defer_funding_keeps_waiting_and_records_the_decision"],
        ["test_out_of_panel_decision_cannot_be_deferred", "test_funding_decision_refused_when_not_awaiting_funding"],
    ),
    "decline_funding": (
        ["test_decline_funding_ends_the_referral"],
        ["test_decline_refused_once_declined", "test_panel_decision_refused_for_anyone_but_a_cap_member"],
    ),
    "release_after_risk_agreed": (
        ["test_release_after_risk_agreed_queues_the_held_change"],
        [
            "test_release_transition_refused_until_strategies_recorded_as_agreed",
            "test_release_refused_for_anyone_but_the_persons_practitioner",
        ],
    ),
    "record_commissioned": (
        ["referrals/tests/test_own_workflow.py::test_record_commissioned_makes_the_referral_active"],
        [
            "referrals/tests/test_own_workflow.py::test_record_commissioned_refused_before_the_work_has_issued_the_order",
            "referrals/tests/test_own_workflow.py::test_record_commissioned_refused_for_home_care",
            "referrals/tests/test_own_workflow.py::test_record_commissioned_refused_for_another_officer",
        ],
    ),
    "take": (
        ["test_take_gives_the_task_to_the_officer"],
        ["test_take_refused_unless_queued", "test_take_refused_outside_the_referrals_team"],
    ),
    "allocate": (
        ["test_allocate_by_the_team_lead_from_queue_or_to_another_officer"],
        ["test_allocate_refused_while_awaiting_funding", "test_allocate_refused_for_an_officer_or_another_teams_lead"],
    ),
    "return_options": (
        ["test_return_options_sends_sourcing_options_back"],
        [
            "test_return_options_refused_before_anyone_takes_it",
            "test_return_options_refused_for_other_kinds_of_referral",
        ],
    ),
    "withdraw": (
        ["test_withdraw_from_any_open_state_by_the_practitioner"],
        [
            "test_withdraw_refused_once_closed",
            "test_withdraw_refused_for_anyone_but_the_practitioner",
            "commissioning/tests/test_commission.py::test_withdraw_refused_once_the_agreement_is_made",
        ],
    ),
}
