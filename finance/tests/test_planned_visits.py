"""Planned visits at their edges: version boundaries, a temporary increase and its reversion, a suspension's first
day and recommencement day, a change of provider's date, bank holidays, and generating the same period again."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from core.models import BankHoliday
from finance.models import ActualVisit, CallMonitoringImport, PlannedVisit, VisitLine
from finance.services import generate_planned_visits
from packages.models import PackageVersion
from packages.tests.factories import suspend

from .factories import (
    BANK_HOLIDAY,
    EVERY_DAY,
    MONDAY,
    SUNDAY,
    change_provider,
    day,
    home_care,
    new_terms,
    provider_of,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def week(user):
    return generate_planned_visits(MONDAY, SUNDAY, acting_user=user)


def planned(package):
    return list(PlannedVisit.objects.filter(package=package).order_by("planned_start", "slot_id"))


def days_of(visits):
    return [(v.day - MONDAY).days for v in visits]


def test_each_day_of_a_week_plans_the_visits_of_the_terms_in_force(person, finance_officer):
    package = home_care(person, slots=[(d, "08:00", 30) for d in EVERY_DAY] + [(3, "18:30", 45, {"carers": 2})])
    version = package.versions.get()
    run = week(finance_officer)
    visits = planned(package)
    assert (run.added, run.removed, run.in_force) == (8, 0, 8)
    assert days_of(visits) == [0, 1, 2, 2, 3, 4, 5, 6]
    evening = visits[3]
    assert evening.planned_start == datetime(2027, 8, 25, 18, 30, tzinfo=LONDON)  # 17:30 UTC: summer time
    assert (evening.minutes, evening.carers, evening.version_id, evening.person_id) == (45, 2, version.pk, person.pk)
    assert (evening.agreement_id, evening.provider_id) == (version.agreement_id, version.agreement.provider_id)
    assert AuditEvent.objects.filter(summary__startswith="Planned visits from 23 August 2027").count() == 1


def test_a_version_ends_the_day_before_the_next_begins(person, finance_officer):
    package = home_care(person)
    later = new_terms(package, valid_from=day(3), slots=[(d, "09:00", 60) for d in EVERY_DAY])
    week(finance_officer)
    visits = planned(package)
    assert [(v.planned_start.astimezone(LONDON).time(), v.minutes) for v in visits] == [(time(8), 30)] * 3 + [
        (time(9), 60)
    ] * 4
    assert {v.version_id for v in visits[3:]} == {later.pk}


def test_a_reduction_plans_fewer_visits_from_its_date(person, finance_officer):
    package = home_care(person, slots=[(d, "08:00", 30) for d in EVERY_DAY] + [(d, "17:00", 30) for d in EVERY_DAY])
    new_terms(package, valid_from=day(5), slots=[(d, "08:00", 30) for d in EVERY_DAY])
    week(finance_officer)
    assert days_of(planned(package)) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6]


def test_a_temporary_increase_reverts_on_its_date_before_and_after_its_reversion_is_recorded(person, finance_officer):
    package = home_care(person)
    before = package.versions.get()
    increase = new_terms(package, valid_from=day(2), reverts_on=day(5), slots=[(d, "08:00", 60) for d in EVERY_DAY])
    week(finance_officer)
    visits = planned(package)
    assert [v.minutes for v in visits] == [30, 30, 60, 60, 60, 30, 30]
    # Until the reversion is recorded, the days from it are the terms before the increase, still under it.
    assert {v.slot.version_id for v in visits[5:]} == {before.pk}
    assert {v.version_id for v in visits[2:]} == {increase.pk}

    reverted = new_terms(package, valid_from=day(5), slots=[(d, "08:00", 30) for d in EVERY_DAY])  # changes sweeps it
    run = week(finance_officer)
    assert (run.added, run.removed) == (2, 2)
    visits = planned(package)
    assert [v.minutes for v in visits] == [30, 30, 60, 60, 60, 30, 30]
    assert {v.version_id for v in visits[5:]} == {reverted.pk}


def test_no_visits_from_a_suspensions_first_day_until_the_day_it_recommences(person, finance_officer):
    package = home_care(person)
    suspend(package, valid_from=day(2), valid_to=day(4))
    week(finance_officer)
    assert days_of(planned(package)) == [0, 1, 4, 5, 6]


def test_a_suspension_until_further_notice_stops_every_visit_from_its_first_day(person, finance_officer):
    package = home_care(person)
    suspend(package, valid_from=day(6), valid_to=None)
    week(finance_officer)
    assert days_of(planned(package)) == [0, 1, 2, 3, 4, 5]


def test_a_change_of_provider_moves_the_visits_on_its_date(person, finance_officer):
    package = home_care(person)
    first = provider_of(package)
    moved = change_provider(package, on=day(4), slots=[(d, "08:00", 30) for d in EVERY_DAY])
    week(finance_officer)
    visits = planned(package)
    assert [v.provider_id for v in visits] == [first.pk] * 4 + [moved.agreement.provider_id] * 3
    assert {v.agreement_id for v in visits[4:]} == {moved.agreement_id}


def test_a_bank_holiday_drops_only_the_visits_that_say_so(person, finance_officer):
    BankHoliday.objects.create(date=BANK_HOLIDAY, name="Summer bank holiday")
    package = home_care(
        person, slots=[(1, "08:00", 30), (1, "11:00", 60, {"on_bank_holidays": False}), (2, "08:00", 30)]
    )
    generate_planned_visits(
        BANK_HOLIDAY - timedelta(days=7), BANK_HOLIDAY + timedelta(days=1), acting_user=finance_officer
    )
    visits = planned(package)
    on_the_day = [v.planned_start.astimezone(LONDON).time() for v in visits if v.day == BANK_HOLIDAY]
    assert on_the_day == [time(8)]  # the morning visit happens; the shopping call does not
    assert len([v for v in visits if v.day == BANK_HOLIDAY - timedelta(days=7)]) == 2  # an ordinary Monday: both


def test_a_visit_saved_with_also_on_bank_holidays_unticked_is_not_planned_on_one(person, finance_officer):
    """From the plan form's box, through the schedule the agreement copies, to the package's visit slots."""
    from packages.services import planned_visits
    from people.forms import PlanForm

    BankHoliday.objects.create(date=BANK_HOLIDAY, name="Summer bank holiday")
    form = PlanForm(
        data={"service_type": "home_care", "outcomes": "Stay home", "visit_schedule_text": "Monday, 12:30, 30, 1"},
        person=person,
    )
    assert form.is_valid(), form.errors
    package = home_care(person, slots=[(1, "08:00", 30)])
    version = package.versions.get()
    for slot in planned_visits(form.cleaned_data["visit_schedule_text"]):
        slot.version = version
        slot.save()
    generate_planned_visits(BANK_HOLIDAY - timedelta(days=7), BANK_HOLIDAY, acting_user=finance_officer)
    starts = [(v.day, v.planned_start.astimezone(LONDON).time()) for v in planned(package)]
    ordinary_monday = BANK_HOLIDAY - timedelta(days=7)
    assert [(d, t) for d, t in starts if d in (ordinary_monday, BANK_HOLIDAY)] == [
        (ordinary_monday, time(8)),
        (ordinary_monday, time(12, 30)),
        (BANK_HOLIDAY, time(8)),
    ]


def test_only_home_care_is_planned_and_only_on_the_days_asked(person, finance_officer):
    package = home_care(person, began=day(2))
    package.service_type_id = "home_care"
    week(finance_officer)
    assert days_of(planned(package)) == [2, 3, 4, 5, 6]
    generate_planned_visits(day(2), day(2), acting_user=finance_officer)
    assert len(planned(package)) == 5


def test_generating_again_changes_nothing_already_there(person, finance_officer):
    package = home_care(person)
    week(finance_officer)
    before = {(v.pk, v.planned_start, v.generated_at) for v in planned(package)}
    run = week(finance_officer)
    assert (run.added, run.removed, run.in_force) == (0, 0, 7)
    assert {(v.pk, v.planned_start, v.generated_at) for v in planned(package)} == before


@pytest.mark.usefixtures("after_the_week")
def test_generating_again_takes_away_visits_suspended_since_unless_decided_or_paid(person, finance_officer):
    from finance.payments import make_payment_run
    from finance.reconciliation import decide_exception, reconcile

    package = home_care(person)
    week(finance_officer)
    matched = PlannedVisit.objects.get(package=package, day=day(3))
    upload = CallMonitoringImport.objects.create(
        file_name="f.csv", sha256="0" * 64, size=1, uploaded_by=finance_officer
    )
    ActualVisit.objects.create(
        call_monitoring_import=upload,
        line=2,
        provider=provider_of(package),
        package=package,
        person=person,
        carer="C-1",
        check_in=matched.planned_start,
        check_out=matched.planned_start + timedelta(minutes=30),
        method="app",
        day=matched.day,
    )
    reconcile(MONDAY, SUNDAY, acting_user=finance_officer)
    rejected = VisitLine.objects.get(package=package, day=day(4))
    decide_exception(rejected.pk, "reject", note="Not delivered.", acting_user=finance_officer)
    make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)  # pays day 3's matched visit
    suspend(package, valid_from=day(2), valid_to=day(5))
    run = week(finance_officer)
    # Day 2's visit goes, with its undecided line; day 3's was paid and day 4's decided: kept, as history.
    assert (run.added, run.removed, run.in_force) == (0, 1, 4)
    assert days_of(planned(package)) == [0, 1, 3, 4, 5, 6]
    assert not VisitLine.objects.filter(package=package, day=day(2)).exists()
    assert VisitLine.objects.filter(package=package).count() == 6


def test_only_a_finance_officer_generates_and_for_a_sensible_period(person, finance_officer, officer_east):
    home_care(person)
    with pytest.raises(ActionRefused, match="finance officer"):
        week(officer_east)
    with pytest.raises(ActionRefused, match="on or after"):
        generate_planned_visits(SUNDAY, MONDAY, acting_user=finance_officer)
    with pytest.raises(ActionRefused, match="92 days"):
        generate_planned_visits(MONDAY, MONDAY + timedelta(days=92), acting_user=finance_officer)
    assert not PlannedVisit.objects.exists()


def test_an_empty_version_replaced_on_its_first_day_plans_nothing(person, finance_officer):
    package = home_care(person)
    empty = new_terms(package, valid_from=day(3), slots=[(d, "12:00", 30) for d in EVERY_DAY])
    new_terms(package, valid_from=day(3), slots=[(d, "13:00", 30) for d in EVERY_DAY])
    assert PackageVersion.objects.get(pk=empty.pk).valid_to == day(3)
    week(finance_officer)
    assert not PlannedVisit.objects.filter(version=empty).exists()
    assert len(planned(package)) == 7
