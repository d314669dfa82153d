"""Reviews of a care package: when each is due, who carries it out, and what it found."""

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Func, Q, When
from django.urls import reverse

from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, OPEN_STATES, REMIND_BEFORE, Kind, ReviewWorkflow, State


class ReviewSweep(models.Model):
    """One run of the daily sweep (reviews.services.sweep_reviews): the day it swept for and what it moved. The
    reviews it reminded and escalated point at it, so its digest e-mails are sent by its id, once each, however
    often the task that sends them runs."""

    day = models.DateField()
    ran_at = models.DateTimeField(auto_now_add=True)
    reminded = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    # Set once every digest of the run has gone: a run whose digest task was lost (its worker died between the
    # commit and queueing it) is queued again by the next morning's run (reviews.services.sweep_reviews).
    digests_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Review sweep for {self.day}: {self.reminded} reminded, {self.escalated} escalated"


class Review(ReviewWorkflow):
    """A 6-week or 12-month review of a care package. A 6-week review is assigned to a worker; a 12-month review
    belongs to the review team as a whole, so it has nobody assigned."""

    Kind = Kind
    State = State

    package = models.ForeignKey("packages.CarePackage", on_delete=models.PROTECT, related_name="+")
    # The package's person, kept here so who may see whom (people.access) is one condition on this table. Looked
    # up through review_person_state, so it has no index of its own: every index is written again when the sweep
    # moves a review.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    due_on = models.DateField("Due")
    # Looked up through review_open_mine; users are never deleted, so no index of its own either (see person).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    note = models.TextField("Why it was scheduled", blank=True)
    outcome = models.TextField("What the review found", blank=True)
    cancel_reason = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # nothing lists reviews by who scheduled them
    scheduled_at = models.DateTimeField(auto_now_add=True)
    # Set by the sweep that moved the review on, in the same statement: a review is reminded once and escalated
    # once, whichever sweep (or two at the same moment) gets there first.
    reminded_in = models.ForeignKey(
        ReviewSweep, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    escalated_in = models.ForeignKey(
        ReviewSweep, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    # The day the daily sweep next has something to do with the review: the reminder's day while it is scheduled,
    # the day after its due date while it is due; none once it is overdue or closed. Kept by the database from the
    # state and due date. The sweep reads it, not (state, due_on): with years of closed reviews past their due date,
    # PostgreSQL guessed a third of the table for "open and past due" and read it all; of this column it knows.
    sweep_on = models.GeneratedField(
        expression=Case(
            When(state=State.SCHEDULED, then=Func(F("due_on"), template=f"(%(expressions)s - {REMIND_BEFORE.days})")),
            When(state=State.DUE, then=Func(F("due_on"), template="(%(expressions)s + 1)")),
            default=None,
            output_field=models.DateField(),
        ),
        output_field=models.DateField(null=True),
        db_persist=True,
    )

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=Kind.SIX_WEEK, assigned_to__isnull=False)
                | Q(kind=Kind.TWELVE_MONTH, assigned_to__isnull=True),
                name="review_six_week_assigned_twelve_month_to_the_team",
            ),
            models.CheckConstraint(condition=~Q(state=State.DONE) | ~Q(outcome=""), name="review_done_has_its_outcome"),
            models.CheckConstraint(
                condition=~Q(state=State.CANCELLED) | ~Q(cancel_reason=""), name="review_cancelled_says_why"
            ),
            models.UniqueConstraint(
                fields=["package", "kind"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_review_per_package_and_kind",
                violation_error_message="This package already has an open review of that kind.",
            ),
        ]
        # Ending with the id, as the lists are ordered (reviews.selectors): hundreds fall due on one day, and
        # without it each of them was joined to its person and package before the first 50 could be taken.
        indexes = [
            # The review team's lists, one a state, and its counts of due and overdue: 12-month reviews only (a
            # 6-week review is its worker's: review_open_mine), so moving a 6-week review writes nothing here.
            models.Index(
                fields=["state", "due_on", "id"],
                condition=Q(kind=Kind.TWELVE_MONTH, state__in=OPEN_STATES),
                name="review_open_team",
            ),
            models.Index(
                fields=["assigned_to", "due_on", "id"],
                condition=Q(state__in=OPEN_STATES, assigned_to__isnull=False),  # 12-month reviews have nobody
                name="review_open_mine",
            ),
            models.Index(fields=["person", "state"], name="review_person_state"),
            # The daily sweep's one range (sweep_on on or before its day): only the reviews it may still move.
            models.Index(fields=["sweep_on"], condition=Q(sweep_on__isnull=False), name="review_to_sweep"),
            # A sweep's digests read its reviews back (reviews.notifications).
            models.Index(fields=["reminded_in"], condition=Q(reminded_in__isnull=False), name="review_reminded_in"),
            models.Index(fields=["escalated_in"], condition=Q(escalated_in__isnull=False), name="review_escalated_in"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.package_id}, due {self.due_on}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RV-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReviewTransition(TransitionRecord):
    """One step of a review: who, when, from, to and why. Written by REVIEW_MACHINE, and by the daily sweep for the
    steps it takes in bulk (remind, mark_overdue), which nobody takes by hand: those have nobody as `by`."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="transitions")
    # Nothing lists a review's steps by who took them, and users are never deleted: no index to write per step.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    source = models.CharField(max_length=16, choices=State.choices)
    target = models.CharField(max_length=16, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


REVIEW_MACHINE = Machine(
    model=Review,
    log=ReviewTransition,
    subject="review",
    title="How a review is carried out",
    layout=LAYOUT,
    person_of=lambda review: review.person,
    called="review",
)
