"""Domain actions on reviews. Each takes the acting user, checks the rules (the state machine in reviews.workflows),
and writes the review's log and the audit trail in one transaction.

Other apps schedule reviews through schedule_review: a placement's admission sets a 6-week review for the allocated
worker and a 12-month review for the review team; an increase sets a 6-week review for the worker who asked, a
reduction a 12-month review.
"""

import json
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record_change
from core.exceptions import ActionRefused
from core.tasks import enqueue
from packages.selectors import live_packages
from people.access import can_view_person

from .models import REVIEW_MACHINE, Review, ReviewSweep
from .tasks import send_review_digests
from .workflows import NOT_THE_CANCELLER, NOT_THE_REVIEWER, OPEN_STATES, REMIND_BEFORE, Kind, State


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


SIX_WEEKS = timedelta(weeks=6)


def a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def schedule_first_reviews(package, *, starts_on: date, acting_user, note: str) -> None:
    """A new service's two reviews, counted from the day it starts: the 6-week review for the person's allocated
    worker and the 12-month review for the review team (SPEC §4)."""
    schedule_review(
        package=package,
        kind=Kind.SIX_WEEK,
        due_on=starts_on + SIX_WEEKS,
        assigned_to=package.person.allocated_worker,
        acting_user=acting_user,
        note=note,
    )
    schedule_review(
        package=package,
        kind=Kind.TWELVE_MONTH,
        due_on=a_year_after(starts_on),
        assigned_to=None,
        acting_user=acting_user,
        note=note,
    )


@transaction.atomic
def schedule_review(*, package, kind, due_on: date, assigned_to, acting_user, note: str = "") -> Review:
    """A review of `package` due on `due_on`: a 6-week review for the worker `assigned_to`, a 12-month review for
    the review team (nobody assigned). Refused, changing nothing, for an ended package, a 6-week review with nobody
    to carry it out (or someone not a practitioner, or not holding the person's case), a 12-month review assigned to one person, a due date in the past, or a
    second open review of the same kind for the package (the database refuses that one too, even at the same
    moment)."""
    if kind not in Kind.values:
        raise ActionRefused("A review is a 6-week or a 12-month review.")
    kind = Kind(kind)
    if kind == Kind.SIX_WEEK:
        if assigned_to is None:
            raise ActionRefused("A 6-week review needs a worker to carry it out.")
        if not (assigned_to.is_active and assigned_to.is_practitioner):
            raise ActionRefused(f"{assigned_to} cannot carry out a 6-week review: it is a practitioner's.")
        # A practitioner sees the people they hold (people.access); a 6-week review adds no need of its own, so the
        # caseload stays one index read.
        if not can_view_person(assigned_to, package.person):
            raise ActionRefused(
                f"{assigned_to} does not hold {package.person}'s case, so cannot carry out their review."
            )
    elif assigned_to is not None:
        raise ActionRefused("A 12-month review belongs to the review team: it is not assigned to one person.")
    if due_on < timezone.localdate():
        raise ActionRefused(f"A review cannot be due in the past ({_long(due_on)}).")
    if not live_packages(package.person, package.service_type_id).filter(pk=package.pk).exists():
        raise ActionRefused(f"{package.reference} has ended: there is nothing to review.")
    if Review.objects.filter(package=package, kind=kind, state__in=OPEN_STATES).exists():
        raise ActionRefused(f"{package.reference} already has a {kind.label} to carry out.")
    review = Review(
        package=package,
        person_id=package.person_id,
        kind=kind,
        due_on=due_on,
        assigned_to=assigned_to,
        note=note.strip(),
        scheduled_by=acting_user,
    )
    review.full_clean(exclude=["state"], validate_constraints=False)  # the constraints are the database's
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        if "one_open_review_per_package_and_kind" not in str(error):
            raise
        raise ActionRefused(
            f"{package.reference} already has a {kind.label} to carry out: someone scheduled it at the same time."
        ) from error
    record_change(
        actor=acting_user,
        obj=review,
        person=package.person,
        created=True,
        summary=f"Scheduled a {kind.label} of {package.reference}, due {_long(due_on)}",
        changes={
            "kind": kind.value,
            "due_on": due_on,
            "assigned_to": str(assigned_to) if assigned_to else "review team",
            **({"note": note} if note else {}),
        },
    )
    return review


def _locked(review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("package", "person").get(pk=review.pk)


def _refuse_unless_permitted(review, name: str, acting_user, message: str) -> None:
    """Said in words for the step: the machine's own refusal covers the wrong state first."""
    if REVIEW_MACHINE.step(review, name) is not None and not REVIEW_MACHINE.may(review, name, acting_user):
        raise ActionRefused(message)


@transaction.atomic
def record_review(review, *, acting_user, outcome: str) -> Review:
    """The review was carried out: what it found is recorded and the review is done."""
    review = _locked(review)
    _refuse_unless_permitted(review, "record", acting_user, NOT_THE_REVIEWER[review.kind])
    review.outcome = outcome.strip()
    return REVIEW_MACHINE.apply(review, "record", acting_user=acting_user, note=review.outcome)


@transaction.atomic
def cancel_review(review, *, acting_user, reason: str) -> Review:
    """The review is no longer needed, with the reason."""
    review = _locked(review)
    _refuse_unless_permitted(review, "cancel", acting_user, NOT_THE_CANCELLER)
    review.cancel_reason = reason.strip()
    return REVIEW_MACHINE.apply(review, "cancel", acting_user=acting_user, note=review.cancel_reason)


# The daily sweep ----------------------------------------------------------------------------------------------
# One statement: it takes the reviews whose sweep_on has come (the review_to_sweep index; sweep_on is set only in
# the states the sweep moves on from), locking them and skipping any another transaction holds; moves each by the
# step of the machine its due date calls for (mark_overdue: due_date_passed; remind: within_reminder_time, which is
# sweep_on, and not_yet_past_due), stamping the run on it; and writes each step's log row and audit event as
# Machine.apply and audit.services.record_transition write them, with nobody acting (test_sweep holds it to both).
# Set-based, not Machine.apply row by row: with a million packages and 11,000 reviews to move, the statement takes
# under a second (bench/review_sweep.py).
SWEEP = """
WITH taken AS (
    SELECT id, ctid, state AS source, CASE WHEN due_on < %(today)s THEN 'mark_overdue' ELSE 'remind' END AS step
    FROM reviews_review WHERE sweep_on <= %(today)s
    FOR UPDATE SKIP LOCKED
), moved AS (
    UPDATE reviews_review AS review SET
        state = CASE taken.step WHEN 'remind' THEN %(due)s ELSE %(overdue)s END,
        reminded_in_id = CASE taken.step WHEN 'remind' THEN %(sweep)s ELSE review.reminded_in_id END,
        escalated_in_id = CASE taken.step WHEN 'mark_overdue' THEN %(sweep)s ELSE review.escalated_in_id END
    -- By the row versions just locked (their ctid cannot change while this statement holds them): read straight
    -- from the table, not looked up again through the primary key. "= ANY" as well, so they are read as a list
    -- however many PostgreSQL guesses were taken.
    FROM taken WHERE review.ctid = taken.ctid AND review.ctid = ANY(ARRAY(SELECT ctid FROM taken))
    RETURNING review.id, review.kind, review.package_id, review.person_id, review.due_on, review.state AS target,
        taken.source, taken.step, %(notes)s::jsonb ->> (taken.step || ':' || review.kind) AS note
), logged AS (
    INSERT INTO reviews_reviewtransition (review_id, name, source, target, by_id, at, note)
    SELECT id, step, source, target, NULL, %(now)s, note FROM moved
), audited AS (
    INSERT INTO audit_auditevent (at, actor_id, action, content_type_id, object_id, object_repr, person_id, summary,
        changes)
    SELECT %(now)s, NULL, %(transitioned)s, %(review_type)s, id::text,
        (%(kinds)s::jsonb ->> kind) || ' of ' || package_id || ', due ' || due_on, person_id,
        step || ': ' || source || ' → ' || target,
        jsonb_build_object('state', jsonb_build_array(source, target), 'note', note)
    FROM moved
)
SELECT step, count(*) FROM moved GROUP BY step
"""
# What a swept step's log row says was done, by step and kind.
SWEEP_NOTES = {
    f"remind:{Kind.SIX_WEEK}": "Due within the week: the worker was reminded.",
    f"remind:{Kind.TWELVE_MONTH}": "Due within the week: the review team was reminded.",
    f"mark_overdue:{Kind.SIX_WEEK}": "Not recorded by its due date: escalated to the Brokerage team's leads.",
    f"mark_overdue:{Kind.TWELVE_MONTH}": "Not recorded by its due date: escalated to the review team.",
}


def sweep_parameters(today: date, sweep_id: int) -> dict:
    """SWEEP's parameters for the run `sweep_id` on `today` (bench/review_sweep.py EXPLAINs it with them)."""
    return {
        "today": today,
        "sweep": sweep_id,
        "now": timezone.now(),
        "due": State.DUE,
        "overdue": State.OVERDUE,
        "notes": json.dumps(SWEEP_NOTES),
        "kinds": json.dumps(dict(Kind.choices)),
        "transitioned": AuditEvent.Action.TRANSITIONED,
        "review_type": ContentType.objects.get_for_model(Review).pk,
    }


def sweep_reviews(today: date | None = None) -> ReviewSweep:
    """Move on the reviews whose dates have come, for `today` (the local date unless given): every review not yet
    overdue whose due date has passed is marked overdue and escalated (a 6-week review to the Brokerage team leads
    of the team administering its package, a 12-month one to the review team), including one never reminded; every
    scheduled review due within REMIND_BEFORE is marked due and its worker, or the review team, reminded. Each
    step is logged and audited with nobody acting, and one digest e-mail per person told is queued for after the
    commit (reviews.tasks.send_review_digests), with any of the last week's runs whose digests did not all go.
    Returns the run, with how many it reminded and escalated.

    Safe to run twice, or twice at the same moment: a review is moved and stamped with the run in one statement,
    so a later run finds it moved on and tells nobody again, and a run alongside skips the reviews this one holds
    (as it skips a review being recorded or cancelled: if that is not done, the next day's run takes it). A missed
    day is caught up: the conditions are "on or before", not "on".
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        sweep = ReviewSweep.objects.create(day=today)
        with connection.cursor() as cursor:
            cursor.execute(SWEEP, sweep_parameters(today, sweep.pk))
            moved = dict(cursor.fetchall())
        sweep.reminded, sweep.escalated = moved.get("remind", 0), moved.get("mark_overdue", 0)
        sweep.save(update_fields=["reminded", "escalated"])
        if moved:
            enqueue(send_review_digests, sweep.pk)
        for lost in _digests_not_sent(before=sweep):
            enqueue(send_review_digests, lost)
    return sweep


def _digests_not_sent(*, before: ReviewSweep) -> list[int]:
    """Earlier runs of the last week that moved reviews and whose digests have not all gone: their task was lost
    (its worker died after the run committed, before queueing it) or is still being tried. Queued again, they send
    only what had not gone (core.mail.send_once); older ones would tell people too late to be of use."""
    return list(
        ReviewSweep.objects.filter(
            Q(reminded__gt=0) | Q(escalated__gt=0),
            pk__lt=before.pk,
            digests_sent_at__isnull=True,
            day__gte=before.day - REMIND_BEFORE,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
