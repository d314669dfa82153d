"""Reconciliation's matching rules at their edges: the start tolerance and the late window, the share of planned
time, missed, unplanned and duplicate visits, two carers, the nearest start winning, the pay basis and its pence,
reconciling again, and finance's decisions on the exceptions (a test per step taken and refused)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from finance.models import (
    VISIT_LINE_MACHINE,
    ActualVisit,
    PaymentLine,
    PaymentRun,
    PlannedVisit,
    ProviderStatement,
    VisitLine,
)
from finance.reconciliation import current_tolerances, decide_exception, reconcile, set_tolerances
from finance.services import generate_planned_visits

from .conftest import AFTER_THE_WEEK
from .factories import MONDAY, SUNDAY, home_care, provider_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("after_the_week")]
LONDON = ZoneInfo("Europe/London")

MACHINE = VISIT_LINE_MACHINE
A = "finance/tests/test_reconciliation.py::"
STEP_TESTS = {
    "accept": (
        [A + "test_accepting_an_exception_with_a_note_makes_it_payable_and_audited"],
        [A + "test_a_decision_needs_a_note_a_finance_officer_and_an_open_exception"],
    ),
    "reject": (
        [A + "test_rejecting_an_exception_keeps_it_unpaid"],
        [
            A + "test_a_decision_needs_a_note_a_finance_officer_and_an_open_exception",
            A + "test_a_paid_line_cannot_be_decided_again",
        ],
    ),
}


def logged(upload, package, *, on=MONDAY, at="08:00", minutes=30, carer="C-1"):
    """A carer's visit as call monitoring logged it: `at` local time on `on`, lasting `minutes`."""
    start = datetime.combine(on, datetime.strptime(at, "%H:%M").time(), tzinfo=LONDON)
    return ActualVisit.objects.create(
        call_monitoring_import=upload,
        line=2,
        provider=provider_of(package),
        package=package,
        person=package.person,
        carer=carer,
        check_in=start,
        check_out=start + timedelta(minutes=minutes),
        method="app",
        day=on,
    )


def one_day(person, user, *, slots=None):
    package = home_care(person, slots=slots if slots is not None else [(1, "08:00", 30)])
    generate_planned_visits(MONDAY, MONDAY, acting_user=user)
    return package


def lines(package):
    return list(VisitLine.objects.filter(package=package).order_by("day", "planned_id", "carer_number", "id"))


def outcomes(package):
    return sorted((line.outcome, line.state) for line in lines(package))


def week(user):
    return reconcile(MONDAY, MONDAY, acting_user=user)


# Matching rules ------------------------------------------------------------------------------------------------
def test_a_visit_on_time_and_long_enough_is_matched_and_payable(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    actual = logged(upload, package, at="08:03", minutes=28)
    run = week(finance_officer)
    (line,) = lines(package)
    assert (line.outcome, line.state, line.actual_id, line.start_difference) == ("matched", "payable", actual.pk, 3)
    # Paid for the time the carer stayed (the default), at the package's £20.00 an hour: 28 minutes is £9.33.
    assert (line.payable_minutes, line.amount_pence) == (28, 933)
    assert (run.matched, run.exceptions, run.kept) == (1, 0, 0)
    assert AuditEvent.objects.filter(summary__startswith="Reconciled 23 August 2027").exists()


@pytest.mark.parametrize(
    ("at", "outcome"),
    [
        ("08:15", "matched"),
        ("07:45", "matched"),
        ("08:16", "late"),
        ("07:44", "late"),
        ("10:00", "late"),
        ("10:01", "unplanned"),
    ],
)
def test_the_start_tolerance_and_the_late_window_at_their_edges(person, finance_officer, upload, at, outcome):
    package = one_day(person, finance_officer)
    logged(upload, package, at=at)
    week(finance_officer)
    found = outcomes(package)
    if outcome == "unplanned":
        assert found == [("missed", "open"), ("unplanned", "open")]
    else:
        assert found == [(outcome, "payable" if outcome == "matched" else "open")]


@pytest.mark.parametrize(("minutes", "outcome"), [(30, "matched"), (29, "short")])
def test_a_visit_must_last_the_share_of_planned_time_finance_asks(person, finance_officer, upload, minutes, outcome):
    package = one_day(person, finance_officer, slots=[(1, "08:00", 40)])  # 75% of 40 minutes is 30
    logged(upload, package, minutes=minutes)
    week(finance_officer)
    assert outcomes(package) == [(outcome, "payable" if outcome == "matched" else "open")]


def test_a_planned_visit_nobody_logged_is_missed_at_its_planned_cost(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    week(finance_officer)
    (line,) = lines(package)
    assert (line.outcome, line.state, line.actual_id, line.amount_pence) == ("missed", "open", None, 1000)


def test_the_same_carer_logged_twice_and_a_second_carer_on_a_one_carer_visit_are_duplicates(
    person, finance_officer, upload
):
    package = one_day(person, finance_officer)
    first = logged(upload, package, at="08:00", carer="C-1")
    logged(upload, package, at="08:05", carer="C-1")  # the same carer checked in again inside the visit
    logged(upload, package, at="08:02", carer="C-2")  # another carer at a one-carer visit
    week(finance_officer)
    found = lines(package)
    assert [(line.outcome, line.actual_id == first.pk) for line in found if line.outcome == "matched"] == [
        ("matched", True)
    ]
    assert sorted(line.outcome for line in found) == ["duplicate", "duplicate", "matched"]


def test_a_visit_on_its_own_with_no_plan_is_unplanned(person, finance_officer, upload):
    package = one_day(person, finance_officer, slots=[(2, "08:00", 30)])  # planned on Tuesdays only
    logged(upload, package, at="14:00", minutes=45)
    week(finance_officer)
    (line,) = lines(package)
    assert (line.outcome, line.planned_id, line.actual_minutes, line.amount_pence) == ("unplanned", None, 45, 1500)


def test_a_two_carer_visit_needs_two_carers(person, finance_officer, upload):
    package = one_day(person, finance_officer, slots=[(1, "18:00", 30, {"carers": 2})])
    logged(upload, package, at="18:01", carer="C-1")
    week(finance_officer)
    assert outcomes(package) == [("matched", "payable"), ("missed", "open")]
    logged(upload, package, at="18:03", carer="C-2")
    week(finance_officer)
    assert outcomes(package) == [("matched", "payable"), ("matched", "payable")]
    assert {line.carer_number for line in lines(package)} == {1, 2}


def test_the_nearest_start_wins_whatever_order_the_rows_come_in(person, finance_officer, upload):
    package = one_day(person, finance_officer, slots=[(1, "08:00", 30), (1, "08:20", 30)])
    late = logged(upload, package, at="08:19", carer="C-2")
    early = logged(upload, package, at="08:05", carer="C-1")  # within 15 minutes of both plans, nearer 08:00
    week(finance_officer)
    by_plan = {
        line.planned.planned_start.astimezone(LONDON).strftime("%H:%M"): line.actual_id for line in lines(package)
    }
    assert by_plan == {"08:00": early.pk, "08:20": late.pk}


def test_paid_for_the_planned_time_when_finance_says_so(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    logged(upload, package, minutes=25)
    set_tolerances(
        start_minutes=15,
        late_window_minutes=120,
        min_duration_percent=75,
        pay_basis="planned",
        acting_user=finance_officer,
    )
    week(finance_officer)
    (line,) = lines(package)
    assert (line.payable_minutes, line.amount_pence) == (30, 1000)


def test_the_time_a_carer_stayed_is_paid_up_to_the_planned_time_and_pence_round_half_up(
    person, finance_officer, upload
):
    package = one_day(person, finance_officer, slots=[(1, "08:00", 30), (1, "12:00", 30)])
    package.versions.update(hourly_rate="19.99")
    logged(upload, package, at="08:00", minutes=50)  # stayed longer: paid the 30 planned, 999.5p: 1000
    logged(upload, package, at="12:00", minutes=27)  # 27 minutes at £19.99 is 899.55p: 900
    week(finance_officer)
    found = {line.actual_minutes: (line.payable_minutes, line.amount_pence) for line in lines(package)}
    assert found == {50: (30, 1000), 27: (27, 900)}


# Reconciling again ----------------------------------------------------------------------------------------------
def test_reconciling_again_gives_the_same_lines_and_keeps_decisions(person, finance_officer, upload):
    package = one_day(person, finance_officer, slots=[(1, "08:00", 30), (1, "18:00", 30)])
    logged(upload, package, at="08:02")
    week(finance_officer)
    missed = next(line for line in lines(package) if line.outcome == "missed")
    decide_exception(missed.pk, "reject", note="The person was in hospital.", acting_user=finance_officer)
    second = week(finance_officer)
    assert outcomes(package) == [("matched", "payable"), ("missed", "rejected")]
    assert (second.matched, second.exceptions, second.kept) == (1, 0, 1)
    assert VisitLine.objects.get(pk=missed.pk).note == "The person was in hospital."


def test_a_late_file_turns_a_missed_visit_into_a_matched_one(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    week(finance_officer)
    assert outcomes(package) == [("missed", "open")]
    logged(upload, package, at="08:04")
    week(finance_officer)
    assert outcomes(package) == [("matched", "payable")]


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        (MONDAY, MONDAY - timedelta(days=1), "on or after its first day"),
        (MONDAY, MONDAY + timedelta(days=92), "at most 92 days"),
        (MONDAY, AFTER_THE_WEEK.date(), "before today"),
    ],
)
def test_a_period_that_cannot_be_reconciled_is_refused(finance_officer, first, last, reason):
    with pytest.raises(ActionRefused, match=reason):
        reconcile(first, last, acting_user=finance_officer)
    assert not VisitLine.objects.exists()


def test_only_finance_reconciles_or_sets_the_rules(officer_east):
    with pytest.raises(ActionRefused, match="finance officer"):
        reconcile(MONDAY, SUNDAY, acting_user=officer_east)
    with pytest.raises(ActionRefused, match="finance officer"):
        set_tolerances(
            start_minutes=10,
            late_window_minutes=60,
            min_duration_percent=80,
            pay_basis="actual",
            acting_user=officer_east,
        )


def test_the_late_window_cannot_be_narrower_than_the_tolerance(finance_officer):
    with pytest.raises(ActionRefused, match="at least as wide"):
        set_tolerances(
            start_minutes=30,
            late_window_minutes=20,
            min_duration_percent=80,
            pay_basis="actual",
            acting_user=finance_officer,
        )
    assert current_tolerances().start_minutes == 15


# Deciding exceptions ---------------------------------------------------------------------------------------------
def _exception(person, finance_officer):
    package = one_day(person, finance_officer)
    week(finance_officer)
    return lines(package)[0]


def test_accepting_an_exception_with_a_note_makes_it_payable_and_audited(person, finance_officer):
    line = _exception(person, finance_officer)
    decided = decide_exception(line.pk, "accept", note="Cancelled at the door: paid.", acting_user=finance_officer)
    assert (decided.state, decided.decided_by, decided.note) == (
        "accepted",
        finance_officer,
        "Cancelled at the door: paid.",
    )
    assert decided.transitions.get().note == "Cancelled at the door: paid."
    assert AuditEvent.objects.filter(object_id=str(line.pk), summary__icontains="accept").exists()


def test_rejecting_an_exception_keeps_it_unpaid(person, finance_officer):
    line = _exception(person, finance_officer)
    decided = decide_exception(line.pk, "reject", note="Not delivered.", acting_user=finance_officer)
    assert decided.state == "rejected"


def test_a_decision_needs_a_note_a_finance_officer_and_an_open_exception(person, finance_officer, officer_east):
    line = _exception(person, finance_officer)
    with pytest.raises(ActionRefused, match="Say why"):
        decide_exception(line.pk, "accept", note="  ", acting_user=finance_officer)
    with pytest.raises(ActionRefused, match="finance officers"):
        decide_exception(line.pk, "reject", note="No.", acting_user=officer_east)
    with pytest.raises(ActionRefused, match="accept or reject"):
        decide_exception(line.pk, "delete", note="No.", acting_user=finance_officer)
    decide_exception(line.pk, "accept", note="Yes.", acting_user=finance_officer)
    with pytest.raises(ActionRefused, match="accepted"):
        decide_exception(line.pk, "reject", note="Changed my mind.", acting_user=finance_officer)
    assert VisitLine.objects.get(pk=line.pk).state == "accepted"


def test_a_matched_visit_is_not_an_exception_to_decide(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    logged(upload, package)
    week(finance_officer)
    with pytest.raises(ActionRefused, match="payable"):
        decide_exception(lines(package)[0].pk, "reject", note="No.", acting_user=finance_officer)


def test_a_paid_line_cannot_be_decided_again(person, finance_officer):
    line = _exception(person, finance_officer)
    run = PaymentRun.objects.create(first_day=MONDAY, last_day=SUNDAY, total_pence=1000, made_by=finance_officer)
    statement = ProviderStatement.objects.create(
        run=run, provider_id=line.provider_id, visits=1, invoices=0, total_pence=1000
    )
    PaymentLine.objects.create(statement=statement, visit_line=line, day=line.day, description="x", amount_pence=1000)
    with pytest.raises(ActionRefused, match="paid"):
        decide_exception(line.pk, "reject", note="Too late.", acting_user=finance_officer)


# Against a plain reference ---------------------------------------------------------------------------------------
def _greedy(parts, logged_visits, within):
    """The matching written the slow, obvious way: every pair within `within` seconds, nearest first (ties by
    planned visit, carer, logged visit), each taken unless one side is taken already."""
    pairs = sorted(
        (abs((a.check_in - p.planned_start).total_seconds()), p.pk, n, a.pk)
        for p, n in parts
        for a in logged_visits
        if a.package_id == p.package_id
        and a.day == p.day
        and abs((a.check_in - p.planned_start).total_seconds()) <= within
    )
    taken_parts, taken_visits, matches = set(), set(), {}
    for _, planned_id, n, actual_id in pairs:
        if (planned_id, n) not in taken_parts and actual_id not in taken_visits:
            taken_parts.add((planned_id, n))
            taken_visits.add(actual_id)
            matches[(planned_id, n)] = actual_id
    return matches


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_set_based_match_is_the_greedy_nearest_first_match(person, finance_officer, upload, seed):
    import random

    chance = random.Random(seed)
    slots = []
    for _ in range(8):  # crowded: visits 0 to 40 minutes apart, some for two carers
        at = f"{chance.randint(7, 9):02d}:{chance.choice([0, 10, 20, 30, 40, 50]):02d}"
        slots.append((1, at, 30, {"carers": chance.choice([1, 1, 2])}))
    package = one_day(person, finance_officer, slots=slots)
    for n in range(14):
        hour, minute = chance.randint(6, 10), chance.randint(0, 59)
        logged(upload, package, at=f"{hour:02d}:{minute:02d}", minutes=chance.randint(10, 40), carer=f"C-{n}")
    week(finance_officer)

    parts = [(p, n) for p in PlannedVisit.objects.filter(package=package) for n in range(1, p.carers + 1)]
    visits = list(ActualVisit.objects.filter(package=package))
    on_time = _greedy(parts, visits, 15 * 60)
    rest_parts = [(p, n) for p, n in parts if (p.pk, n) not in on_time]
    rest_visits = [a for a in visits if a.pk not in set(on_time.values())]
    late = _greedy(rest_parts, rest_visits, 120 * 60)
    found = {(line.planned_id, line.carer_number): line.actual_id for line in lines(package) if line.planned_id}
    missed = {part: None for part in ((p.pk, n) for p, n in parts) if part not in on_time and part not in late}
    assert late and found == on_time | late | missed
    assert {line.outcome for line in lines(package) if (line.planned_id, line.carer_number) in late} == {"late"}
