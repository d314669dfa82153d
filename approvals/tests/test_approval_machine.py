"""An approval's state machine (approvals.workflows) through approvals.services: each step allowed and each refused
(by role, by state, for a missing amount), logged with who, when and the notes, and audited; refused, nothing
changes. The database holds the same rules."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from approvals.models import APPROVAL_MACHINE, Approval, ApprovalTransition
from approvals.services import decide_approval, request_approval, request_funding
from approvals.tests.factories import decided, requested
from audit.models import AuditEvent
from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from people.tests.factories import make_plan

S = Approval.State
ONLY_THE_PANEL = "Only a Care Authorisation Panel member can record this funding decision."
ONLY_A_HEAD = "Only a head of service can record this funding decision."

pytestmark = pytest.mark.django_db


def _fresh(approval) -> Approval:
    return Approval.objects.get(pk=approval.pk)  # the state is protected: read again, not refreshed


def assert_stepped(approval, name, source, target, by, note=""):
    """The approval is in `target`, its last step logged with who and why, and on the person's audit trail."""
    approval = _fresh(approval)
    assert approval.state == target
    assert (approval.decided_by, approval.notes) == (by, note)
    step = approval.transitions.latest("id")
    assert (step.name, step.source, step.target, step.by, step.note) == (name, source, target, by, note)
    assert approval.decided_at <= step.at  # decided, then logged, in one transaction
    event = AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITIONED, object_id=str(approval.pk)).latest("id")
    assert (event.actor, event.person, event.changes["state"]) == (by, approval.plan.person, [source, target])
    return approval


def assert_refused(approval, action, message: str) -> None:
    """`action()` is refused with `message` and nothing at all has changed."""

    def world():
        return (
            list(Approval.objects.filter(pk=approval.pk).values()),
            ApprovalTransition.objects.count(),
            AuditEvent.objects.count(),
        )

    before = world()
    with pytest.raises(ActionRefused, match=re.escape(message)):
        action()
    assert world() == before


# Asking -------------------------------------------------------------------------------------
def test_a_plan_sent_for_funding_asks_the_panel_and_is_audited(social_worker, person):
    approval = requested(social_worker, person)
    assert (approval.kind, approval.state, approval.requested_by) == (Approval.Kind.PANEL, S.REQUESTED, social_worker)
    assert approval.requested_at is not None and approval.decided_by is None and approval.decided_at is None
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, summary__startswith="Approval requested")
    assert (event.actor, event.person, event.object_id, event.summary) == (
        social_worker,
        person,
        str(approval.pk),
        "Approval requested: Care Authorisation Panel",
    )


@pytest.mark.parametrize("service_type", [ServiceCode.RESIDENTIAL, ServiceCode.NURSING, ServiceCode.SUPPORTED_LIVING])
def test_a_placement_or_supported_living_asks_a_head_of_service(service_type, social_worker, person):
    assert requested(social_worker, person, service_type=service_type).kind == Approval.Kind.OUT_OF_PANEL


def test_an_open_question_is_asked_once_and_a_closed_one_again(social_worker, person, cap_member):
    plan = make_plan(social_worker, person)
    first = request_funding(plan, acting_user=social_worker)
    assert request_funding(plan, acting_user=social_worker) == first  # sent again while it waits: the same one
    decided(first, cap_member, "deferred")
    assert request_funding(plan, acting_user=social_worker) == first  # deferred is still open
    decided(first, cap_member, "declined")
    second = request_funding(plan, acting_user=social_worker)
    assert second != first and second.state == S.REQUESTED
    assert Approval.objects.filter(plan=plan).count() == 2


# Allowed ------------------------------------------------------------------------------------
def test_approve_records_the_weekly_amount_and_who_approved(social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, "approved", Decimal("312.40"), "Eligible")
    approval = assert_stepped(approval, "approve", S.REQUESTED, S.APPROVED, cap_member, "Eligible")
    assert approval.approved_weekly_amount == Decimal("312.40")
    assert AuditEvent.objects.filter(
        object_id=str(approval.pk),
        summary="Approved £312.40 a week (Care Authorisation Panel)",
        changes__approved_weekly_amount=[None, "312.40"],
    ).exists()


def test_approve_a_deferred_approval(social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, "deferred", notes="Needs the OT report")
    approval = decided(approval, cap_member, "approved", Decimal("200.00"))
    assert_stepped(approval, "approve", S.DEFERRED, S.APPROVED, cap_member)
    assert list(approval.transitions.values_list("name", "note")) == [
        ("defer", "Needs the OT report"),
        ("approve", ""),
    ]


def test_approve_out_of_panel_by_a_head_of_service(social_worker, person, head_of_service):
    approval = requested(social_worker, person, service_type=ServiceCode.RESIDENTIAL)
    approval = decided(approval, head_of_service, "approved", Decimal("950.00"))
    assert assert_stepped(approval, "approve", S.REQUESTED, S.APPROVED, head_of_service).approved_weekly_amount == (
        Decimal("950.00")
    )


def test_decline_keeps_no_amount(social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, "declined", Decimal("100"), "Not eligible")
    assert assert_stepped(approval, "decline", S.REQUESTED, S.DECLINED, cap_member, "Not eligible")
    assert _fresh(approval).approved_weekly_amount is None


def test_decline_a_deferred_approval_and_out_of_panel(social_worker, person, cap_member, head_of_service):
    approval = decided(requested(social_worker, person), cap_member, "deferred")
    assert_stepped(decided(approval, cap_member, "declined"), "decline", S.DEFERRED, S.DECLINED, cap_member)
    placement = requested(social_worker, person, service_type=ServiceCode.NURSING)
    assert_stepped(decided(placement, head_of_service, "declined"), "decline", S.REQUESTED, S.DECLINED, head_of_service)


def test_defer_and_defer_again(social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, "deferred", notes="More information")
    assert_stepped(approval, "defer", S.REQUESTED, S.DEFERRED, cap_member, "More information")
    approval = decided(approval, cap_member, "deferred", notes="Still waiting")
    assert_stepped(approval, "defer", S.DEFERRED, S.DEFERRED, cap_member, "Still waiting")


# Refused ------------------------------------------------------------------------------------
@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-5")])
def test_approve_refused_without_a_weekly_amount(amount, social_worker, person, cap_member):
    approval = requested(social_worker, person)
    assert_refused(
        approval,
        lambda: decide_approval(approval, acting_user=cap_member, decision="approved", approved_weekly_amount=amount),
        "Enter the approved weekly amount.",
    )


def test_approve_a_respite_allowance_as_a_sum_for_the_year(social_worker, person, cap_member):
    approval = requested(social_worker, person, service_type=ServiceCode.RESPITE)
    assert approval.kind == Approval.Kind.RESPITE_ALLOWANCE
    # A weekly amount sent with it is not kept: an allowance is approved for the year.
    decide_approval(
        approval,
        acting_user=cap_member,
        decision="approved",
        approved_weekly_amount=Decimal("50"),
        approved_annual_amount=Decimal("2400.00"),
    )
    approval = assert_stepped(approval, "approve", S.REQUESTED, S.APPROVED, cap_member)
    assert (approval.approved_annual_amount, approval.approved_weekly_amount) == (Decimal("2400.00"), None)


def test_approve_a_respite_allowance_refused_without_an_annual_amount(social_worker, person, cap_member):
    approval = requested(social_worker, person, service_type=ServiceCode.RESPITE)
    assert_refused(
        approval,
        lambda: decide_approval(
            approval, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("50")
        ),
        "Enter the approved annual allowance.",
    )


@pytest.mark.parametrize("decision", ["approved", "declined", "deferred"])
@pytest.mark.parametrize("who", ["social_worker", "officer_east", "head_of_service"])
def test_a_panel_decision_refused_for_anyone_but_a_cap_member(decision, who, request, social_worker, person):
    approval = requested(social_worker, person)
    user = request.getfixturevalue(who)
    assert_refused(approval, lambda: decided(approval, user, decision), ONLY_THE_PANEL)


@pytest.mark.parametrize("decision", ["approved", "declined"])
def test_an_out_of_panel_decision_refused_for_a_cap_member(decision, social_worker, person, cap_member):
    approval = requested(social_worker, person, service_type=ServiceCode.SUPPORTED_LIVING)
    assert_refused(approval, lambda: decided(approval, cap_member, decision), ONLY_A_HEAD)


def test_defer_refused_out_of_panel(social_worker, person, head_of_service):
    approval = requested(social_worker, person, service_type=ServiceCode.RESIDENTIAL)
    assert_refused(
        approval,
        lambda: decided(approval, head_of_service, "deferred"),
        "An out-of-panel approval is given or declined, not deferred.",
    )


@pytest.mark.parametrize("final", ["approved", "declined"])
@pytest.mark.parametrize("decision", ["approved", "declined", "deferred"])
def test_a_decided_approval_takes_no_further_step(final, decision, social_worker, person, cap_member):
    approval = decided(requested(social_worker, person), cap_member, final)
    label = S(final).label.lower()
    assert_refused(approval, lambda: decided(approval, cap_member, decision), f"An approval that is “{label}” cannot")


def test_a_decision_that_is_none_of_the_three_is_refused(social_worker, person, cap_member):
    approval = requested(social_worker, person)
    assert_refused(
        approval,
        lambda: decided(approval, cap_member, "maybe"),
        "Choose whether funding is approved, declined or deferred.",
    )


# The rules hold in the database and in the model too -----------------------------------------
def test_the_state_moves_only_by_a_step(social_worker, person):
    approval = requested(social_worker, person)
    with pytest.raises(AttributeError):
        approval.state = S.APPROVED


@pytest.mark.parametrize(
    "fields",
    [
        {"state": S.APPROVED, "approved_weekly_amount": None},  # approved needs an amount
        {"state": S.APPROVED, "approved_weekly_amount": Decimal("0")},
        {"state": S.DECLINED, "approved_weekly_amount": Decimal("10")},  # only an approval keeps one
        {"state": S.DEFERRED, "kind": Approval.Kind.OUT_OF_PANEL},  # out of panel is never deferred
        {"state": S.DECLINED, "decided_by": None},  # a decision says who made it
    ],
)
def test_the_database_refuses_an_approval_that_breaks_the_rules(fields, social_worker, person, cap_member):
    row = {
        "kind": Approval.Kind.PANEL,
        "plan": make_plan(social_worker, person),
        "requested_by": social_worker,
        "decided_by": cap_member,
        "decided_at": "2027-01-05T10:00:00Z",
    } | fields
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(**row)


def test_the_database_refuses_a_second_open_approval_for_a_plan(social_worker, person):
    approval = requested(social_worker, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Approval.objects.create(kind=approval.kind, plan=approval.plan, requested_by=social_worker)
    request_approval(plan=approval.plan, kind=approval.kind, acting_user=social_worker)  # the service asks once
    assert Approval.objects.count() == 1


def test_the_machine_offers_no_buttons_here(social_worker, person, cap_member):
    """Decisions are recorded on the page of what asked for them (the referral's funding form), not here."""
    assert APPROVAL_MACHINE.actions(requested(social_worker, person), cap_member) == []


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither.
MACHINE = APPROVAL_MACHINE
STEP_TESTS = {
    "approve": (
        [
            "test_approve_records_the_weekly_amount_and_who_approved",
            "test_approve_a_deferred_approval",
            "test_approve_out_of_panel_by_a_head_of_service",
            "test_approve_a_respite_allowance_as_a_sum_for_the_year",
        ],
        [
            "test_approve_refused_without_a_weekly_amount",
            "test_approve_a_respite_allowance_refused_without_an_annual_amount",
            "test_a_panel_decision_refused_for_anyone_but_a_cap_member[approved]",
            "test_an_out_of_panel_decision_refused_for_a_cap_member[approved]",
            "test_a_decided_approval_takes_no_further_step[approved]",
        ],
    ),
    "decline": (
        ["test_decline_keeps_no_amount", "test_decline_a_deferred_approval_and_out_of_panel"],
        [
            "test_a_panel_decision_refused_for_anyone_but_a_cap_member[declined]",
            "test_an_out_of_panel_decision_refused_for_a_cap_member[declined]",
            "test_a_decided_approval_takes_no_further_step[declined]",
        ],
    ),
    "defer": (
        ["test_defer_and_defer_again"],
        [
            "test_defer_refused_out_of_panel",
            "test_a_panel_decision_refused_for_anyone_but_a_cap_member[deferred]",
            "test_a_decided_approval_takes_no_further_step[deferred]",
        ],
    ),
}
