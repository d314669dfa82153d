"""Domain actions on referrals. Each takes the acting user, checks the rules (the state machine
in referrals.workflows and SPEC §2), and writes the timeline and the audit trail in one
transaction. Views, admin, tasks and tests all call these."""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from approvals.models import Approval
from approvals.services import decide_approval, request_funding
from approvals.workflows import State as Decision
from audit.services import record_change
from catalogue.codes import NOT_BROKERED, REFERRAL_ONLY_SERVICES, ServiceCode
from catalogue.models import ServiceType, code_of
from catalogue.sourcing import route_for, route_of
from core.calendar import add_working_days
from core.exceptions import ActionRefused
from core.tasks import enqueue
from people.access import can_change_person
from people.models import CareAndSupportPlan, Person
from people.services import lock_plan

from .models import REFERRAL_MACHINE, REFERRAL_ONLY_AS_A_NEW_PLAN, REFERRAL_TYPE_OF, Referral, ReferralType
from .running import package_to_change
from .tasks import notify_decision_awaited, notify_funding_decision, notify_options_returned, notify_urgent_arrival
from .workflows import CHANGE_OPEN_STATES, LIVE_STATES, State

# Deadlines are data: when sourcing should be done by, counted from joining the queue. An urgent package is
# sourced within a day whatever the day; a routine one within five working days (core.calendar).
URGENT_SOURCING_TARGET = timedelta(days=1)
ROUTINE_SOURCING_WORKING_DAYS = 5

BROKERAGE_CANNOT_INCREASE = (
    "Brokerage cannot increase a service without a practitioner's authorisation. "
    "The practitioner must send a funded care and support plan."
)
ONLY_PRACTITIONERS_REFER = "Only a practitioner can refer to Brokerage."
REABLEMENT_ONLY_THROUGH_SPA = (
    "Reablement comes to Brokerage only through the single point of access (SPA) team: ask SPA, who screen the "
    "hospital's referral and send the reablement plan from its reablement case."
)
PLAN_NOT_TAKEN = "{called} takes no care and support plan: send it without one."


def apply_transition(referral: Referral, transition_name: str, *, acting_user, note: str = "") -> Referral:
    """Run one step of the referral's machine, refusing with a reason, on its timeline and the audit trail."""
    return REFERRAL_MACHINE.apply(referral, transition_name, acting_user=acting_user, note=note)


def _locked(referral: Referral) -> Referral:
    """The referral re-read under a row lock, so two people cannot move it at once."""
    return Referral.objects.select_for_update(of=("self",)).select_related("person__area", "plan").get(pk=referral.pk)


def _check_new_referral(
    *,
    acting_user,
    person: Person,
    kind: str,
    change: str,
    service_type: str,
    plan: CareAndSupportPlan | None,
    from_reablement_case: bool = False,
) -> ReferralType:
    """The referral's type, once the rules for a new referral are met (SPEC §2, and what its kind asks)."""
    service = ServiceType.objects.filter(code=service_type).first() if service_type else None
    if service_type and service is None:
        raise ActionRefused("Choose a service from the list.")
    if service and not service.is_brokered:
        raise ActionRefused(service.refusal or NOT_BROKERED[service.code])
    if service and not service.offered and kind != Referral.Kind.CHANGE:
        raise ActionRefused(f"{service.name} is no longer offered. Choose another service.")
    if service_type == ServiceCode.REABLEMENT and not (from_reablement_case and acting_user.has_role(Role.SPA_WORKER)):
        raise ActionRefused(REABLEMENT_ONLY_THROUGH_SPA)
    if not acting_user.is_practitioner:
        if kind == Referral.Kind.CHANGE and change == Referral.Change.INCREASE:
            raise ActionRefused(BROKERAGE_CANNOT_INCREASE)
        raise ActionRefused(ONLY_PRACTITIONERS_REFER)
    if not can_change_person(acting_user, person):
        raise ActionRefused("Only the person's allocated practitioner can refer them to Brokerage.")
    if kind == Referral.Kind.CHANGE and not change:
        raise ActionRefused("Say what kind of change this is.")
    if kind != Referral.Kind.CHANGE and change:
        raise ActionRefused("Only a change to an existing service has a kind of change.")
    referral_type = REFERRAL_TYPE_OF.get((kind, change))
    if referral_type is None:
        raise ActionRefused("Choose what kind of referral this is.")
    if plan is not None and not referral_type.asks("plan"):
        called = referral_type.called
        raise ActionRefused(PLAN_NOT_TAKEN.format(called=called[:1].upper() + called[1:]))
    if plan is not None:
        if plan.person_id != person.pk:
            raise ActionRefused("That plan belongs to someone else.")
        if plan.service_type_id != service_type:
            raise ActionRefused("The service asked for must be the service in the plan.")
    if service_type in REFERRAL_ONLY_SERVICES and not referral_type.asks("referred_on_to"):
        raise ActionRefused(REFERRAL_ONLY_AS_A_NEW_PLAN)
    route = route_for(service_type) if kind not in (Referral.Kind.CHANGE, Referral.Kind.SOURCING_SUPPORT) else None
    if route is not None and route.ready_for_brokerage is not None:
        # Work its service type does before Brokerage (shared lives' matching) says whether the plan may come yet.
        if reason := route.ready_for_brokerage(plan):
            raise ActionRefused(reason)
    return referral_type


def _refuse_what_is_missing(referral_type: ReferralType, answers: dict) -> None:
    """Each answer the kind requires, given: the same message the form shows by the field."""
    for question in referral_type.questions:
        answer = answers[question.field]
        if isinstance(answer, str):
            answer = answer.strip()
        if question.required and answer in (None, ""):
            raise ActionRefused(question.missing)


def _only_what_it_asks(referral_type: ReferralType, answers: dict) -> dict:
    """An answer the kind does not ask is not saved, whatever the caller sent: the field keeps its empty value."""
    return {
        name: answer if referral_type.asks(name) else Referral._meta.get_field(name).get_default()
        for name, answer in answers.items()
    }


def _refuse_a_second_referral(*, plan, kind: str, change: str) -> None:
    """One live referral of a kind for a plan (a database constraint too): say which one stands."""
    earlier = Referral.objects.filter(plan=plan, kind=kind, change=change, state__in=LIVE_STATES).first()
    if earlier is not None:
        raise ActionRefused(
            f"There is already a referral of this kind for this plan: {earlier.reference}, "
            f"{earlier.get_state_display().lower()}. Withdraw it first to send a new one."
        )


def _refuse_a_second_change(care_package_id: int, change: str) -> None:
    """One open change of a kind for a package (a database constraint too): say which one stands."""
    earlier = Referral.objects.filter(
        care_package_id=care_package_id, change=change, state__in=CHANGE_OPEN_STATES
    ).first()
    if earlier is not None:
        raise ActionRefused(
            f"This service already has {earlier.referral_type.called} open: {earlier.reference}, "
            f"{earlier.get_state_display().lower()}. Withdraw it first to send a new one."
        )


@transaction.atomic
def create_referral(
    *,
    acting_user,
    person: Person,
    kind: str,
    service_type: str,
    details: str,
    plan: CareAndSupportPlan | None = None,
    change: str = "",
    urgent: bool = False,
    effective_date=None,
    end_date=None,
    puts_person_at_risk: bool = False,
    referred_on_to: str = "",
    from_reablement_case: bool = False,
) -> Referral:
    """Make a referral and send it on its way: to funding, to be held for risk, to the team
    queue, or (referral-only services) on to where it goes.

    What its kind asks (referrals.models.REFERRAL_TYPES) is enforced here as in the form: a plan the kind takes
    none of is refused, as is a required answer left out (a plan, a service, the details, a date); any other answer
    the kind does not ask is not saved. A longer-term assessment, an urgent response and a suspension take no plan."""
    service_type = code_of(service_type)
    referral_type = _check_new_referral(
        acting_user=acting_user,
        person=person,
        kind=kind,
        change=change,
        service_type=service_type,
        plan=plan,
        from_reablement_case=from_reablement_case,  # reablement comes only from SPA's case (reablement.services)
    )
    _refuse_what_is_missing(
        referral_type,
        {
            "plan": plan,
            "service_type": service_type,
            "details": details,
            "urgent": urgent,
            "effective_date": effective_date,
            "end_date": end_date,
            "puts_person_at_risk": puts_person_at_risk,
            "referred_on_to": referred_on_to,
        },
    )
    answers = _only_what_it_asks(
        referral_type,
        {
            "urgent": urgent,
            "effective_date": effective_date,
            "end_date": end_date,
            "puts_person_at_risk": puts_person_at_risk,
            "referred_on_to": referred_on_to,
        },
    )
    answers["urgent"] = answers["urgent"] or referral_type.always_urgent
    if answers["end_date"] and answers["end_date"] <= answers["effective_date"]:
        raise ActionRefused(referral_type.ends_before_it_starts)
    if service_type not in REFERRAL_ONLY_SERVICES:
        answers["referred_on_to"] = ""  # asked for, and shown, only where a referral-only service went
    elif not answers["referred_on_to"].strip():
        raise ActionRefused("Say where this referral-only service was referred to.")
    # A change names the running package it changes, found for the person and service (refused when there is none
    # to change, or it cannot take this change now): a plain id, as packages sits above referrals.
    care_package_id = package_to_change(person, service_type, change) if kind == Referral.Kind.CHANGE else None
    if care_package_id is not None:
        _refuse_a_second_change(care_package_id, change)
    referral = Referral(
        person=person,
        plan=plan,
        kind=kind,
        change=change,
        care_package_id=care_package_id,
        service_type_id=service_type,
        details=details,
        **answers,
        team_id=person.area.team_id,
        referred_by=acting_user,
        created_by=acting_user,
    )
    if plan is not None:
        _refuse_a_second_referral(plan=plan, kind=kind, change=change)
    referral.full_clean(exclude=["state"], validate_constraints=False)  # the state moves only by transition
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:  # the same referral, sent at the same moment by another request
        _refuse_a_second_referral(plan=plan, kind=kind, change=change)
        if care_package_id is not None:
            _refuse_a_second_change(care_package_id, change)
        raise
    record_change(
        actor=acting_user,
        obj=referral,
        person=person,
        created=True,
        summary=f"Referred to Brokerage: {referral.get_kind_display()}",
        changes={"kind": kind, "service_type": service_type, "change": change, "urgent": referral.urgent},
    )
    return submit_referral(referral, acting_user=acting_user)


@transaction.atomic
def submit_referral(referral: Referral, *, acting_user) -> Referral:
    referral = _locked(referral)
    referral.submitted_at = timezone.now()
    if referral.is_referral_only:
        return apply_transition(
            referral, "refer_on", acting_user=acting_user, note=f"Referred to {referral.referred_on_to}"
        )
    if referral.plan_id:
        lock_plan(referral.plan)
    if referral.puts_person_at_risk and referral.risk_strategies_agreed_at is None:
        return apply_transition(referral, "hold_for_risk", acting_user=acting_user)
    if referral.needs_funding and not referral.has_approved_funding:
        referral = apply_transition(referral, "send_for_funding", acting_user=acting_user)
        request_funding(referral.plan, acting_user=acting_user)
        enqueue(notify_decision_awaited, referral.pk)
        return referral
    _mark_queued(referral)
    return _announce_arrival(apply_transition(referral, "send_to_brokerage", acting_user=acting_user))


def _mark_queued(referral: Referral) -> None:
    referral.queued_at = timezone.now()
    referral.due_by = (
        referral.queued_at + URGENT_SOURCING_TARGET
        if referral.urgent
        else add_working_days(referral.queued_at, ROUTINE_SOURCING_WORKING_DAYS)
    )


def _announce_arrival(referral: Referral) -> Referral:
    """A referral that has just joined its team's queue: if urgent, the team is e-mailed once this commits."""
    if referral.urgent:
        enqueue(notify_urgent_arrival, referral.pk)
    return referral


# The referral's step that follows each decision on its plan's funding.
STEP_AFTER_DECISION = {
    Decision.APPROVED: "authorise",
    Decision.DECLINED: "decline_funding",
    Decision.DEFERRED: "defer_funding",
}


@transaction.atomic
def record_funding_decision(
    referral: Referral,
    *,
    acting_user,
    decision: str,
    approved_weekly_amount: Decimal | None = None,
    approved_annual_amount: Decimal | None = None,
    notes: str = "",
) -> Approval:
    """The panel's (or, out of panel, a head of service's) decision on the plan a referral waits on: the approval's
    step and then the referral's, in one transaction, or neither. The approval is the one asked for when the
    referral was sent for funding. The social worker is told once this commits."""
    referral = _locked(referral)
    if referral.state != State.AWAITING_FUNDING:
        raise ActionRefused("This referral is not waiting for a funding decision.")
    approval = decide_approval(
        request_funding(referral.plan, acting_user=referral.referred_by),
        acting_user=acting_user,
        decision=decision,
        approved_weekly_amount=approved_weekly_amount,
        approved_annual_amount=approved_annual_amount,
        notes=notes,
    )
    if approval.state == Decision.APPROVED:
        _mark_queued(referral)
    weekly, annual = approval.approved_weekly_amount, approval.approved_annual_amount
    amount = f"£{weekly} a week" if weekly else f"£{annual} a year" if annual else ""
    apply_transition(referral, STEP_AFTER_DECISION[decision], acting_user=acting_user, note=notes or amount)
    enqueue(notify_funding_decision, referral.pk, approval.transitions.latest("id").pk)
    if approval.state == Decision.APPROVED:
        _announce_arrival(referral)
    return approval


@transaction.atomic
def record_risk_strategies_agreed(referral: Referral, *, acting_user, strategies: str) -> Referral:
    """A practitioner records the agreed risk management strategies; the held change is released."""
    referral = _locked(referral)
    if referral.state != State.HELD_FOR_RISK:
        raise ActionRefused("This referral is not held waiting for risk strategies.")
    if not strategies.strip():
        raise ActionRefused("Describe the risk management strategies that were agreed.")
    if not REFERRAL_MACHINE.may(referral, "release_after_risk_agreed", acting_user):
        raise ActionRefused("Only the person's practitioner can record agreed risk strategies.")
    referral.risk_strategies = strategies
    referral.risk_strategies_agreed_at = timezone.now()
    _mark_queued(referral)
    return _announce_arrival(
        apply_transition(referral, "release_after_risk_agreed", acting_user=acting_user, note=strategies)
    )


@transaction.atomic
def take_referral(referral: Referral, *, acting_user) -> Referral:
    """An officer takes an unallocated task from their team's queue."""
    referral = _locked(referral)
    referral.allocated_to = acting_user
    referral.allocated_at = timezone.now()
    return _start_own_work(apply_transition(referral, "take", acting_user=acting_user), acting_user=acting_user)


@transaction.atomic
def allocate_referral(referral: Referral, *, acting_user, officer: User) -> Referral:
    """The team lead gives a task to an officer of the same team."""
    referral = _locked(referral)
    if not (officer.is_brokerage and officer.team_id == referral.team_id):
        raise ActionRefused("Allocate the task to an officer of this referral's team.")
    previous = referral.allocated_to
    referral.allocated_to = officer
    referral.allocated_at = timezone.now()
    note = f"Allocated to {officer}" + (f" (was {previous})" if previous else "")
    referral = apply_transition(referral, "allocate", acting_user=acting_user, note=note)
    return referral if previous else _start_own_work(referral, acting_user=acting_user)


def _start_own_work(referral: Referral, *, acting_user) -> Referral:
    """A service type sourced in its own app (catalogue.sourcing) starts its work when the referral is first given to
    an officer, in the same transaction: a placement, say."""
    route = route_of(referral)
    if route is not None and referral.is_to_be_sourced:
        route.start(referral, acting_user=acting_user)
    return referral


@transaction.atomic
def record_commissioned(referral: Referral, *, acting_user, note: str = "") -> Referral:
    """Called by a service type's own workflow once it has issued the purchase order: the referral's work is done."""
    referral = _locked(referral)
    referral.active_at = timezone.now()
    return apply_transition(referral, "record_commissioned", acting_user=acting_user, note=note)


@transaction.atomic
def return_sourcing_options(referral: Referral, *, acting_user, options: str) -> Referral:
    """Sourcing support: the officer returns the options found to the social worker."""
    referral = _locked(referral)
    referral.sourcing_options = options
    referral = apply_transition(referral, "return_options", acting_user=acting_user, note=options[:500])
    enqueue(notify_options_returned, referral.pk)
    return referral


@transaction.atomic
def withdraw_referral(referral: Referral, *, acting_user, reason: str) -> Referral:
    referral = _locked(referral)
    if not reason.strip():
        raise ActionRefused("Say why the referral is withdrawn.")
    referral = apply_transition(referral, "withdraw", acting_user=acting_user, note=reason)
    route = route_of(referral)
    if route is not None and route.stop is not None:
        route.stop(referral, acting_user=acting_user, reason=reason)  # its requirement, say, stops taking bids
    return referral
