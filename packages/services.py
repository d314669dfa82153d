"""Domain actions on care packages. Each takes the acting user, checks the rules (the state machine in
packages.workflows), and writes the package's log and the audit trail in one transaction. The agreement and the
purchase orders are changed through their own apps' services: brokerage ends and reprices agreements,
purchase_orders issues, revises and closes orders."""

import re
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import record_change
from brokerage.services import end_agreement, reprice_agreement
from core.exceptions import ActionRefused
from purchase_orders.selectors import order_in_force_for_package
from purchase_orders.services import OrderTerms, close_purchase_order, issue_purchase_order, revise_purchase_order
from referrals.models import Referral
from referrals.workflows import is_allocated_officer

from .models import PACKAGE_MACHINE, CarePackage, PackageAgreement, PackageSuspension, PackageVersion, VisitSlot
from .selectors import live_packages
from .workflows import NOT_THE_TEAM, State, is_team_officer, suspended_today

DAYS = {label: value for value, label in VisitSlot.Day.choices}
PENCE = Decimal("0.01")


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


# The state machine -----------------------------------------------------------------------------------------
def apply_transition(package: CarePackage, transition_name: str, *, acting_user, note: str = "") -> CarePackage:
    """Run one step of the package's machine, refusing with a reason, in its log and on the audit trail."""
    return PACKAGE_MACHINE.apply(package, transition_name, acting_user=acting_user, note=note)


def _locked(package) -> CarePackage:
    """The package re-read under a row lock: two changes to one package wait for each other."""
    return (
        CarePackage.objects.select_for_update(of=("self",)).select_related("person", "service_type").get(pk=package.pk)
    )


# Versions ---------------------------------------------------------------------------------------------------
def planned_visits(schedule) -> list[VisitSlot]:
    """Visit rows from a plan's or an agreement's schedule (a JSON list of {day, time, minutes, carers}, and
    on_bank_holidays: false for a visit not made on bank holidays), each checked: a visit that is not a real day,
    time, length and number of carers is left out."""
    visits = []
    for visit in schedule if isinstance(schedule, list) else []:
        try:
            day, typed, minutes, carers = visit["day"], str(visit["time"]), int(visit["minutes"]), int(visit["carers"])
        except (KeyError, TypeError, ValueError):
            continue
        if (
            isinstance(day, str)
            and day in DAYS
            and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", typed)
            and 5 <= minutes <= 720
            and 1 <= carers <= 4
        ):
            visits.append(
                VisitSlot(
                    day=DAYS[day],
                    time=time(int(typed[:2]), int(typed[3:])),
                    minutes=minutes,
                    carers=carers,
                    on_bank_holidays=visit.get("on_bank_holidays") is not False,
                )
            )
    return visits


def order_terms(version: PackageVersion, suspension: PackageSuspension | None = None) -> OrderTerms:
    """What the version's purchase order is for, its visit schedule included, and the suspension it shows."""
    return OrderTerms(
        suspended_from=suspension.valid_from if suspension else None,
        recommences_on=suspension.valid_to if suspension else None,
        period_start=version.valid_from,
        period_end=version.last_day,
        weekly_hours=version.weekly_hours,
        hourly_rate=version.hourly_rate,
        weekly_cost=version.weekly_cost,
        visits=[
            {"day": v.get_day_display(), "time": f"{v.time:%H:%M}", "minutes": v.minutes, "carers": v.carers}
            for v in version.visits.order_by("day", "time", "id")
        ],
    )


def _issue(agreement, version: PackageVersion, *, acting_user):
    """The version's order, for its package: the database keeps one order of a package in force."""
    return issue_purchase_order(
        agreement, acting_user=acting_user, terms=order_terms(version), care_package_id=version.package_id
    )


def _add_version(package, *, agreement, valid_from: date, reason: str, visits, acting_user, **terms) -> PackageVersion:
    version = PackageVersion(
        package=package, agreement=agreement, valid_from=valid_from, reason=reason, created_by=acting_user, **terms
    )
    version.full_clean(validate_constraints=False)  # the exclusion constraint is the database's to check
    version.save()
    VisitSlot.objects.bulk_create([VisitSlot(version=version, **_fields(v)) for v in visits])
    return version


def _replace_terms(current: PackageVersion, *, valid_from: date, agreement, acting_user, **terms) -> PackageVersion:
    """The current terms end where new ones begin, under the same agreement (repriced, perhaps): the new version,
    with the revised purchase order it issues, superseding the last."""
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    version = _add_version(
        current.package, agreement=agreement, valid_from=valid_from, acting_user=acting_user, **terms
    )
    version.purchase_order = revise_purchase_order(
        agreement, acting_user=acting_user, reason=terms["reason"], terms=order_terms(version)
    )
    version.save(update_fields=["purchase_order"])
    return version


def _fields(visit: VisitSlot) -> dict:
    return {
        "day": visit.day,
        "time": visit.time,
        "minutes": visit.minutes,
        "carers": visit.carers,
        "on_bank_holidays": visit.on_bank_holidays,
    }


def _latest_version(package) -> PackageVersion:
    """The latest terms agreed, open-ended until changed. Read after the package's row lock is taken, so it is
    the latest another change committed."""
    return package.versions.select_related("agreement__provider").order_by("-valid_from", "-id").first()


def _record(package, *, acting_user, summary: str, changes: dict, created=False) -> None:
    record_change(
        actor=acting_user, obj=package, person=package.person, summary=summary, changes=changes, created=created
    )


def _cost_for_hours(version: PackageVersion, weekly_hours) -> Decimal:
    """The weekly cost of `weekly_hours` on the version's terms: its hourly rate, or its weekly price in proportion."""
    if version.hourly_rate is not None:
        return (version.hourly_rate * weekly_hours).quantize(PENCE, ROUND_HALF_UP)
    return (version.weekly_cost * weekly_hours / version.weekly_hours).quantize(PENCE, ROUND_HALF_UP)


# Commissioning ----------------------------------------------------------------------------------------------
@transaction.atomic
def commission_package(referral, *, acting_user) -> PackageVersion:
    """Update the record and issue the purchase order for the referral's agreement. Returns the version the order
    was issued for. The referral does not move: the commission (commissioning.services.issue_purchase_order)
    records the step and makes the referral active.

    A new service starts a package; a change of provider moves the person's package of that service to the new
    agreement (change_provider), so one package never has two live agreements or two orders in force.
    """
    referral = Referral.objects.select_for_update(of=("self",)).select_related("person").get(pk=referral.pk)
    agreement = referral.active_agreement
    if agreement is None or agreement.purchase_orders.exists():
        raise ActionRefused("There is no agreement waiting for a purchase order.")
    if not is_allocated_officer(referral, acting_user):
        raise ActionRefused("Only the officer this referral is allocated to can do this.")
    package = _package_it_changes(referral)
    if package is not None:
        version = change_provider(package, agreement, starts_on=agreement.start_date, acting_user=acting_user)
    else:
        version = _start_package(referral, agreement, acting_user=acting_user)
    return version


@transaction.atomic
def start_routed_package(referral, agreement, *, acting_user) -> PackageVersion:
    """For a service type sourced in its own app (a placement, say): the care package for the agreement that app
    made, its first version, its first purchase order issued, and started. The referral does not move: the app
    calls referrals.services.record_commissioned once it has the order. Refused, changing nothing, for an
    agreement that is not the referral's or already has an order, or for anyone but the allocated officer."""
    referral = Referral.objects.select_for_update(of=("self",)).select_related("person").get(pk=referral.pk)
    if agreement.referral_id != referral.pk or agreement.purchase_orders.exists():
        raise ActionRefused("There is no agreement waiting for a purchase order.")
    if not is_allocated_officer(referral, acting_user):
        raise ActionRefused("Only the officer this referral is allocated to can do this.")
    return _start_package(referral, agreement, acting_user=acting_user)


def _package_it_changes(referral) -> CarePackage | None:
    """For a change of provider, the person's package of that service that it moves; None for anything else, or
    when there is none (a service arranged before this system): then a package starts."""
    if (referral.kind, referral.change) != (Referral.Kind.CHANGE, Referral.Change.CHANGE_PROVIDER):
        return None
    if referral.care_package_id is not None:  # named when the change was made (referrals.running)
        return CarePackage.objects.get(pk=referral.care_package_id)
    found = list(live_packages(referral.person, referral.service_type_id).order_by("id")[:2])
    if len(found) > 1:
        raise ActionRefused(
            f"{referral.person} has more than one {referral.service_type.name.lower()} package: a change of provider "
            "cannot tell which to move. Ask the team lead to end the one no longer delivered first."
        )
    return found[0] if found else None


def _start_package(referral, agreement, *, acting_user) -> PackageVersion:
    """The package for the agreement, made with its first version (or, for an agreement from before packages
    existed, the one the data migration made), its first purchase order issued, and started."""
    link = PackageAgreement.objects.select_related("package").filter(agreement=agreement).first()
    if link is None:
        package = CarePackage(
            person=referral.person,
            service_type_id=referral.service_type_id,
            referral=referral,
            team_id=referral.team_id,
            created_by=acting_user,
        )
        package.full_clean(exclude=["state"])  # the state moves only by transition
        package.save()
        PackageAgreement.objects.create(package=package, agreement=agreement, valid_from=agreement.start_date)
        version = _add_version(
            package,
            agreement=agreement,
            valid_from=agreement.start_date,
            weekly_hours=agreement.weekly_hours,
            hourly_rate=agreement.hourly_rate,
            weekly_cost=agreement.weekly_cost,
            visits=planned_visits(agreement.visit_schedule),
            reason=f"Commissioned from {agreement.provider} ({agreement.reference})",
            acting_user=acting_user,
        )
        _record(
            package,
            acting_user=acting_user,
            created=True,
            summary=f"Made care package {package.reference} for {agreement.reference}",
            changes={"agreement": agreement.reference, "valid_from": version.valid_from},
        )
    else:
        package = _locked(link.package)
        version = _latest_version(package)
    version.purchase_order = _issue(agreement, version, acting_user=acting_user)
    version.save(update_fields=["purchase_order"])
    apply_transition(package, "start", acting_user=acting_user, note=f"Purchase order {version.purchase_order.number}")
    return version


# Changing a running package ---------------------------------------------------------------------------------
def _refuse_unless_team_officer(package, acting_user) -> None:
    if not is_team_officer(package, acting_user):
        raise ActionRefused(NOT_THE_TEAM)


@transaction.atomic
def change_terms(
    package, *, acting_user, valid_from: date, hourly_rate=None, weekly_cost=None, reason: str
) -> PackageVersion:
    """New prices from `valid_from`: the current terms end the day before and a new version starts, with the same
    hours, visits and agreement, and issues a revised purchase order superseding the last. What was in force on
    any earlier day is unchanged. From the day the current terms began, they are replaced: that version is kept,
    empty, with the order it issued. Refused, changing nothing, before the current terms began, or above what
    the practitioner authorised (brokerage.services.reprice_agreement)."""
    package = _locked(package)
    _refuse_unless_team_officer(package, acting_user)
    if package.state != State.ACTIVE:
        raise ActionRefused("Only an active package with a purchase order can be changed.")
    if not reason.strip():
        raise ActionRefused("Say why the terms are changing.")
    current = _latest_version(package)
    if valid_from < current.valid_from:
        raise ActionRefused(
            f"New terms start on or after {_long(current.valid_from)}, the day the current terms began."
        )
    agreement = reprice_agreement(
        current.agreement, acting_user=acting_user, hourly_rate=hourly_rate, weekly_cost=weekly_cost, reason=reason
    )
    version = _replace_terms(
        current,
        agreement=agreement,
        valid_from=valid_from,
        weekly_hours=current.weekly_hours,
        hourly_rate=agreement.hourly_rate,
        weekly_cost=agreement.weekly_cost,
        visits=list(current.visits.all()),
        reason=reason,
        acting_user=acting_user,
    )
    _record(
        package,
        acting_user=acting_user,
        summary=f"New terms for {package.reference} from {_long(valid_from)}",
        changes={
            "reason": reason,
            "valid_from": valid_from,
            "weekly_cost": [current.weekly_cost, version.weekly_cost],
            "purchase_order": version.purchase_order.display_number,
        },
    )
    return version


@transaction.atomic
def change_hours(
    package,
    *,
    acting_user,
    valid_from: date,
    weekly_hours,
    visits: list[VisitSlot],
    reason: str,
    authorised_by,
    reverts_on: date | None = None,
) -> PackageVersion:
    """New hours and visits from `valid_from`, as a practitioner re-assessed them (for reablement, SPA): the current
    terms end the day before and a new version starts under the same agreement at the same rate, the weekly cost
    worked out again (an hourly rate times the new hours; a weekly price in proportion), and a revised purchase
    order supersedes the last. Refused, changing nothing, unless a practitioner authorised it (Brokerage cannot
    increase a service on its own, SPEC §2), the package is active, and the date is on or after the current terms
    began."""
    package = _locked(package)
    _refuse_unless_team_officer(package, acting_user)
    if authorised_by is None or not authorised_by.is_practitioner:
        raise ActionRefused(
            "Brokerage cannot change a service's hours without a practitioner's authorisation: a re-assessment."
        )
    if package.state != State.ACTIVE:
        raise ActionRefused("Only an active package with a purchase order can be changed.")
    if not reason.strip():
        raise ActionRefused("Say why the hours are changing.")
    current = _latest_version(package)
    if valid_from < current.valid_from:
        raise ActionRefused(
            f"New hours start on or after {_long(current.valid_from)}, the day the current terms began."
        )
    if current.hourly_rate is None and not current.weekly_hours:
        raise ActionRefused(f"{package.reference} is not counted in hours: change its terms instead.")
    if reverts_on is not None and reverts_on <= valid_from:
        raise ActionRefused("A temporary change ends after the day it starts.")
    weekly_cost = _cost_for_hours(current, weekly_hours)
    version = _replace_terms(
        current,
        agreement=current.agreement,
        valid_from=valid_from,
        weekly_hours=weekly_hours,
        hourly_rate=current.hourly_rate,
        weekly_cost=weekly_cost,
        visits=visits,
        reason=reason,
        reverts_on=reverts_on,
        acting_user=acting_user,
    )
    _record(
        package,
        acting_user=acting_user,
        summary=f"New hours for {package.reference} from {_long(valid_from)}",
        changes={
            "reason": reason,
            "authorised_by": str(authorised_by),
            "valid_from": valid_from,
            "weekly_hours": [current.weekly_hours, version.weekly_hours],
            "weekly_cost": [current.weekly_cost, version.weekly_cost],
            "purchase_order": version.purchase_order.display_number,
        },
    )
    return version


@transaction.atomic
def change_provider(package, new_agreement, *, starts_on: date, acting_user, reason: str = "") -> PackageVersion:
    """The package moves to `new_agreement` from `starts_on`: the old agreement ends the day before, its purchase
    order is closed on that day, and a new version under the new agreement issues its first purchase order.

    Refused, changing nothing, unless the package is active, the new agreement is for the same person and service,
    delivers no package yet and has begun by `starts_on`, and `starts_on` is after the current terms began. Two changes at once wait for each
    other on the package's row; and were that lock ever missed, the database's exclusion constraint on the
    package's agreements would refuse the second.
    """
    package = _locked(package)
    _refuse_unless_team_officer(package, acting_user)
    if package.state != State.ACTIVE:
        raise ActionRefused(
            f"Only an active package can change provider: {package.reference} is {package.get_state_display().lower()}."
        )
    if (new_agreement.person_id, new_agreement.service_type_id) != (package.person_id, package.service_type_id):
        raise ActionRefused(
            f"Service agreement {new_agreement.reference} is not for {package.person}'s "
            f"{package.service_type.name.lower()}."
        )
    if PackageAgreement.objects.filter(agreement=new_agreement).exists():
        raise ActionRefused(f"Service agreement {new_agreement.reference} already delivers a care package.")
    if starts_on < new_agreement.start_date:
        raise ActionRefused(
            f"Service agreement {new_agreement.reference} starts on {_long(new_agreement.start_date)}: the package "
            "cannot move to it before then."
        )
    current = _latest_version(package)
    old = current.agreement
    if starts_on <= current.valid_from:
        raise ActionRefused(
            f"{package.reference} already has terms from {_long(current.valid_from)}, with {old.provider}: "
            f"a new provider can start from {_long(current.valid_from + timedelta(days=1))}."
        )
    reason = reason or f"Change of provider from {old.provider} to {new_agreement.provider}"
    last_day = starts_on - timedelta(days=1)
    _move_to(package, old=old, new=new_agreement, starts_on=starts_on)
    end_agreement(old, acting_user=acting_user, last_day=last_day, reason=reason, tell_provider=True)
    closed = close_purchase_order(old, acting_user=acting_user, last_day=last_day, reason=reason)
    current.valid_to = starts_on
    current.save(update_fields=["valid_to"])
    version = _add_version(
        package,
        agreement=new_agreement,
        valid_from=starts_on,
        weekly_hours=new_agreement.weekly_hours,
        hourly_rate=new_agreement.hourly_rate,
        weekly_cost=new_agreement.weekly_cost,
        visits=planned_visits(new_agreement.visit_schedule),
        reason=reason,
        acting_user=acting_user,
    )
    version.purchase_order = _issue(new_agreement, version, acting_user=acting_user)
    version.save(update_fields=["purchase_order"])
    _record(
        package,
        acting_user=acting_user,
        summary=f"{package.reference} moves from {old.provider} to {new_agreement.provider} on {_long(starts_on)}",
        changes={
            "reason": reason,
            "agreement": [old.reference, new_agreement.reference],
            "purchase_order": [closed.display_number, version.purchase_order.display_number],
            "valid_from": starts_on,
        },
    )
    return version


def _move_to(package, *, old, new, starts_on: date) -> None:
    """The old agreement's days end where the new one's begin. The exclusion constraint refuses days that overlap
    another agreement of the package: told in words, inside a savepoint so the caller's transaction can go on."""
    try:
        with transaction.atomic():
            PackageAgreement.objects.filter(package=package, agreement=old).update(valid_to=starts_on)
            PackageAgreement.objects.create(package=package, agreement=new, valid_from=starts_on)
    except IntegrityError as error:
        if "package_agreements_never_overlap" not in str(error):
            raise
        raise ActionRefused(
            f"{package.reference} is already delivered under another agreement from {_long(starts_on)}: "
            "someone changed its provider at the same time. Reload the package to see it."
        ) from error


@transaction.atomic
def end_package(package, *, acting_user, last_day: date, reason: str) -> CarePackage:
    """The service ends after `last_day`: the current terms end, the agreement ends, its purchase order (if one
    was issued) is closed on that day, and the package is ended. Refused, changing nothing, without a reason or
    for a last day before the current terms began."""
    package = _locked(package)
    _refuse_unless_team_officer(package, acting_user)
    if package.state == State.ENDED:
        raise ActionRefused(f"{package.reference} has already ended.")
    if not reason.strip():
        raise ActionRefused("Say why the package is ending.")
    current = _latest_version(package)
    if last_day < current.valid_from:
        raise ActionRefused(f"The last day cannot be before the current terms began on {_long(current.valid_from)}.")
    ends = last_day + timedelta(days=1)
    current.valid_to = ends
    current.save(update_fields=["valid_to"])
    PackageAgreement.objects.filter(package=package, agreement=current.agreement).update(valid_to=ends)
    end_agreement(current.agreement, acting_user=acting_user, last_day=last_day, reason=reason)
    if current.purchase_order_id is not None:
        close_purchase_order(current.agreement, acting_user=acting_user, last_day=last_day, reason=reason)
    return apply_transition(package, "end", acting_user=acting_user, note=f"Last day {_long(last_day)}: {reason}")


# Finding the package a change names (referrals.running) ------------------------------------------------------
def package_to_change(person, service_type_id: str, change: str) -> int:
    """The id of the person's running package of this service that a change of kind `change` names; refused, with
    what to do instead, when there is none, more than one, or it cannot take that change now (not started yet, or
    suspended: only recommencing it comes first)."""
    found = list(live_packages(person, service_type_id).select_related("service_type").order_by("id")[:2])
    if not found:
        return _no_package(person, service_type_id)
    if len(found) > 1:
        raise ActionRefused(
            f"{person} has more than one {found[0].service_type.name.lower()} package: Brokerage cannot tell which "
            "to change. Ask the team lead to end the one no longer delivered first."
        )
    package = found[0]
    if package.state == State.PENDING_START:
        raise ActionRefused(
            f"{package.reference} has not started yet: it can be changed once its purchase order is issued."
        )
    if package.state == State.SUSPENDED:
        raise ActionRefused(
            f"{package.reference} is suspended: ask Brokerage to recommence it before changing it"
            + (" again." if change == Referral.Change.SUSPEND else ".")
        )
    return package.pk


def _no_package(person, service_type_id: str):
    from catalogue.models import ServiceType

    service = ServiceType.objects.filter(code=service_type_id).first()
    called = service.name.lower() if service else "service"
    raise ActionRefused(
        f"{person} has no {called} running that Brokerage arranged: a change needs one. "
        "For a new service, send a care and support plan."
    )


# Suspending and recommencing ----------------------------------------------------------------------------------
def _suspension_in_order(package, today: date) -> PackageSuspension | None:
    """The suspension a revised order shows: the one in force today, else the next to come."""
    return (
        package.suspensions.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today))
        .order_by("valid_from", "id")
        .first()
    )


def _revise_for_suspension(package, *, acting_user, reason: str):
    current = _latest_version(package)
    suspension = _suspension_in_order(package, timezone.localdate())
    return revise_purchase_order(
        current.agreement, acting_user=acting_user, reason=reason, terms=order_terms(current, suspension)
    )


@transaction.atomic
def suspend_package(
    package, *, acting_user, starts_on: date, recommences_on: date | None, reason: str, detail: str = ""
) -> PackageSuspension:
    """The service is suspended from `starts_on` until `recommences_on` (the first day back; unknown: until
    further notice). A revised purchase order shows it. A suspension from today or earlier suspends the package at
    once; a later one when its day comes (changes.services.apply_due_changes). Refused, changing nothing, unless
    the package is active, the reason is one of the list, the days do not overlap another suspension and the
    suspension starts on or after the current terms began."""
    package = _locked(package)
    _refuse_unless_team_officer(package, acting_user)
    if package.state != State.ACTIVE:
        raise ActionRefused(f"Only an active package can be suspended: {package.reference} is {_state(package)}.")
    if reason not in PackageSuspension.Reason.values:
        raise ActionRefused("Choose why the service is suspended.")
    if recommences_on is not None and recommences_on <= starts_on:
        raise ActionRefused("The service recommences after the day it is suspended from.")
    current = _latest_version(package)
    if starts_on < current.valid_from:
        raise ActionRefused(
            f"A suspension starts on or after {_long(current.valid_from)}, when the current terms began."
        )
    suspension = PackageSuspension(
        package=package,
        valid_from=starts_on,
        valid_to=recommences_on,
        reason=reason,
        detail=detail.strip(),
        created_by=acting_user,
    )
    suspension.full_clean(validate_constraints=False)  # the exclusion constraint is the database's to check
    _save_suspension(suspension)
    label = suspension.get_reason_display().lower()
    order = _revise_for_suspension(
        package, acting_user=acting_user, reason=f"Suspended from {_long(starts_on)}: {label}"
    )
    _record(
        package,
        acting_user=acting_user,
        summary=f"{package.reference} suspended from {_long(starts_on)}",
        changes={
            "reason": label,
            "valid_from": starts_on,
            "recommences_on": recommences_on or "not known",
            "purchase_order": order.display_number,
        },
    )
    if starts_on <= timezone.localdate():
        apply_transition(
            package, "suspend", acting_user=acting_user, note=f"Suspended from {_long(starts_on)}: {label}"
        )
    return suspension


def _save_suspension(suspension: PackageSuspension) -> None:
    try:
        with transaction.atomic():
            suspension.save()
    except IntegrityError as error:
        if "package_suspensions_never_overlap" not in str(error):
            raise
        raise ActionRefused("The service is already suspended on some of those days.") from error


def _state(package) -> str:
    return package.get_state_display().lower()


@transaction.atomic
def begin_suspension(package, *, acting_user) -> CarePackage:
    """A suspension's first day has come: the package is suspended. Nothing happens to a package already
    suspended, so a second run of the same schedule changes nothing."""
    package = _locked(package)
    if package.state == State.SUSPENDED or not suspended_today(package):
        return package  # suspended already; or its days passed with no sweep (recommence_package catches up)
    suspension = _suspension_in_order(package, timezone.localdate())
    note = f"Suspended from {_long(suspension.valid_from)}" if suspension else ""
    return apply_transition(package, "suspend", acting_user=acting_user, note=note)


@transaction.atomic
def set_recommencement(suspension, *, acting_user, recommences_on: date) -> PackageSuspension:
    """The social worker says when the service starts again: the suspension ends the day before `recommences_on`.
    From today or earlier the package recommences at once and a revised order says it runs again; from a later day
    the revised order shows the date and the package recommences when it comes (changes.services)."""
    package = _locked(suspension.package)
    _refuse_unless_team_officer(package, acting_user)
    suspension = PackageSuspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.valid_to is not None and suspension.valid_to <= timezone.localdate():
        raise ActionRefused(f"{package.reference} already recommenced on {_long(suspension.valid_to)}.")
    if recommences_on <= suspension.valid_from:
        raise ActionRefused(
            f"The service recommences after the day it was suspended from, {_long(suspension.valid_from)}."
        )
    suspension.valid_to = recommences_on
    _save_suspension(suspension)
    _record(
        package,
        acting_user=acting_user,
        summary=f"{package.reference} recommences on {_long(recommences_on)}",
        changes={"recommences_on": recommences_on},
    )
    if recommences_on <= timezone.localdate():
        recommence_package(package, acting_user=acting_user)
    else:
        _revise_for_suspension(
            package, acting_user=acting_user, reason=f"Recommences on {_long(recommences_on)} after a suspension"
        )
    return suspension


@transaction.atomic
def recommence_package(package, *, acting_user) -> CarePackage:
    """The suspension is over: the package is active again and a revised order says so. Nothing happens while a
    suspension goes on, nor once the order says the service runs (a second run of the same schedule). A suspension
    whose days all passed before this ran (no sweep those days) leaves the package active and only revises the
    order."""
    package = _locked(package)
    if suspended_today(package):
        return package
    ended = package.suspensions.filter(valid_to__lte=timezone.localdate()).order_by("-valid_to").first()
    order = order_in_force_for_package(package.pk)
    order_shows_it = ended is not None and order is not None and order.suspended_from == ended.valid_from
    if package.state != State.SUSPENDED and not order_shows_it:
        return package
    back = f"Recommenced on {_long(ended.valid_to)}" if ended else "Recommenced"
    if package.state == State.SUSPENDED:
        apply_transition(package, "recommence", acting_user=acting_user, note=back)
    _revise_for_suspension(package, acting_user=acting_user, reason=back)
    return package


# Temporary increases ------------------------------------------------------------------------------------------
@transaction.atomic
def revert_increase(package, version, *, acting_user) -> PackageVersion | None:
    """A temporary increase's end has come: from its `reverts_on` the package goes back to the terms before it,
    with a revised purchase order. Returns the new version, or None when there is nothing to do: it was reverted
    already (a second run of the same schedule), or later terms have replaced it."""
    package = _locked(package)
    latest = _latest_version(package)
    if latest.pk != version.pk or latest.reverts_on is None:
        return None
    before = (
        package.versions.filter(valid_to=latest.valid_from, valid_from__lt=latest.valid_from)
        .order_by("-valid_from", "-id")
        .first()
    )
    if before is None:
        return None
    reason = f"The temporary increase ended on {_long(latest.reverts_on - timedelta(days=1))}"
    version = _replace_terms(
        latest,
        agreement=latest.agreement,
        valid_from=latest.reverts_on,
        weekly_hours=before.weekly_hours,
        hourly_rate=latest.hourly_rate,
        weekly_cost=_cost_for_hours(latest, before.weekly_hours) if before.weekly_hours else before.weekly_cost,
        visits=list(before.visits.all()),
        reason=reason,
        acting_user=acting_user,
    )
    _record(
        package,
        acting_user=acting_user,
        summary=f"{package.reference} back to {before.weekly_hours} hours a week from {_long(version.valid_from)}",
        changes={
            "reason": reason,
            "weekly_hours": [latest.weekly_hours, version.weekly_hours],
            "weekly_cost": [latest.weekly_cost, version.weekly_cost],
            "purchase_order": version.purchase_order.display_number,
        },
    )
    return version
