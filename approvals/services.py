"""Domain actions on approvals: asking for one, and deciding it. Each takes the acting user, checks the rules (the
state machine in approvals.workflows) and writes the log and the audit trail in the caller's transaction. The app
that needs an approval calls these and takes its own step alongside (referrals.services.record_funding_decision)."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record_change
from core.exceptions import ActionRefused

from .models import APPROVAL_MACHINE, Approval
from .workflows import ANNUAL_KINDS, DECIDED_BY, OPEN_STATES, STEP_FOR_DECISION, Kind, State, funding_kind


def _open(plan, kind: Kind) -> Approval | None:
    return Approval.objects.filter(plan=plan, kind=kind, state__in=OPEN_STATES).first()


@transaction.atomic
def request_approval(*, plan, kind: Kind, acting_user) -> Approval:
    """Ask for a decision on the plan, in `requested`. A question of this kind still open for the plan (a referral
    withdrawn and sent again) is the same question: that approval is returned and nothing new is asked."""
    approval = _open(plan, kind)
    if approval is not None:
        return approval
    approval = Approval(plan=plan, kind=kind, requested_by=acting_user)
    approval.full_clean(exclude=["state"], validate_constraints=False)
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:  # the same question asked at the same moment by another request
        return _open(plan, kind)
    record_change(
        actor=acting_user,
        obj=approval,
        person=plan.person,
        created=True,
        summary=f"Approval requested: {approval.get_kind_display()}",
        changes={"kind": kind, "plan": plan.pk},
    )
    return approval


def request_funding(plan, *, acting_user) -> Approval:
    """The plan's open funding approval (the panel's, or out of panel a head of service's), asked for if none is."""
    return request_approval(plan=plan, kind=funding_kind(plan), acting_user=acting_user)


@transaction.atomic
def decide_approval(
    approval: Approval,
    *,
    acting_user,
    decision: str,
    approved_weekly_amount: Decimal | None = None,
    approved_annual_amount: Decimal | None = None,
    notes: str = "",
) -> Approval:
    """Approve (up to a weekly amount, or an allowance for a sum a year), decline or defer: one step of the
    approval's machine, logged with who, when and the notes, or refused with the reason and nothing changed. An
    amount is kept only on an approval, and only the one its kind is approved as."""
    step = STEP_FOR_DECISION.get(decision)
    if step is None:
        raise ActionRefused("Choose whether funding is approved, declined or deferred.")
    approval = Approval.objects.select_for_update(of=("self",)).select_related("plan__person").get(pk=approval.pk)
    if APPROVAL_MACHINE.step(approval, step) is not None and not APPROVAL_MACHINE.may(approval, step, acting_user):
        raise ActionRefused(f"Only {DECIDED_BY[approval.kind].called} can record this funding decision.")
    approved = decision == State.APPROVED
    annual = approval.kind in ANNUAL_KINDS
    approval.approved_weekly_amount = approved_weekly_amount if approved and not annual else None
    approval.approved_annual_amount = approved_annual_amount if approved and annual else None
    approval.notes = notes
    approval.decided_by = acting_user
    approval.decided_at = timezone.now()
    approval.full_clean(exclude=["state"], validate_constraints=False)  # the constraints hold once the step is taken
    APPROVAL_MACHINE.apply(approval, step, acting_user=acting_user, note=notes)
    if approved and annual:
        record_change(
            actor=acting_user,
            obj=approval,
            person=approval.plan.person,
            summary=f"Approved £{approved_annual_amount} a year ({approval.get_kind_display()})",
            changes={"approved_annual_amount": [None, approved_annual_amount]},
        )
    elif approved:
        record_change(
            actor=acting_user,
            obj=approval,
            person=approval.plan.person,
            summary=f"Approved £{approved_weekly_amount} a week ({approval.get_kind_display()})",
            changes={"approved_weekly_amount": [None, approved_weekly_amount]},
        )
    return approval
