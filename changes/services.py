"""Domain actions on changes to running packages. Each takes the acting user, checks the rules (the state machine in
changes.workflows and SPEC §2: Brokerage never increases a service without an approved plan), and writes the
change's log and the audit trail in one transaction. The package, its suspensions and its purchase orders are
changed through packages.services; reviews are scheduled through reviews.services; the referral is made active
through referrals.services.

A change referral starts its change when an officer is first given it (catalogue.sourcing); the daily sweep
(apply_due_changes, beat-scheduled in settings) takes the steps that wait for a day.
"""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record_change
from core.exceptions import ActionRefused
from packages import services as packages
from packages.selectors import current_version
from people.access import can_change_person, can_view_person
from referrals.services import record_commissioned
from reviews.selectors import has_open_review
from reviews.services import schedule_review
from reviews.workflows import Kind as ReviewKind

from .models import CHANGE_MACHINE, PackageChange
from .workflows import MADE_STATES, Kind, State

logger = logging.getLogger(__name__)

SIX_WEEKS = timedelta(weeks=6)
TWELVE_MONTHS = timedelta(days=365)


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


# The route (catalogue.sourcing) -------------------------------------------------------------------------------
def start_change(referral, *, acting_user) -> PackageChange:
    """Called by referrals.services in the transaction that first gives a change referral to an officer."""
    if referral.care_package_id is None:
        raise ActionRefused(
            f"{referral.reference} names no running package to change (it was sent before changes named one): "
            "decline it and ask the social worker to send it again."
        )
    change = PackageChange.objects.create(
        referral=referral,
        package_id=referral.care_package_id,
        kind=referral.change,
        starts_on=referral.effective_date,
        ends_on=referral.end_date,
    )
    record_change(
        actor=acting_user,
        obj=change,
        person=referral.person,
        created=True,
        summary=f"Started the {change.called} asked for by {referral.reference}",
    )
    return change


def work_of(referral) -> PackageChange | None:
    return PackageChange.objects.filter(referral=referral).select_related("package").first()


def is_made(referral) -> bool:
    return PackageChange.objects.filter(referral=referral, state__in=MADE_STATES).exists()


def stop(referral, *, acting_user, reason: str) -> PackageChange | None:
    """The referral was withdrawn before its change was arranged (called in that transaction)."""
    change = work_of(referral)
    if change is None:
        return None
    change = _locked(change)
    return CHANGE_MACHINE.apply(change, "stop", acting_user=acting_user, note=reason)


def _locked(change) -> PackageChange:
    return (
        PackageChange.objects.select_for_update(of=("self",))
        .select_related("referral__person", "referral__plan", "package")
        .get(pk=change.pk)
    )


def _step(change, name: str, *, acting_user, note: str = "") -> PackageChange:
    return CHANGE_MACHINE.apply(change, name, acting_user=acting_user, note=note)


# Arranging ------------------------------------------------------------------------------------------------------
@transaction.atomic
def arrange(
    change,
    *,
    acting_user,
    provider_told_on: date,
    provider_told_how: str,
    starts_on: date,
    ends_on: date | None = None,
    reason: str = "",
    detail: str = "",
) -> PackageChange:
    """The officer told the provider and makes the change from `starts_on`:
    - a suspension (why: `reason`, one of PackageSuspension.Reason; until `ends_on`, the day it recommences, if
      known) is recorded and shown on a revised purchase order; it begins at once when `starts_on` has come;
    - a reduction or an increase takes the plan's hours and visits as new terms, with a revised purchase order; an
      increase with `ends_on` is temporary and goes back on that day. A reduction sets a 12-month review for the
      review team, an increase a 6-week review for the social worker who asked.
    Refused, changing nothing, unless the officer allocated the referral takes it, the provider was told (not in
    the future), an increase has its approved plan and adds hours, and a reduction takes hours away."""
    change = _locked(change)
    CHANGE_MACHINE.ensure_may(change, "arrange", acting_user)
    if provider_told_on is not None and provider_told_on > timezone.localdate():
        raise ActionRefused("The day the provider was told cannot be in the future.")
    change.provider_told_on, change.provider_told_how = provider_told_on, provider_told_how.strip()
    change.starts_on, change.ends_on, change.arranged_by = starts_on, ends_on, acting_user
    reasons = CHANGE_MACHINE.unmet_conditions(change, "arrange")
    if reasons:
        raise ActionRefused(" ".join(reasons))
    if change.kind == Kind.SUSPEND:
        change.suspension = packages.suspend_package(
            change.package,
            acting_user=acting_user,
            starts_on=starts_on,
            recommences_on=ends_on,
            reason=reason,
            detail=detail,
        )
        note = f"Suspended from {_long(starts_on)}" + (f", recommencing {_long(ends_on)}" if ends_on else "")
    else:
        change.version = _new_hours(change, acting_user=acting_user)
        note = f"{change.version.weekly_hours} hours a week from {_long(starts_on)}" + (
            f", until {_long(ends_on - timedelta(days=1))}" if ends_on else ""
        )
        _schedule_its_review(change, acting_user=acting_user)
    change = _step(
        change, "arrange", acting_user=acting_user, note=f"{note}. Provider told {provider_told_how.strip()}"
    )
    if change.kind == Kind.SUSPEND and starts_on <= timezone.localdate():
        change = _step(change, "suspend", acting_user=acting_user, note=f"Suspended from {_long(starts_on)}")
    record_commissioned(change.referral, acting_user=acting_user, note=note)
    return change


def _new_hours(change, *, acting_user):
    """The plan's hours and visits as the package's terms from the change's first day."""
    plan, referral = change.referral.plan, change.referral
    if plan is None or plan.weekly_hours is None:
        raise ActionRefused("The change's care and support plan gives no weekly hours: ask the social worker for it.")
    current = current_version(change.package)
    if change.kind == Kind.INCREASE and not plan.weekly_hours > (current.weekly_hours or 0):
        raise ActionRefused(
            f"The plan's {plan.weekly_hours} hours a week are not more than the {current.weekly_hours} the package "
            "has: this is not an increase."
        )
    if change.kind == Kind.REDUCE and not plan.weekly_hours < (current.weekly_hours or 0):
        raise ActionRefused(
            f"The plan's {plan.weekly_hours} hours a week are not fewer than the {current.weekly_hours} the package "
            "has: Brokerage cannot increase a service with a reduction."
        )
    temporary = change.kind == Kind.INCREASE and change.ends_on is not None
    return packages.change_hours(
        change.package,
        acting_user=acting_user,
        valid_from=change.starts_on,
        weekly_hours=plan.weekly_hours,
        visits=packages.planned_visits(plan.visit_schedule),
        reason=f"{'Temporary ' + change.called if temporary else change.called.capitalize()} ({referral.reference})",
        authorised_by=referral.referred_by,
        reverts_on=change.ends_on if temporary else None,
    )


def _schedule_its_review(change, *, acting_user) -> None:
    """A reduction's 12-month review for the review team; an increase's 6-week review for the social worker who
    asked (or, if they no longer hold the case, the one who does). One open review of a kind is enough."""
    if change.kind == Kind.REDUCE:
        kind, due_on, assigned_to = ReviewKind.TWELVE_MONTH, change.starts_on + TWELVE_MONTHS, None
    else:
        kind, due_on = ReviewKind.SIX_WEEK, change.starts_on + SIX_WEEKS
        person = change.referral.person
        asked = change.referral.referred_by
        assigned_to = asked if can_view_person(asked, person) and asked.is_practitioner else person.allocated_worker
    if has_open_review(change.package, kind) or (kind == ReviewKind.SIX_WEEK and assigned_to is None):
        return
    schedule_review(
        package=change.package,
        kind=kind,
        due_on=max(due_on, timezone.localdate()),
        assigned_to=assigned_to,
        acting_user=acting_user,
        note=f"After the {change.called} ({change.reference})",
    )


# Recommencing ---------------------------------------------------------------------------------------------------
@transaction.atomic
def set_recommencement(change, *, acting_user, recommences_on: date) -> PackageChange:
    """The social worker says when the service starts again: from today or earlier it recommences now, with a
    revised purchase order; from a later day the order shows the date and the sweep recommences it then."""
    change = _locked(change)
    if change.kind != Kind.SUSPEND or change.state not in (State.ARRANGED, State.SUSPENDED):
        raise ActionRefused("Only a suspension still in place can have its recommencement set.")
    CHANGE_MACHINE.ensure_may(change, "suspend" if change.state == State.ARRANGED else "recommence", acting_user)
    packages.set_recommencement(change.suspension, acting_user=acting_user, recommences_on=recommences_on)
    change.ends_on = recommences_on
    change.save(update_fields=["ends_on", "modified_at"])
    if change.state == State.SUSPENDED and recommences_on <= timezone.localdate():
        change = _step(change, "recommence", acting_user=acting_user, note=f"Recommenced on {_long(recommences_on)}")
    return change


# The social worker's task ---------------------------------------------------------------------------------------
@transaction.atomic
def record_person_told(change, *, acting_user) -> PackageChange:
    """The person's social worker told them about the change arranged."""
    change = _locked(change)
    if not can_change_person(acting_user, change.referral.person):
        raise ActionRefused("Only the person's social worker records that they were told.")
    if change.state not in MADE_STATES:
        raise ActionRefused("The change is not arranged yet: tell the person once Brokerage has arranged it.")
    if change.person_told_at is not None:
        raise ActionRefused(
            f"{change.referral.person} was already told, on {_long(timezone.localdate(change.person_told_at))}."
        )
    change.person_told_at, change.person_told_by = timezone.now(), acting_user
    change.save(update_fields=["person_told_at", "person_told_by", "modified_at"])
    record_change(
        actor=acting_user,
        obj=change,
        person=change.referral.person,
        summary=f"Told {change.referral.person} about the {change.called} ({change.reference})",
    )
    return change


# The daily sweep ------------------------------------------------------------------------------------------------
def _due(today: date) -> Q:
    return (
        Q(state=State.ARRANGED, kind=Kind.SUSPEND, starts_on__lte=today)
        | Q(state=State.SUSPENDED, ends_on__lte=today)
        | Q(state=State.ARRANGED, kind=Kind.INCREASE, ends_on__lte=today)
    )


def apply_due_changes() -> int:
    """Take each change step whose day has come: suspensions begin and recommence, temporary increases revert,
    each with its revised purchase order. Each change in its own transaction, taken under a row lock that another
    sweep skips (select_for_update(skip_locked=True)) and read again as due, so two sweeps at once, or the same
    sweep twice, apply nothing twice. Returns how many changes moved."""
    today = timezone.localdate()
    moved = 0
    for pk in PackageChange.objects.filter(_due(today)).order_by("pk").values_list("pk", flat=True):
        try:
            with transaction.atomic():
                change = (
                    PackageChange.objects.select_for_update(of=("self",), skip_locked=True)
                    .select_related("referral__person", "package", "suspension", "version", "arranged_by")
                    .filter(_due(today), pk=pk)
                    .first()
                )
                if change is not None:
                    _take_due_steps(change)
                    moved += 1
        except ActionRefused as refusal:  # left due, for the team to see; the next change goes on
            logger.warning("Change %s could not take its scheduled step: %s", pk, refusal.message)
    return moved


def _take_due_steps(change) -> None:
    """In the name of the officer who arranged it: the log says it was scheduled."""
    by = change.arranged_by
    if change.kind == Kind.SUSPEND:
        if change.state == State.ARRANGED:
            packages.begin_suspension(change.package, acting_user=by)
            change = _step(
                change, "suspend", acting_user=by, note=f"Scheduled: suspended from {_long(change.starts_on)}"
            )
        if change.ends_on is not None and change.ends_on <= timezone.localdate():
            packages.recommence_package(change.package, acting_user=by)
            _step(change, "recommence", acting_user=by, note=f"Scheduled: recommenced on {_long(change.ends_on)}")
    else:
        packages.revert_increase(change.package, change.version, acting_user=by)
        _step(
            change, "revert", acting_user=by, note=f"Scheduled: the increase ended, back from {_long(change.ends_on)}"
        )
