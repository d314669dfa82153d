"""Reviews (reviews.workflows): scheduled through the service other apps call, then recorded as done by the worker
a 6-week review is assigned to or by the review team for a 12-month one, or cancelled with a reason. Each step
allowed and refused (role, state, missing data); every refusal changes nothing."""

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from packages.services import end_package
from reviews.models import REVIEW_MACHINE, Review, ReviewTransition
from reviews.services import cancel_review, record_review, schedule_review
from reviews.workflows import Kind, State

from .factories import active_package, in_days, six_week, twelve_month


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def package(person, cap_member, officer_east):
    return active_package(person, cap_member, officer_east)


def footprint() -> dict:
    """Everything a review step could change, to show a refusal changed nothing."""
    return {
        "reviews": list(Review.objects.order_by("id").values()),
        "transitions": ReviewTransition.objects.count(),
        "audit": AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count(),
    }


def refused(act, match):
    before = footprint()
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint() == before


# Scheduling ---------------------------------------------------------------------------------------------------
def test_a_six_week_review_is_scheduled_for_its_worker_and_audited(package, social_worker, officer_east, person):
    review = six_week(package, social_worker, by=officer_east)

    assert (review.state, review.kind, review.assigned_to, review.person, review.due_on) == (
        State.SCHEDULED,
        Kind.SIX_WEEK,
        social_worker,
        person,
        in_days(42),
    )
    audit = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATED, object_id=str(review.pk), content_type__model="review"
    )
    assert (audit.actor, audit.person) == (officer_east, person)
    assert "6-week review" in audit.summary


def test_a_twelve_month_review_belongs_to_the_review_team(package, officer_east):
    review = schedule_review(
        package=package,
        kind=Kind.TWELVE_MONTH,
        due_on=in_days(365),
        assigned_to=None,
        acting_user=officer_east,
        note=" After the reduction ",
    )
    assert (review.kind, review.assigned_to, review.state, review.note) == (
        Kind.TWELVE_MONTH,
        None,
        State.SCHEDULED,
        "After the reduction",
    )


def test_a_six_week_review_needs_a_worker(package, officer_east):
    refused(
        lambda: schedule_review(
            package=package, kind=Kind.SIX_WEEK, due_on=in_days(42), assigned_to=None, acting_user=officer_east
        ),
        "A 6-week review needs a worker",
    )


def test_a_six_week_review_is_a_practitioners(package, officer_east, review_team):
    refused(
        lambda: schedule_review(
            package=package, kind=Kind.SIX_WEEK, due_on=in_days(42), assigned_to=review_team, acting_user=officer_east
        ),
        "it is a practitioner's",
    )


def test_a_six_week_review_is_for_a_worker_holding_the_case(package, officer_east, other_social_worker):
    refused(lambda: six_week(package, other_social_worker, by=officer_east), "does not hold")


def test_a_twelve_month_review_is_not_assigned_to_one_person(package, officer_east, social_worker):
    refused(
        lambda: schedule_review(
            package=package,
            kind=Kind.TWELVE_MONTH,
            due_on=in_days(365),
            assigned_to=social_worker,
            acting_user=officer_east,
        ),
        "belongs to the review team",
    )


def test_a_review_cannot_be_due_in_the_past(package, social_worker):
    refused(lambda: six_week(package, social_worker, due_in=-1), "cannot be due in the past")


def test_a_second_open_review_of_the_same_kind_is_refused(package, social_worker, officer_east):
    six_week(package, social_worker)
    twelve_month(package, officer_east)  # another kind is fine
    refused(lambda: six_week(package, social_worker, by=officer_east), "already has a 6-week review")
    refused(lambda: twelve_month(package, officer_east), "already has a 12-month review")


def test_the_database_refuses_a_second_open_review_of_the_same_kind(package, social_worker):
    review = six_week(package, social_worker)
    with pytest.raises(IntegrityError, match="one_open_review_per_package_and_kind"), transaction.atomic():
        Review.objects.create(
            package=package,
            person=package.person,
            kind=Kind.SIX_WEEK,
            due_on=review.due_on,
            assigned_to=social_worker,
            scheduled_by=social_worker,
        )


def test_once_done_another_review_of_that_kind_can_be_scheduled(package, social_worker):
    record_review(six_week(package, social_worker), acting_user=social_worker, outcome="All well")
    assert six_week(package, social_worker, due_in=84).state == State.SCHEDULED


def test_an_ended_package_is_not_reviewed(package, social_worker, officer_east):
    end_package(package, acting_user=officer_east, last_day=in_days(10), reason="Moved away")
    refused(lambda: six_week(package, social_worker), "has ended")


# record: scheduled → done --------------------------------------------------------------------------------------
def test_the_assigned_worker_records_a_six_week_review(package, social_worker, person):
    review = record_review(six_week(package, social_worker), acting_user=social_worker, outcome="  Going well  ")

    review = Review.objects.get(pk=review.pk)
    assert (review.state, review.outcome) == (State.DONE, "Going well")
    log = ReviewTransition.objects.get(review=review)
    assert (log.name, log.source, log.target, log.by, log.note) == (
        "record",
        State.SCHEDULED,
        State.DONE,
        social_worker,
        "Going well",
    )
    audit = AuditEvent.objects.get(
        action=AuditEvent.Action.TRANSITIONED, object_id=str(review.pk), content_type__model="review"
    )
    assert (audit.actor, audit.person) == (social_worker, person)


def test_any_review_team_member_records_a_twelve_month_review(package, officer_east, review_team):
    review = record_review(twelve_month(package, officer_east), acting_user=review_team, outcome="Needs unchanged")
    assert Review.objects.get(pk=review.pk).state == State.DONE


@pytest.mark.parametrize("who", ["other_social_worker", "officer_east", "review_team"])
def test_only_the_assigned_worker_records_a_six_week_review(request, package, social_worker, who):
    review = six_week(package, social_worker)
    refused(
        lambda: record_review(review, acting_user=request.getfixturevalue(who), outcome="x"),
        "Only the worker a 6-week review is assigned to",
    )


@pytest.mark.parametrize("who", ["social_worker", "officer_east", "cap_member"])
def test_only_the_review_team_records_a_twelve_month_review(request, package, officer_east, who):
    review = twelve_month(package, officer_east)
    refused(
        lambda: record_review(review, acting_user=request.getfixturevalue(who), outcome="x"),
        "Only the review team",
    )


def test_a_review_is_not_recorded_without_what_it_found(package, social_worker):
    review = six_week(package, social_worker)
    refused(lambda: record_review(review, acting_user=social_worker, outcome="   "), "Enter what the review found")


@pytest.mark.parametrize("closed", ["done", "cancelled"])
def test_a_closed_review_is_not_recorded(package, social_worker, closed):
    review = six_week(package, social_worker)
    if closed == "done":
        record_review(review, acting_user=social_worker, outcome="Fine")
    else:
        cancel_review(review, acting_user=social_worker, reason="In error")
    refused(lambda: record_review(review, acting_user=social_worker, outcome="Again"), "cannot do this")


# cancel: scheduled → cancelled ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["officer_east", "lead_east", "social_worker"])
def test_the_packages_team_or_the_assigned_worker_cancels_a_review(request, package, social_worker, who):
    actor = request.getfixturevalue(who)
    review = cancel_review(six_week(package, social_worker), acting_user=actor, reason="Scheduled in error")

    review = Review.objects.get(pk=review.pk)
    assert (review.state, review.cancel_reason) == (State.CANCELLED, "Scheduled in error")
    log = ReviewTransition.objects.get(review=review)
    assert (log.name, log.target, log.by, log.note) == ("cancel", State.CANCELLED, actor, "Scheduled in error")


def test_brokerage_cancels_a_twelve_month_review(package, officer_east):
    review = cancel_review(twelve_month(package, officer_east), acting_user=officer_east, reason="Package ending")
    assert Review.objects.get(pk=review.pk).state == State.CANCELLED


@pytest.mark.parametrize("who", ["officer_west", "other_social_worker", "review_team", "cap_member"])
def test_no_one_else_cancels_a_review(request, package, social_worker, officer_east, who):
    for review in (six_week(package, social_worker), twelve_month(package, officer_east)):
        refused(
            lambda review=review: cancel_review(review, acting_user=request.getfixturevalue(who), reason="x"),
            "Only the Brokerage team working the package",
        )


def test_a_review_is_not_cancelled_without_a_reason(package, social_worker):
    review = six_week(package, social_worker)
    refused(lambda: cancel_review(review, acting_user=social_worker, reason=""), "Enter why the review is cancelled")


def test_a_done_review_is_not_cancelled(package, social_worker):
    review = record_review(six_week(package, social_worker), acting_user=social_worker, outcome="Fine")
    refused(lambda: cancel_review(review, acting_user=social_worker, reason="Too late"), "cannot do this")


# The buttons come from the machine -----------------------------------------------------------------------------
def test_each_user_is_offered_the_steps_they_may_take(package, social_worker, officer_east, review_team):
    six = six_week(package, social_worker)
    twelve = twelve_month(package, officer_east)
    names = lambda review, user: [a.name for a in REVIEW_MACHINE.actions(review, user)]  # noqa: E731

    assert names(six, social_worker) == ["record", "cancel"]
    assert names(six, officer_east) == ["cancel"]
    assert names(six, review_team) == []
    assert names(twelve, review_team) == ["record"]
    assert names(twelve, officer_east) == ["cancel"]
    assert names(twelve, social_worker) == []


MACHINE = REVIEW_MACHINE
SWEEP = "reviews/tests/test_sweep.py::"
STEP_TESTS = {
    "remind": (
        [
            SWEEP + "test_a_review_is_reminded_a_week_before_it_is_due_once",
            SWEEP + "test_a_twelve_month_review_reminds_each_member_of_the_review_team",
        ],
        [
            SWEEP + "test_nobody_reminds_or_marks_a_review_overdue_by_hand",
            SWEEP + "test_a_review_is_not_reminded_sooner_than_a_week_before",
            SWEEP + "test_a_review_past_its_due_date_or_moved_on_is_not_reminded",
        ],
    ),
    "mark_overdue": (
        [
            SWEEP + "test_a_review_not_recorded_by_its_due_date_is_escalated_to_the_teams_leads_once",
            SWEEP + "test_a_review_never_reminded_goes_straight_to_overdue_and_is_escalated",
            SWEEP + "test_an_overdue_twelve_month_review_is_escalated_to_the_review_team",
        ],
        [
            SWEEP + "test_nobody_reminds_or_marks_a_review_overdue_by_hand",
            SWEEP + "test_a_review_is_not_marked_overdue_before_its_due_date_has_passed",
            SWEEP + "test_a_closed_review_is_not_marked_overdue",
            SWEEP + "test_a_review_recorded_between_sweeps_is_not_touched",
        ],
    ),
    "record": (
        [
            "test_the_assigned_worker_records_a_six_week_review",
            "test_any_review_team_member_records_a_twelve_month_review",
            SWEEP + "test_a_due_or_overdue_review_is_recorded_or_cancelled",
        ],
        [
            "test_only_the_assigned_worker_records_a_six_week_review",
            "test_only_the_review_team_records_a_twelve_month_review",
            "test_a_review_is_not_recorded_without_what_it_found",
            "test_a_closed_review_is_not_recorded",
        ],
    ),
    "cancel": (
        [
            "test_the_packages_team_or_the_assigned_worker_cancels_a_review",
            "test_brokerage_cancels_a_twelve_month_review",
            SWEEP + "test_a_due_or_overdue_review_is_recorded_or_cancelled",
        ],
        [
            "test_no_one_else_cancels_a_review",
            "test_a_review_is_not_cancelled_without_a_reason",
            "test_a_done_review_is_not_cancelled",
        ],
    ),
}
