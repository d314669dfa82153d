"""Domain actions on reablement cases, only through the single point of access (SPA). Each takes the acting user,
checks the rules (the machine in reablement.workflows), and writes the case's log and the audit trail in one
transaction: a refusal changes nothing.

Who applies a change or an ending: SPA records it and Brokerage applies it, as the Haringey procedure says (SPA
"workflows" Brokerage, which liaises with the provider, changes the record and informs SPA). Brokerage's
applying is the step that changes the package (packages.services), tells the provider and tells SPA.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from audit.services import record_change
from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from core.tasks import enqueue
from packages.selectors import package_for_referral
from packages.services import change_hours, end_package, planned_visits
from people import services as people_services
from referrals.models import Referral
from referrals.services import create_referral

from .models import REABLEMENT_MACHINE, DailyCare, ReablementCase, Reassessment
from .tasks import notify_provider, notify_spa
from .workflows import NOT_SPA

# A day's visits start at these times, in this order: the provider agrees the exact times with the person.
VISIT_TIMES = ["08:00", "12:30", "17:00", "20:00", "10:30", "15:00"]
DAY_NAMES = dict(DailyCare.Day.choices)


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _locked(case) -> ReablementCase:
    return ReablementCase.objects.select_for_update(of=("self",)).select_related("person", "referral").get(pk=case.pk)


def _may(case, name: str, user) -> None:
    """Refuse before anything is written: a step not open from this state, or not this user's to take."""
    if REABLEMENT_MACHINE.step(case, name) is None:
        raise ActionRefused(REABLEMENT_MACHINE.unmet_conditions(case, name)[0])
    if not REABLEMENT_MACHINE.may(case, name, user):
        raise ActionRefused(NOT_SPA)


def _apply(case, name: str, *, acting_user, note: str = "") -> ReablementCase:
    return REABLEMENT_MACHINE.apply(case, name, acting_user=acting_user, note=note)


def _record(case, *, acting_user, summary: str, changes: dict, created=False) -> None:
    record_change(actor=acting_user, obj=case, person=case.person, summary=summary, changes=changes, created=created)


# The daily breakdown ----------------------------------------------------------------------------------------
def _check_days(days, weekly_hours: Decimal) -> list[tuple[int, Decimal, int]]:
    """The breakdown's rows (day, hours, visits), each a real day with hours and visits, adding up to the week."""
    rows = [(int(day), Decimal(hours), int(visits)) for day, hours, visits in days]
    if not rows:
        raise ActionRefused("Enter the breakdown by day: the hours and visits on at least one day.")
    if len({day for day, _, _ in rows}) != len(rows) or any(day not in DAY_NAMES for day, _, _ in rows):
        raise ActionRefused("Enter each day of the breakdown once.")
    for day, hours, visits in rows:
        if not (Decimal("0") < hours <= 12 and 1 <= visits <= len(VISIT_TIMES)):
            raise ActionRefused(
                f"{DAY_NAMES[day]}: enter between 0.25 and 12 hours, in 1 to {len(VISIT_TIMES)} visits."
            )
    total = sum((hours for _, hours, _ in rows), Decimal("0"))
    if total != weekly_hours:
        raise ActionRefused(
            f"The breakdown by day adds up to {total.normalize():f} hours, not the {weekly_hours.normalize():f} "
            "hours a week of the plan."
        )
    return sorted(rows)


def visit_schedule(rows) -> list[dict]:
    """The breakdown as visits (packages' and plans' schedule: day, time, minutes, carers): each day's hours shared
    between its visits."""
    schedule = []
    for day, hours, visits in rows:
        minutes = int(hours * 60 / visits)
        for time in VISIT_TIMES[:visits]:
            schedule.append({"day": DAY_NAMES[day], "time": time, "minutes": minutes, "carers": 1})
    return schedule


def _save_days(case, rows, reassessment=None) -> None:
    DailyCare.objects.bulk_create(
        [DailyCare(case=case, reassessment=reassessment, day=d, hours=h, visits=v) for d, h, v in rows]
    )


# The hospital's referral and SPA's screening ----------------------------------------------------------------
@transaction.atomic
def record_hospital_referral(
    *,
    acting_user,
    hospital: str,
    ward: str,
    referred_by_name: str,
    expected_discharge: date,
    needs: str,
    person=None,
    new_person: dict | None = None,
) -> ReablementCase:
    """The hospital's pathway referral reaches SPA: for a person SPA holds, or one SPA records now (SPA workers
    are practitioners, so may record people: people.services.create_person)."""
    if not acting_user.has_role(Role.SPA_WORKER):
        raise ActionRefused(NOT_SPA)
    if (person is None) == (new_person is None):
        raise ActionRefused("Choose the person, or record a new one.")
    if person is None:
        person = people_services.create_person(acting_user=acting_user, **new_person)
    elif person.allocated_worker_id != acting_user.pk:
        raise ActionRefused("Choose someone on your caseload, or record a new person.")
    case = ReablementCase(
        person=person,
        hospital=hospital,
        ward=ward,
        referred_by_name=referred_by_name,
        expected_discharge=expected_discharge,
        needs=needs,
        created_by=acting_user,
    )
    case.full_clean(exclude=["state"])
    case.save()
    _record(
        case,
        acting_user=acting_user,
        created=True,
        summary=f"Hospital pathway referral for reablement from {hospital}, {ward}",
        changes={"hospital": hospital, "ward": ward, "expected_discharge": expected_discharge},
    )
    return case


@transaction.atomic
def accept_case(case, *, acting_user) -> ReablementCase:
    """SPA screens the referral and accepts it: the reablement plan is next."""
    return _apply(_locked(case), "accept", acting_user=acting_user)


@transaction.atomic
def not_accept_case(case, *, acting_user, reason: str) -> ReablementCase:
    """SPA screens the referral and does not accept it, saying why."""
    case = _locked(case)
    case.not_accepted_reason = reason.strip()
    return _apply(case, "not_accept", acting_user=acting_user, note=case.not_accepted_reason)


# The reablement plan ----------------------------------------------------------------------------------------
@transaction.atomic
def write_plan(case, *, acting_user, weekly_hours: Decimal, start_date: date, worker, days) -> ReablementCase:
    """SPA's reablement plan: hours a week, a breakdown by day (rows of day, hours, visits) adding up to them, a
    start date and the named reablement worker (an SPA worker). It is also the person's care and support plan for
    reablement (people.services.create_plan), which the referral to Brokerage carries."""
    case = _locked(case)
    _may(case, "write_plan", acting_user)
    if worker is None or not worker.has_role(Role.SPA_WORKER) or not worker.is_active:
        raise ActionRefused("Name the reablement worker: someone in the single point of access team.")
    if start_date < timezone.localdate():
        raise ActionRefused("The start date cannot be in the past.")
    rows = _check_days(days, weekly_hours)
    case.weekly_hours, case.start_date, case.worker = weekly_hours, start_date, worker
    case.plan = people_services.create_plan(
        case.person,
        acting_user=acting_user,
        service_type=ServiceCode.REABLEMENT,
        weekly_hours=weekly_hours,
        visit_schedule=visit_schedule(rows),
        outcomes=f"To regain independence at home after a stay in {case.hospital}.",
        specific_or_complex_needs=case.needs,
    )
    case.full_clean(exclude=["state"])
    _save_days(case, rows)
    _apply(case, "write_plan", acting_user=acting_user, note=f"{weekly_hours} hours a week from {_long(start_date)}")
    _record(
        case,
        acting_user=acting_user,
        summary=f"Wrote the reablement plan for {case.reference}",
        changes={"weekly_hours": weekly_hours, "start_date": start_date, "worker": str(worker)},
    )
    return case


@transaction.atomic
def send_to_brokerage(case, *, acting_user) -> ReablementCase:
    """SPA sends the plan to Brokerage (step 3 of the procedure): a referral for a new plan, which needs no panel
    and joins the team's queue for the person's area. Brokerage sources it as home care."""
    case = _locked(case)
    _may(case, "send_to_brokerage", acting_user)
    case.referral = create_referral(
        acting_user=acting_user,
        person=case.person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type=ServiceCode.REABLEMENT,
        plan=case.plan,
        from_reablement_case=True,
        details=(
            f"Reablement from the hospital pathway ({case.hospital}, {case.ward}): {case.weekly_hours} hours a "
            f"week from {_long(case.start_date)}, as the daily breakdown in the plan. Reablement worker: "
            f"{case.worker}. Case {case.reference}."
        ),
    )
    return _apply(case, "send_to_brokerage", acting_user=acting_user, note=case.referral.reference)


# Re-assessments ---------------------------------------------------------------------------------------------
@transaction.atomic
def record_reassessment(
    case,
    *,
    acting_user,
    assessed_on: date,
    weekly_hours: Decimal,
    effective_date: date,
    findings: str,
    days,
    evidence: str = "",
) -> Reassessment:
    """SPA's re-assessment asks Brokerage for more or fewer hours from a date. A decrease is refused without the
    evidence that the reduced service will still be enough (the procedure)."""
    case = _locked(case)
    _may(case, "reassess", acting_user)
    previous = case.hours_in_force
    if weekly_hours == previous:
        raise ActionRefused(f"The service is already {previous} hours a week: enter the new hours.")
    if not findings.strip():
        raise ActionRefused("Say what the re-assessment found.")
    if weekly_hours < previous and not evidence.strip():
        raise ActionRefused(
            "A decrease needs the evidence that the reduced service will still be enough for the person to reach "
            "their baseline independence: record it."
        )
    rows = _check_days(days, weekly_hours)
    reassessment = Reassessment(
        case=case,
        assessed_on=assessed_on,
        weekly_hours=weekly_hours,
        previous_hours=previous,
        effective_date=effective_date,
        findings=findings.strip(),
        evidence=evidence.strip(),
        recorded_by=acting_user,
    )
    reassessment.full_clean()
    reassessment.save()
    _save_days(case, rows, reassessment)
    note = f"{reassessment.direction} from {previous} to {weekly_hours} hours a week from {_long(effective_date)}"
    _apply(case, "reassess", acting_user=acting_user, note=note)
    _record(
        case,
        acting_user=acting_user,
        created=True,
        summary=f"Re-assessed {case.reference}: {note}",
        changes={"weekly_hours": [previous, weekly_hours], "effective_date": effective_date},
    )
    return reassessment


@transaction.atomic
def apply_reassessment(case, *, acting_user) -> ReablementCase:
    """Brokerage applies SPA's re-assessment: the package gets a new version with the new hours and visits from
    its date and a revised purchase order (packages.services.change_hours); the provider and SPA are told."""
    case = _locked(case)
    _may(case, "apply_change", acting_user)
    reassessment = case.pending_reassessment
    package = package_for_referral(case.referral_id)
    if reassessment is None or package is None:
        raise ActionRefused(" ".join(REABLEMENT_MACHINE.unmet_conditions(case, "apply_change")))
    direction = f"{reassessment.direction.lower()} to {reassessment.weekly_hours} hours a week"
    _apply(
        case, "apply_change", acting_user=acting_user, note=f"From {_long(reassessment.effective_date)}: {direction}"
    )
    rows = [(d.day, d.hours, d.visits) for d in reassessment.days.all()]
    change_hours(
        package,
        acting_user=acting_user,
        valid_from=reassessment.effective_date,
        weekly_hours=reassessment.weekly_hours,
        visits=planned_visits(visit_schedule(rows)),
        reason=f"SPA re-assessment of {_long(reassessment.assessed_on)}: {direction}",
        authorised_by=reassessment.recorded_by,
    )
    reassessment.applied_by, reassessment.applied_at = acting_user, timezone.now()
    reassessment.save(update_fields=["applied_by", "applied_at"])
    enqueue(notify_provider, case.pk, "change")
    enqueue(notify_spa, case.pk, "change")
    return case


# The ending -------------------------------------------------------------------------------------------------
@transaction.atomic
def request_termination(
    case,
    *,
    acting_user,
    reason: str,
    last_day: date | None,
    admitted_on: date | None = None,
    discharge_expected: bool = False,
    note: str = "",
) -> ReablementCase:
    """SPA asks Brokerage to end reablement after `last_day`, only for the procedure's two reasons: back at
    baseline independence, or in hospital a week or longer with no expected discharge date."""
    case = _locked(case)
    _may(case, "request_termination", acting_user)
    case.termination_reason = reason
    case.last_day = last_day
    case.admitted_on = admitted_on if reason == ReablementCase.Ending.IN_HOSPITAL else None
    case.discharge_expected = discharge_expected if reason == ReablementCase.Ending.IN_HOSPITAL else False
    case.termination_note = note.strip()
    problem = case.termination_reason_problem()
    if problem:
        raise ActionRefused(problem)
    ending = case.get_termination_reason_display()
    return _apply(case, "request_termination", acting_user=acting_user, note=f"{ending}; last day {_long(last_day)}")


@transaction.atomic
def terminate(case, *, acting_user) -> ReablementCase:
    """Brokerage ends the package on the last day SPA gave (packages.services.end_package: the agreement ends and
    its purchase order is closed); the provider and SPA are told."""
    case = _locked(case)
    _may(case, "terminate", acting_user)
    package = package_for_referral(case.referral_id)
    if package is None:
        raise ActionRefused(" ".join(REABLEMENT_MACHINE.unmet_conditions(case, "terminate")))
    reason = f"Reablement ended through SPA: {case.get_termination_reason_display().lower()}"
    _apply(case, "terminate", acting_user=acting_user, note=f"Last day {_long(case.last_day)}")  # while it runs
    end_package(package, acting_user=acting_user, last_day=case.last_day, reason=reason)
    enqueue(notify_provider, case.pk, "end")
    enqueue(notify_spa, case.pk, "end")
    return case
