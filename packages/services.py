"""Domain actions on care packages. Each takes the acting user, checks the rules (the state machine in
packages.workflows), and writes the package's log and the audit trail in one transaction. The agreement and the
purchase orders are changed through their own apps' services: brokerage ends and reprices agreements,
purchase_orders issues, revises and closes orders."""

import re
from datetime import date, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction

from audit.services import record_change
from brokerage.services import end_agreement, reprice_agreement
from core.exceptions import ActionRefused
from purchase_orders.services import OrderTerms, close_purchase_order, issue_purchase_order, revise_purchase_order
from referrals.models import Referral
from referrals.workflows import is_allocated_officer

from .models import PACKAGE_MACHINE, CarePackage, PackageAgreement, PackageVersion, VisitSlot
from .selectors import live_packages
from .workflows import NOT_THE_TEAM, State, is_team_officer

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
    """Visit rows from a plan's or an agreement's schedule (a JSON list of {day, time, minutes, carers}), each
    checked: a visit that is not a real day, time, length and number of carers is left out."""
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
                VisitSlot(day=DAYS[day], time=time(int(typed[:2]), int(typed[3:])), minutes=minutes, carers=carers)
            )
    return visits


def order_terms(version: PackageVersion) -> OrderTerms:
    """What the version's purchase order is for, its visit schedule included."""
    return OrderTerms(
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


def _fields(visit: VisitSlot) -> dict:
    return {"day": visit.day, "time": visit.time, "minutes": visit.minutes, "carers": visit.carers}


def _latest_version(package) -> PackageVersion:
    """The latest terms agreed, open-ended until changed. Read after the package's row lock is taken, so it is
    the latest another change committed."""
    return package.versions.select_related("agreement__provider").order_by("-valid_from", "-id").first()


def _record(package, *, acting_user, summary: str, changes: dict, created=False) -> None:
    record_change(
        actor=acting_user, obj=package, person=package.person, summary=summary, changes=changes, created=created
    )


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
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    version = _add_version(
        package,
        agreement=agreement,
        valid_from=valid_from,
        weekly_hours=current.weekly_hours,
        hourly_rate=agreement.hourly_rate,
        weekly_cost=agreement.weekly_cost,
        visits=list(current.visits.all()),
        reason=reason,
        acting_user=acting_user,
    )
    version.purchase_order = revise_purchase_order(
        agreement, acting_user=acting_user, reason=reason, terms=order_terms(version)
    )
    version.save(update_fields=["purchase_order"])
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
    package, *, acting_user, valid_from: date, weekly_hours, visits: list[VisitSlot], reason: str, authorised_by
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
    if current.hourly_rate is not None:
        weekly_cost = (current.hourly_rate * weekly_hours).quantize(PENCE, ROUND_HALF_UP)
    elif current.weekly_hours:
        weekly_cost = (current.weekly_cost * weekly_hours / current.weekly_hours).quantize(PENCE, ROUND_HALF_UP)
    else:
        raise ActionRefused(f"{package.reference} is not counted in hours: change its terms instead.")
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    version = _add_version(
        package,
        agreement=current.agreement,
        valid_from=valid_from,
        weekly_hours=weekly_hours,
        hourly_rate=current.hourly_rate,
        weekly_cost=weekly_cost,
        visits=visits,
        reason=reason,
        acting_user=acting_user,
    )
    version.purchase_order = revise_purchase_order(
        current.agreement, acting_user=acting_user, reason=reason, terms=order_terms(version)
    )
    version.save(update_fields=["purchase_order"])
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
    end_agreement(old, acting_user=acting_user, last_day=last_day, reason=reason)
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
