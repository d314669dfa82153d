"""The daily sweep (reviews.services.sweep_reviews): a review is reminded a week before it is due and escalated the day
after its due date passes, once each, however often the sweep runs and however many run at once; the digest e-mails
go once per person per run. Time is moved with time_machine; the digests run inline once the sweep commits."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import connections, transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from core.exceptions import ActionRefused
from core.models import SentEmail
from reviews.models import REVIEW_MACHINE, Review, ReviewSweep, ReviewTransition
from reviews.notifications import DIGEST_LINES
from reviews.services import cancel_review, record_review, sweep_reviews
from reviews.workflows import REMIND_BEFORE, Kind, State

from .factories import active_package, six_week, twelve_month


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def package(person, cap_member, officer_east):
    return active_package(person, cap_member, officer_east)


def morning(day: date) -> datetime:
    """Six in the morning on `day`, when beat runs the sweep."""
    return timezone.make_aware(datetime.combine(day, time(6, 0)))


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Runs the sweep on the morning of `day`, and its digests once it commits, as the worker would."""

    def run(day: date) -> ReviewSweep:
        with time_machine.travel(morning(day), tick=False), django_capture_on_commit_callbacks(execute=True):
            return sweep_reviews()

    return run


def sent_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def steps_of(review) -> list[tuple]:
    """In the order they were taken: the sweeps run at moved times, the other steps at the real one."""
    return list(
        ReviewTransition.objects.filter(review=review).order_by("id").values_list("name", "source", "target", "by")
    )


# remind: scheduled → due ---------------------------------------------------------------------------------------
def test_a_review_is_reminded_a_week_before_it_is_due_once(package, social_worker, sweep):
    review = six_week(package, social_worker)
    mail.outbox.clear()

    assert sweep(review.due_on - REMIND_BEFORE - timedelta(days=1)).reminded == 0
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED
    run = sweep(review.due_on - REMIND_BEFORE)
    assert (run.reminded, run.escalated) == (1, 0)
    for day in range(6, -1, -1):  # every morning after, up to the due date
        assert sweep(review.due_on - timedelta(days=day)).reminded == 0

    review.refresh_from_db()
    assert (review.state, review.reminded_in, review.escalated_in) == (State.DUE, run, None)
    assert steps_of(review) == [("remind", State.SCHEDULED, State.DUE, None)]
    audit = AuditEvent.objects.get(
        action=AuditEvent.Action.TRANSITIONED, object_id=str(review.pk), content_type__model="review"
    )
    assert (audit.actor, audit.person, audit.summary) == (None, review.person, "remind: scheduled → due")
    [reminder] = mail.outbox
    assert reminder.to == [social_worker.email]
    assert reminder.subject == "Reviews: 1 due within the week"
    assert review.reference in reminder.body and review.get_absolute_url() in reminder.body
    assert str(review.person) not in reminder.body and review.person.last_name not in reminder.body


def test_a_twelve_month_review_reminds_each_member_of_the_review_team(package, officer_east, review_team, sweep):
    second = UserFactory(roles=[Role.REVIEW_TEAM])
    gone = UserFactory(roles=[Role.REVIEW_TEAM])
    gone.is_active = False
    gone.save()
    review = twelve_month(package, officer_east)
    mail.outbox.clear()

    sweep(review.due_on - REMIND_BEFORE)
    sweep(review.due_on - REMIND_BEFORE)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([review_team.email, second.email])
    assert steps_of(review) == [("remind", State.SCHEDULED, State.DUE, None)]


def test_one_digest_per_person_lists_all_their_reviews(
    package, person, social_worker, officer_east, cap_member, review_team, lead_east, sweep
):
    """One e-mail each, not one a review: the worker's two 6-week reviews in one; the review team's reminders and
    escalations in another."""
    other = active_package(person, cap_member, officer_east)
    soon, sooner = six_week(package, social_worker, due_in=10), six_week(other, social_worker, due_in=8)
    overdue = twelve_month(package, officer_east, due_in=1)
    reminded = twelve_month(other, officer_east, due_in=12)
    mail.outbox.clear()

    sweep(soon.due_on - timedelta(days=5))

    [to_worker] = sent_to(social_worker)
    assert to_worker.body.index(sooner.reference) < to_worker.body.index(soon.reference)
    [to_team] = sent_to(review_team)
    assert to_team.subject == "Reviews: 1 overdue and 1 due within the week"
    overdue_part, due_part = to_team.body.split("These reviews are due within the week.")
    assert overdue.reference in overdue_part and reminded.reference in due_part
    assert len(mail.outbox) == 2 and sent_to(lead_east) == []


def test_a_long_digest_says_how_many_more_are_on_the_home_page(monkeypatch, package, officer_east, review_team, sweep):
    from reviews import notifications

    monkeypatch.setattr(notifications, "DIGEST_LINES", 0)
    review = twelve_month(package, officer_east, due_in=3)
    mail.outbox.clear()
    sweep(review.due_on - timedelta(days=1))
    assert "...and 1 more on your home page" in mail.outbox[0].body
    assert DIGEST_LINES == 50


def test_nobody_reminds_or_marks_a_review_overdue_by_hand(package, social_worker, officer_east, lead_east):
    review = six_week(package, social_worker, due_in=3)
    for name in ("remind", "mark_overdue"):
        for user in (social_worker, officer_east, lead_east):
            with pytest.raises(ActionRefused, match="You do not have permission"):
                REVIEW_MACHINE.apply(review, name, acting_user=user)
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED and steps_of(review) == []


def test_a_review_is_not_reminded_sooner_than_a_week_before(package, social_worker):
    review = six_week(package, social_worker)
    with time_machine.travel(morning(review.due_on - REMIND_BEFORE - timedelta(days=1)), tick=False):
        with pytest.raises(ActionRefused, match="A reminder goes a week before the review is due, not sooner."):
            REVIEW_MACHINE.apply(review, "remind", acting_user=None)
    with time_machine.travel(morning(review.due_on - REMIND_BEFORE), tick=False):
        REVIEW_MACHINE.apply(review, "remind", acting_user=None)  # the machine itself, as the sweep's test holds it
    assert steps_of(review) == [("remind", State.SCHEDULED, State.DUE, None)]


def test_a_review_past_its_due_date_or_moved_on_is_not_reminded(package, social_worker, sweep):
    review = six_week(package, social_worker)
    with time_machine.travel(morning(review.due_on + timedelta(days=1)), tick=False):
        with pytest.raises(ActionRefused, match="A review whose due date has passed is overdue, not reminded."):
            REVIEW_MACHINE.apply(review, "remind", acting_user=None)
    sweep(review.due_on + timedelta(days=1))
    review.refresh_from_db()
    with pytest.raises(ActionRefused, match="A review that is “overdue” cannot do this."):
        REVIEW_MACHINE.apply(review, "remind", acting_user=None)


# mark_overdue: scheduled or due → overdue ----------------------------------------------------------------------
def test_a_review_not_recorded_by_its_due_date_is_escalated_to_the_teams_leads_once(
    package, social_worker, lead_east, lead_west, officer_east, sweep
):
    review = six_week(package, social_worker)
    reminder = sweep(review.due_on - REMIND_BEFORE)
    mail.outbox.clear()

    assert sweep(review.due_on).escalated == 0  # still due on the day itself
    run = sweep(review.due_on + timedelta(days=1))
    assert (run.reminded, run.escalated) == (0, 1)
    for day in range(2, 9):
        assert sweep(review.due_on + timedelta(days=day)).escalated == 0

    review.refresh_from_db()
    assert (review.state, review.reminded_in, review.escalated_in) == (State.OVERDUE, reminder, run)
    assert steps_of(review) == [
        ("remind", State.SCHEDULED, State.DUE, None),
        ("mark_overdue", State.DUE, State.OVERDUE, None),
    ]
    [escalation] = mail.outbox  # to the East team's lead only: the package is the East team's
    assert escalation.to == [lead_east.email] and escalation.subject == "Reviews: 1 overdue"
    assert review.reference in escalation.body


def test_a_review_never_reminded_goes_straight_to_overdue_and_is_escalated(package, social_worker, lead_east, sweep):
    """Scheduled late, or the sweeps missed its week: it is not reminded the day after its due date, but escalated."""
    review = six_week(package, social_worker, due_in=2)
    mail.outbox.clear()

    run = sweep(review.due_on + timedelta(days=3))

    review.refresh_from_db()
    assert (run.reminded, run.escalated) == (0, 1)
    assert (review.state, review.reminded_in, review.escalated_in) == (State.OVERDUE, None, run)
    assert steps_of(review) == [("mark_overdue", State.SCHEDULED, State.OVERDUE, None)]
    assert [m.to for m in mail.outbox] == [[lead_east.email]]


def test_an_overdue_twelve_month_review_is_escalated_to_the_review_team(package, officer_east, review_team, sweep):
    review = twelve_month(package, officer_east, due_in=3)
    sweep(review.due_on - timedelta(days=3))
    mail.outbox.clear()

    sweep(review.due_on + timedelta(days=1))

    assert Review.objects.get(pk=review.pk).state == State.OVERDUE
    assert [(m.to, m.subject) for m in mail.outbox] == [([review_team.email], "Reviews: 1 overdue")]


def test_a_review_is_not_marked_overdue_before_its_due_date_has_passed(package, social_worker):
    review = six_week(package, social_worker, due_in=3)
    with time_machine.travel(morning(review.due_on), tick=False):
        with pytest.raises(ActionRefused, match="A review is overdue only once its due date has passed"):
            REVIEW_MACHINE.apply(review, "mark_overdue", acting_user=None)


def test_a_closed_review_is_not_marked_overdue(package, social_worker, sweep):
    review = record_review(six_week(package, social_worker, due_in=3), acting_user=social_worker, outcome="Fine")
    with time_machine.travel(morning(review.due_on + timedelta(days=1)), tick=False):
        with pytest.raises(ActionRefused, match="A review that is “done” cannot do this."):
            REVIEW_MACHINE.apply(review, "mark_overdue", acting_user=None)


# Recorded or cancelled between sweeps --------------------------------------------------------------------------
def test_a_review_recorded_between_sweeps_is_not_touched(package, social_worker, lead_east, sweep):
    review = six_week(package, social_worker)
    sweep(review.due_on - REMIND_BEFORE)
    record_review(review, acting_user=social_worker, outcome="Settled in")
    mail.outbox.clear()

    assert sweep(review.due_on + timedelta(days=1)).escalated == 0

    review.refresh_from_db()
    assert (review.state, review.escalated_in) == (State.DONE, None)
    assert [s[0] for s in steps_of(review)] == ["remind", "record"]
    assert mail.outbox == []


@pytest.mark.parametrize("state", [State.DUE, State.OVERDUE])
@pytest.mark.parametrize("step", ["record", "cancel"])
def test_a_due_or_overdue_review_is_recorded_or_cancelled(package, social_worker, sweep, state, step):
    review = six_week(package, social_worker)
    sweep(review.due_on - REMIND_BEFORE if state == State.DUE else review.due_on + timedelta(days=1))
    assert Review.objects.get(pk=review.pk).state == state

    if step == "record":
        record_review(review, acting_user=social_worker, outcome="Going well")
    else:
        cancel_review(review, acting_user=social_worker, reason="Package ended")

    review.refresh_from_db()
    assert review.state == (State.DONE if step == "record" else State.CANCELLED)
    assert steps_of(review)[-1] == (step, state, review.state, social_worker.pk)


# The sweep is the machine's -------------------------------------------------------------------------------------
def test_the_sweep_moves_exactly_the_reviews_the_machine_allows(package, social_worker, sweep):
    """Its SQL states the machine's conditions: for a review due on each day around the sweep's, it takes the step
    whose conditions hold, and none where none does."""
    sweep_day = timezone.localdate() + timedelta(days=20)
    taken = {}
    for offset in range(-3, 11):
        review = Review.objects.create(
            package=package,
            person=package.person,
            kind=Kind.SIX_WEEK,
            due_on=sweep_day + timedelta(days=offset),
            assigned_to=social_worker,
            scheduled_by=social_worker,
        )
        with time_machine.travel(morning(sweep_day), tick=False):
            allowed = [
                name
                for name in ("mark_overdue", "remind")
                if REVIEW_MACHINE.may(review, name, None) and not REVIEW_MACHINE.unmet_conditions(review, name)
            ]
        sweep(sweep_day)
        taken[offset] = ([s[0] for s in steps_of(review)], allowed)
        cancel_review(review, acting_user=social_worker, reason="Next")

    assert all(swept == allowed for swept, allowed in taken.values()), taken
    assert {offset: swept for offset, (swept, _) in taken.items() if swept} == {
        **{offset: ["mark_overdue"] for offset in (-3, -2, -1)},
        **{offset: ["remind"] for offset in range(0, 8)},
    }


def test_the_sweep_logs_and_audits_each_step_as_the_machine_does(
    package, person, social_worker, officer_east, cap_member, sweep
):
    """Written in SQL, its rows are the ones Machine.apply and audit.services.record_transition write."""
    by_machine = six_week(package, social_worker, due_in=3)
    by_sweep = six_week(active_package(person, cap_member, officer_east), social_worker, due_in=3)
    with time_machine.travel(morning(timezone.localdate()), tick=False):
        REVIEW_MACHINE.apply(
            by_machine, "remind", acting_user=None, note="Due within the week: the worker was reminded."
        )
        sweep(timezone.localdate())

    def rows(review):
        log = ReviewTransition.objects.filter(review=review).values("name", "source", "target", "by", "at", "note")
        audit = AuditEvent.objects.filter(
            object_id=str(review.pk), content_type__model="review", action=AuditEvent.Action.TRANSITIONED
        ).values("actor", "content_type", "person", "summary", "changes", "at", "object_repr")
        return list(log), [{**event, "object_repr": event["object_repr"] == str(review)} for event in audit]

    assert rows(by_sweep) == rows(by_machine)
    assert rows(by_sweep)[1][0]["object_repr"] is True


# Two at once ----------------------------------------------------------------------------------------------------
def _in_a_thread(act, results, key, hold=None):
    def run():
        try:
            with transaction.atomic():
                results[key] = act()
                if hold is not None:
                    hold[0].set()
                    hold[1].wait(timeout=20)
        except BaseException as error:  # reported by the test, not lost in the thread
            results[key] = error
        finally:
            if hold is not None:
                hold[0].set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_sweep_alongside_one_holding_the_reviews_skips_them_and_sends_nothing(
    transactional_db, person, cap_member, officer_east, social_worker, review_team
):
    """Two sweeps at the same moment, on two connections: the second skips what the first holds, without waiting,
    and the reminders go once, when the first commits."""
    package = active_package(person, cap_member, officer_east)
    six, twelve = six_week(package, social_worker, due_in=5), twelve_month(package, officer_east, due_in=6)
    mail.outbox.clear()
    results, swept, release = {}, threading.Event(), threading.Event()

    with time_machine.travel(morning(six.due_on - timedelta(days=2)), tick=False):
        first = _in_a_thread(sweep_reviews, results, "first", hold=(swept, release))
        assert swept.wait(timeout=20)
        second = _in_a_thread(sweep_reviews, results, "second")
        second.join(timeout=20)
        assert mail.outbox == []  # neither has told anyone: the first has not committed
        release.set()
        first.join(timeout=20)
        third = sweep_reviews()

    assert (results["first"].reminded, results["second"].reminded, third.reminded) == (2, 0, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([social_worker.email, review_team.email])
    assert ReviewTransition.objects.filter(name="remind").count() == 2
    assert {r.pk: r.state for r in Review.objects.all()} == {six.pk: State.DUE, twelve.pk: State.DUE}


def test_two_sweeps_racing_share_the_reviews_and_tell_each_person_once(
    transactional_db, person, cap_member, officer_east, social_worker, review_team
):
    packages = [active_package(person, cap_member, officer_east) for _ in range(2)]
    reviews = [six_week(p, social_worker, due_in=3) for p in packages] + [
        twelve_month(p, officer_east) for p in packages
    ]
    Review.objects.update(due_on=timezone.localdate() + timedelta(days=3))
    mail.outbox.clear()
    results, start = {}, threading.Barrier(2)

    def racing():
        start.wait(timeout=20)
        return sweep_reviews()

    with time_machine.travel(morning(timezone.localdate()), tick=False):
        threads = [_in_a_thread(racing, results, key) for key in ("a", "b")]
        for thread in threads:
            thread.join(timeout=30)

    assert results["a"].reminded + results["b"].reminded == len(reviews), results
    assert ReviewTransition.objects.filter(name="remind").count() == len(reviews)
    for review in reviews:
        assert steps_of(review) == [("remind", State.SCHEDULED, State.DUE, None)]
    # One run or both took reviews of each person: each person has one e-mail from each run that took theirs.
    runs = [r for r in (results["a"], results["b"]) if r.reminded]
    assert SentEmail.objects.filter(key__startswith="review-sweep-").count() == len(mail.outbox) <= 2 * len(runs)
    listed = "".join(m.body for m in mail.outbox)
    for review in reviews:
        assert listed.count(review.reference) == 1


# The digests, run again --------------------------------------------------------------------------------------
def test_the_digests_run_again_after_a_failure_send_only_what_had_not_gone(
    monkeypatch, package, social_worker, officer_east, review_team, sweep
):
    """A task retried, or redelivered after its worker died part way: those already told are not told again."""
    from core import mail as core_mail
    from reviews.tasks import send_review_digests

    six_week(package, social_worker, due_in=5)
    twelve_month(package, officer_east, due_in=5)
    real = core_mail.get_connection

    class RefusesTheReviewTeam:
        def send_messages(self, messages):
            if messages[0].to == [review_team.email]:
                raise OSError("mail server refused")
            return real().send_messages(messages)

    monkeypatch.setattr(core_mail, "get_connection", lambda **kwargs: RefusesTheReviewTeam())
    mail.outbox.clear()
    with pytest.raises(Retry):  # the task asks to be tried again (core.mail.RETRY_SENDING)
        sweep(timezone.localdate())
    assert [m.to for m in mail.outbox] == [[social_worker.email]]

    monkeypatch.setattr(core_mail, "get_connection", real)
    run = ReviewSweep.objects.get()
    assert send_review_digests.apply(args=[run.pk]).get() == 1
    assert send_review_digests.apply(args=[run.pk]).get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([social_worker.email, review_team.email])


def test_a_runs_lost_digests_are_sent_by_the_next_mornings_run(monkeypatch, package, social_worker, sweep):
    """The worker died after the run committed and before it queued the digests: the next run queues them."""
    from reviews import services

    review = six_week(package, social_worker, due_in=5)
    mail.outbox.clear()
    with monkeypatch.context() as patch:
        patch.setattr(services, "enqueue", lambda task, *args: None)
        lost = sweep(review.due_on - timedelta(days=5))
    assert (lost.reminded, mail.outbox) == (1, [])

    assert sweep(review.due_on - timedelta(days=4)).reminded == 0
    assert [m.to for m in mail.outbox] == [[social_worker.email]]
    assert ReviewSweep.objects.get(pk=lost.pk).digests_sent_at is not None
    sweep(review.due_on - timedelta(days=3))
    assert len(mail.outbox) == 1
