"""Domain actions on shared lives arrangements. Each takes the acting user, runs the arrangement's step through
ARRANGEMENT_MACHINE (who may, from which state, with what data) under the arrangement's row lock, and writes its
rows, the log and the audit trail in one transaction; or is refused with the reason and changes nothing. Other
apps' rows are written by their services: approvals (the panel's decision), referrals (the referral to Brokerage,
made active), brokerage (the agreement with the scheme), packages (the package and its purchase order) and
reviews."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from approvals.models import Approval
from approvals.services import decide_approval, request_approval
from audit.services import record_change
from brokerage.services import make_routed_agreement
from catalogue.codes import ServiceCode
from catalogue.sourcing import commissioned_when, work_finder
from core.exceptions import ActionRefused
from packages.services import start_routed_package
from providers.models import Provider
from referrals.models import Referral
from referrals.services import create_referral, record_commissioned
from reviews.services import schedule_first_reviews

from .models import ARRANGEMENT_MACHINE, SharedLivesArrangement, Visit
from .workflows import LIVE_STATES, State, is_scheme

# Which visits are recorded in which state: the tasters after the match, the trial stays after the tasters.
VISITS_IN = {Visit.Kind.TASTER: State.MATCHED, Visit.Kind.TRIAL_STAY: State.TRIAL_STAYS}


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def schemes():
    """The providers that run a shared lives scheme: the ones a person may be referred to."""
    return Provider.objects.filter(active=True, services__service_type_id=ServiceCode.SHARED_LIVES).distinct()


def _locked(arrangement) -> SharedLivesArrangement:
    return (
        SharedLivesArrangement.objects.select_for_update(of=("self",))
        .select_related("person__allocated_worker", "plan", "scheme", "referral")
        .get(pk=arrangement.pk)
    )


def _step(arrangement, name: str, *, acting_user, note: str = "") -> SharedLivesArrangement:
    return ARRANGEMENT_MACHINE.apply(arrangement, name, acting_user=acting_user, note=note)


def _refuse_unmet(arrangement, name: str) -> None:
    if unmet := ARRANGEMENT_MACHINE.unmet_conditions(arrangement, name):
        raise ActionRefused(" ".join(unmet))


# The referral to the scheme ----------------------------------------------------------------------------------------
@transaction.atomic
def refer_to_scheme(*, acting_user, person, plan, scheme, details: str = "") -> SharedLivesArrangement:
    """The social worker sends the person's referral to the shared lives scheme: from now the scheme's staff may see
    the person's details and plan on the arrangement's page (each view audited), to find them a carer. One live
    arrangement per plan."""
    if not (acting_user.is_practitioner and person.allocated_worker_id == acting_user.pk):
        raise ActionRefused("Only the person's social worker refers them to a shared lives scheme.")
    if plan is None or plan.person_id != person.pk:
        raise ActionRefused("Choose one of this person's care and support plans.")
    if plan.service_type_id != ServiceCode.SHARED_LIVES:
        raise ActionRefused("Choose a care and support plan for shared lives.")
    if scheme is None or not schemes().filter(pk=scheme.pk).exists():
        raise ActionRefused("Choose a shared lives scheme from the list.")
    earlier = SharedLivesArrangement.objects.filter(plan=plan, state__in=LIVE_STATES).first()
    if earlier is not None:
        raise ActionRefused(
            f"This plan already has a shared lives arrangement: {earlier.reference}, "
            f"{earlier.get_state_display().lower()}. End it first to refer the person again."
        )
    arrangement = SharedLivesArrangement(
        person=person, plan=plan, scheme=scheme, referral_details=details.strip(), created_by=acting_user
    )
    arrangement.full_clean(exclude=["state"], validate_constraints=False)
    try:
        with transaction.atomic():
            arrangement.save()
    except IntegrityError:  # the same plan referred at the same moment by another request
        raise ActionRefused("This plan already has a shared lives arrangement.") from None
    record_change(
        actor=acting_user,
        obj=arrangement,
        person=person,
        created=True,
        summary=f"Referred to {scheme} for shared lives ({arrangement.reference})",
        changes={"scheme": str(scheme), "plan": plan.pk},
    )
    return arrangement


# The scheme's steps -----------------------------------------------------------------------------------------------
@transaction.atomic
def record_match(
    arrangement, *, acting_user, carer_name: str, carer_reference: str = "", notes: str = ""
) -> SharedLivesArrangement:
    """The scheme has matched the person with one of its shared lives carers."""
    arrangement = _locked(arrangement)
    ARRANGEMENT_MACHINE.ensure_may(arrangement, "record_match", acting_user)
    arrangement.carer_name = carer_name.strip()
    arrangement.carer_reference = carer_reference.strip()
    arrangement.match_notes = notes.strip()
    return _step(arrangement, "record_match", acting_user=acting_user, note=arrangement.carer_name)


@transaction.atomic
def record_no_match(arrangement, *, acting_user, reason: str) -> SharedLivesArrangement:
    """The scheme cannot find a suitable carer: the arrangement ends with the reason."""
    arrangement = _locked(arrangement)
    ARRANGEMENT_MACHINE.ensure_may(arrangement, "record_no_match", acting_user)
    arrangement.ending_reason = reason.strip()
    return _step(arrangement, "record_no_match", acting_user=acting_user, note=arrangement.ending_reason)


@transaction.atomic
def record_visit(arrangement, *, acting_user, kind: str, on: date, outcome: str, notes: str = "") -> Visit:
    """The scheme records a taster session (after the match) or an overnight trial stay (after the tasters went
    well), on a date not in the future, and how it went. One of each kind a day."""
    arrangement = _locked(arrangement)
    if not is_scheme(arrangement, acting_user):
        raise ActionRefused("Only the shared lives scheme records the taster sessions and trial stays.")
    if kind not in VISITS_IN:
        raise ActionRefused("Say whether this was a taster session or an overnight trial stay.")
    kind = Visit.Kind(kind)
    if arrangement.state != VISITS_IN[kind]:
        when = "after the match" if kind == Visit.Kind.TASTER else "once the taster sessions have gone well"
        raise ActionRefused(f"{kind.label}s are recorded {when}, before the case goes to the panel.")
    if outcome not in Visit.Outcome.values:
        raise ActionRefused("Say whether it went well.")
    if on is None or on > timezone.localdate():
        raise ActionRefused("Enter the date it took place: it cannot be in the future.")
    if arrangement.visits.filter(kind=kind, on=on).exists():
        raise ActionRefused(f"A {kind.label.lower()} on {_long(on)} is already recorded.")
    visit = Visit.objects.create(
        arrangement=arrangement, kind=kind, on=on, outcome=outcome, notes=notes.strip(), recorded_by=acting_user
    )
    record_change(
        actor=acting_user,
        obj=arrangement,
        person=arrangement.person,
        summary=f"{kind.label} on {_long(on)}: {visit.get_outcome_display().lower()}",
        changes={"kind": kind, "on": on, "outcome": outcome, "notes": visit.notes},
    )
    return visit


@transaction.atomic
def start_trial_stays(arrangement, *, acting_user) -> SharedLivesArrangement:
    """The taster sessions went well: the scheme arranges overnight trial stays."""
    arrangement = _locked(arrangement)
    return _step(arrangement, "start_trial_stays", acting_user=acting_user)


# The panel --------------------------------------------------------------------------------------------------------
@transaction.atomic
def send_to_panel(arrangement, *, acting_user) -> SharedLivesArrangement:
    """The social worker presents the case at the Care Authorisation Panel: the panel is asked to fund the plan.
    Only once a taster session and an overnight trial stay have gone well."""
    arrangement = _locked(arrangement)
    ARRANGEMENT_MACHINE.ensure_may(arrangement, "send_to_panel", acting_user)
    _refuse_unmet(arrangement, "send_to_panel")
    arrangement.panel_approval = request_approval(
        plan=arrangement.plan, kind=Approval.Kind.PANEL, acting_user=acting_user
    )
    return _step(arrangement, "send_to_panel", acting_user=acting_user, note=f"Carer: {arrangement.carer_name}")


# The arrangement's step after each of the panel's decisions.
STEP_AFTER_DECISION = {
    Approval.State.APPROVED: "approve_funding",
    Approval.State.DECLINED: "decline_funding",
    Approval.State.DEFERRED: "defer_funding",
}


@transaction.atomic
def decide_funding(
    arrangement, *, acting_user, decision: str, approved_weekly_amount: Decimal | None = None, notes: str = ""
) -> SharedLivesArrangement:
    """A panel member records the panel's decision on the plan (approvals), and the arrangement takes its step:
    funded, back to the social worker (declined), or still with the panel (deferred)."""
    arrangement = _locked(arrangement)
    name = STEP_AFTER_DECISION.get(decision)
    if name is None:
        raise ActionRefused("Choose whether funding is approved, declined or deferred.")
    ARRANGEMENT_MACHINE.ensure_may(
        arrangement, name, acting_user, not_permitted="Only a Care Authorisation Panel member records its decision."
    )
    if decision == Approval.State.APPROVED and (approved_weekly_amount is None or approved_weekly_amount <= 0):
        raise ActionRefused("Enter the weekly amount the panel approved.")
    if decision == Approval.State.DECLINED and not notes.strip():
        raise ActionRefused("Say why funding is declined.")
    arrangement.panel_approval = decide_approval(
        arrangement.panel_approval,
        acting_user=acting_user,
        decision=decision,
        approved_weekly_amount=approved_weekly_amount,
        notes=notes.strip(),
    )
    if decision != Approval.State.APPROVED:
        # A declined question is closed: presenting the case again asks the panel anew.
        arrangement.panel_approval = arrangement.panel_approval if decision == Approval.State.DEFERRED else None
    text = f"{_money(approved_weekly_amount)} a week" if decision == Approval.State.APPROVED else ""
    return _step(arrangement, name, acting_user=acting_user, note=". ".join(t for t in (text, notes.strip()) if t))


# Brokerage ----------------------------------------------------------------------------------------------------------
@transaction.atomic
def send_to_brokerage(arrangement, *, acting_user, details: str = "") -> SharedLivesArrangement:
    """The funded plan goes to Brokerage: a referral (referrals.services) that, its plan funded, joins the team's
    queue. The only way a shared lives plan reaches Brokerage (catalogue.sourcing's ready_for_brokerage)."""
    arrangement = _locked(arrangement)
    arrangement = _step(arrangement, "send_to_brokerage", acting_user=acting_user)
    text = details.strip() or (
        f"Shared lives with {arrangement.scheme}: matched with {arrangement.carer_name}; "
        "the tasters and overnight trial stays went well and the panel has funded the plan."
    )
    referral = create_referral(
        acting_user=acting_user,
        person=arrangement.person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.SHARED_LIVES,
        details=f"{arrangement.reference}. {text}",
        plan=arrangement.plan,
    )
    arrangement.referral = referral
    arrangement.save(update_fields=["referral", "modified_at"])
    record_change(
        actor=acting_user,
        obj=arrangement,
        person=arrangement.person,
        summary=f"Sent to Brokerage: {referral.reference}",
        changes={"referral": referral.reference},
    )
    return arrangement


@transaction.atomic
def commission(arrangement, *, acting_user, weekly_cost: Decimal, start_date: date) -> SharedLivesArrangement:
    """The officer updates the record: the service agreement with the scheme at the weekly cost (within the panel's
    approved amount) from the start date, the care package and its first purchase order, the 6-week review for the
    social worker and the 12-month review for the review team; and the referral is active."""
    arrangement = _locked(arrangement)
    ARRANGEMENT_MACHINE.ensure_may(arrangement, "commission", acting_user)
    if start_date is None or start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")
    if weekly_cost is None or weekly_cost != weekly_cost.quantize(Decimal("0.01")):
        raise ActionRefused("Enter the weekly cost in pounds and pence.")
    arrangement.weekly_cost, arrangement.start_date = weekly_cost, start_date
    _refuse_unmet(arrangement, "commission")
    referral = arrangement.referral
    agreement = make_routed_agreement(
        referral,
        acting_user=acting_user,
        provider=arrangement.scheme,
        spot_contract_reason=(
            f"Shared lives through the council's scheme, {arrangement.scheme} ({arrangement.reference}): "
            f"matched with the carer {arrangement.carer_name}."
        ),
        start_date=start_date,
        weekly_cost=weekly_cost,
    )
    version = start_routed_package(referral, agreement, acting_user=acting_user)
    arrangement.agreement, arrangement.package = agreement, version.package
    schedule_first_reviews(
        arrangement.package,
        starts_on=arrangement.start_date,
        acting_user=acting_user,
        note=f"Shared lives {arrangement.reference}: from {_long(arrangement.start_date)}",
    )
    order = version.purchase_order
    arrangement = _step(
        arrangement,
        "commission",
        acting_user=acting_user,
        note=f"{agreement.reference} with {arrangement.scheme}, {_money(weekly_cost)} a week from "
        f"{_long(start_date)}; purchase order {order.number}",
    )
    record_commissioned(
        referral, acting_user=acting_user, note=f"{arrangement.reference}: purchase order {order.number}"
    )
    return arrangement


@transaction.atomic
def end(arrangement, *, acting_user, reason: str) -> SharedLivesArrangement:
    """The social worker or the scheme ends the arrangement before it goes to Brokerage, with the reason."""
    arrangement = _locked(arrangement)
    ARRANGEMENT_MACHINE.ensure_may(arrangement, "end", acting_user)
    arrangement.ending_reason = reason.strip()
    return _step(arrangement, "end", acting_user=acting_user, note=arrangement.ending_reason)


# The route (catalogue.sourcing) ----------------------------------------------------------------------------------
work_of = work_finder(SharedLivesArrangement)


def start(referral, *, acting_user) -> SharedLivesArrangement:
    """Called by referrals.services in the transaction that first gives the referral to an officer: the arrangement
    that sent it is now the officer's to commission. A shared lives referral is only ever made by one
    (ready_for_brokerage), so one without is refused."""
    arrangement = work_of(referral)
    if arrangement is None:
        raise ActionRefused("This shared lives referral has no arrangement with a scheme: it cannot be worked.")
    record_change(
        actor=acting_user,
        obj=arrangement,
        person=arrangement.person,
        summary=f"{referral.reference} taken by {acting_user}: the purchase order is theirs to issue",
    )
    return arrangement


is_commissioned = commissioned_when(SharedLivesArrangement, State.COMMISSIONED)


def stop(referral, *, acting_user, reason: str) -> SharedLivesArrangement | None:
    """Called by referrals.services in the transaction that withdraws the referral: the arrangement ends."""
    arrangement = work_of(referral)
    if arrangement is None or arrangement.state != State.WITH_BROKERAGE:
        return None
    arrangement = _locked(arrangement)
    arrangement.ending_reason = f"The referral to Brokerage was withdrawn: {reason}"
    return _step(arrangement, "stop", acting_user=acting_user, note=reason)


def ready_for_brokerage(plan) -> str | None:
    """Asked by referrals before it makes a shared lives referral: why this plan may not go to Brokerage yet, or
    None. It goes only from its arrangement's page, once the tasters and trial stays went well and the panel funded
    it (send_to_brokerage), so the order of the procedure cannot be skipped."""
    arrangement = (
        SharedLivesArrangement.objects.filter(plan=plan, state__in=LIVE_STATES).first() if plan is not None else None
    )
    if arrangement is None:
        return (
            "Refer the person to a shared lives scheme first: a shared lives plan goes to Brokerage from its "
            "arrangement, once the scheme has found a carer, the taster sessions and overnight trial stays have "
            "gone well and the panel has funded it."
        )
    if arrangement.state == State.WITH_BROKERAGE and arrangement.referral_id is None:
        return None  # send_to_brokerage, now
    if arrangement.state == State.FUNDED:
        return f"Send this plan to Brokerage from its shared lives arrangement, {arrangement.reference}."
    return (
        f"This plan's shared lives arrangement, {arrangement.reference}, is "
        f"“{arrangement.get_state_display().lower()}”: it goes to Brokerage once the taster sessions and overnight "
        "trial stays have gone well and the panel has funded it."
    )
