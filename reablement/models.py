"""A reablement case: the hospital's pathway referral to the single point of access (SPA), SPA's screening and
reablement plan, and, once Brokerage has sourced it, SPA's re-assessments and the ending. The service itself is a
care package (packages); Brokerage's work is a referral (referrals): the case links to both and reads them through
their selectors."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, NOT_SPA, CaseWorkflow, State

HOURS = [MinValueValidator(Decimal("0.25"), "Hours a week must be at least 0.25"), MaxValueValidator(168)]
DAYS_IN_HOSPITAL = 7  # "a week or longer" (the procedure)


class ReablementCase(CaseWorkflow, TimeStampedModel):
    """One hospital pathway referral for reablement, as SPA works it."""

    State = State

    class Ending(models.TextChoices):
        BASELINE = "baseline", "Back at their baseline level of independence"
        IN_HOSPITAL = "in_hospital", "In hospital a week or longer with no expected discharge date"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reablement_cases")
    # The hospital's referral
    hospital = models.CharField(max_length=200)
    ward = models.CharField(max_length=100)
    referred_by_name = models.CharField("Who referred", max_length=200)
    expected_discharge = models.DateField("Expected discharge date")
    needs = models.TextField("What is needed")
    # Screening
    not_accepted_reason = models.TextField(blank=True)
    # The reablement plan
    weekly_hours = models.DecimalField(
        "Hours a week", max_digits=5, decimal_places=2, null=True, blank=True, validators=HOURS
    )
    start_date = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reablement_cases",
        null=True,
        blank=True,
        verbose_name="Reablement worker",
    )
    plan = models.ForeignKey(
        "people.CareAndSupportPlan", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The ending
    termination_reason = models.CharField(max_length=20, choices=Ending.choices, blank=True)
    admitted_on = models.DateField("Date admitted to hospital", null=True, blank=True)
    discharge_expected = models.BooleanField("A discharge date is expected", default=False)
    last_day = models.DateField("Last day of reablement", null=True, blank=True)
    termination_note = models.TextField("What the review found", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="reablement_case_state"),
            # SPA's list in the order it is shown, so a page by key (reablement.selectors) reads only its rows.
            models.Index(fields=["-created_at", "-id"], name="reablement_case_newest"),
            # What waits for Brokerage to apply, oldest first, on an officer's home page (reablement.selectors).
            models.Index(
                fields=["modified_at", "id"],
                condition=Q(state__in=["change_requested", "termination_requested"]),
                name="reablement_case_waiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="not_accepted") | ~Q(not_accepted_reason=""), name="reablement_not_accepted_why"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["with_brokerage", "change_requested", "termination_requested", "terminated"])
                | Q(referral__isnull=False, plan__isnull=False),
                name="reablement_with_brokerage_has_referral",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["termination_requested", "terminated"])
                | Q(termination_reason="baseline", last_day__isnull=False)
                | Q(
                    termination_reason="in_hospital",
                    last_day__isnull=False,
                    admitted_on__isnull=False,
                    discharge_expected=False,
                ),
                name="reablement_ends_for_an_allowed_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: reablement for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("reablement:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RB-{self.pk:06d}"

    @property
    def plan_days(self):
        return self.days.filter(reassessment__isnull=True)

    @property
    def pending_reassessment(self) -> "Reassessment | None":
        """The latest re-assessment Brokerage has not yet applied."""
        return self.reassessments.filter(applied_at__isnull=True).order_by("-id").first()

    @property
    def hours_in_force(self) -> Decimal | None:
        """The hours of the latest applied re-assessment, or else the plan's."""
        latest = self.reassessments.filter(applied_at__isnull=False).order_by("-effective_date", "-id").first()
        return latest.weekly_hours if latest else self.weekly_hours

    def termination_reason_problem(self, today: date | None = None) -> str | None:
        """Why the ending recorded cannot be asked for, or None when it is allowed (the procedure's two reasons)."""
        if self.termination_reason == self.Ending.BASELINE:
            return None if self.last_day else "Enter the last day of reablement."
        if self.termination_reason != self.Ending.IN_HOSPITAL:
            return "Choose why reablement is ending: back at baseline independence, or in hospital a week or longer."
        if self.admitted_on is None:
            return "Enter the date the person was admitted to hospital."
        if self.discharge_expected:
            return "A discharge date is expected: reablement is not ended while the person is expected home."
        if self.last_day is None:
            return "Enter the last day of reablement."
        today = today or timezone.localdate()
        if (today - self.admitted_on).days < DAYS_IN_HOSPITAL:
            return (
                f"The person was admitted on {self.admitted_on:%-d %B %Y}, less than a week ago: reablement ends for a "
                f"hospital stay only after a week or longer, from "
                f"{self.admitted_on + timedelta(days=DAYS_IN_HOSPITAL):%-d %B %Y}."
            )
        return None


class Reassessment(models.Model):
    """SPA's re-assessment asking for more or fewer hours from a date; Brokerage applies it to the package."""

    case = models.ForeignKey(ReablementCase, on_delete=models.PROTECT, related_name="reassessments")
    assessed_on = models.DateField()
    weekly_hours = models.DecimalField("New hours a week", max_digits=5, decimal_places=2, validators=HOURS)
    previous_hours = models.DecimalField(max_digits=5, decimal_places=2)
    effective_date = models.DateField("Date the change takes effect")
    findings = models.TextField("What the re-assessment found")
    evidence = models.TextField("Evidence the reduced service is enough", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(weekly_hours=F("previous_hours")), name="reassessment_changes_the_hours"
            ),
            models.CheckConstraint(
                condition=Q(weekly_hours__gt=F("previous_hours")) | ~Q(evidence=""),
                name="reassessment_decrease_has_evidence",
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(applied_at__isnull=True), name="one_pending_reassessment_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.previous_hours} → {self.weekly_hours} hours from {self.effective_date}"

    @property
    def is_decrease(self) -> bool:
        return self.weekly_hours < self.previous_hours

    @property
    def direction(self) -> str:
        return "Decrease" if self.is_decrease else "Increase"


class DailyCare(models.Model):
    """A row of the daily breakdown: a day's hours and visits, in the plan or in a re-assessment."""

    class Day(models.IntegerChoices):  # ISO weekdays, as packages.VisitSlot
        MONDAY = 1, "Monday"
        TUESDAY = 2, "Tuesday"
        WEDNESDAY = 3, "Wednesday"
        THURSDAY = 4, "Thursday"
        FRIDAY = 5, "Friday"
        SATURDAY = 6, "Saturday"
        SUNDAY = 7, "Sunday"

    case = models.ForeignKey(ReablementCase, on_delete=models.CASCADE, related_name="days")
    reassessment = models.ForeignKey(Reassessment, on_delete=models.CASCADE, related_name="days", null=True, blank=True)
    day = models.PositiveSmallIntegerField(choices=Day.choices)
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    visits = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0, hours__lte=24), name="daily_care_hours_in_range"),
            models.CheckConstraint(condition=Q(visits__gte=1, visits__lte=6), name="daily_care_visits_in_range"),
            models.UniqueConstraint(
                fields=["case", "day"], condition=Q(reassessment__isnull=True), name="one_plan_row_per_day"
            ),
            models.UniqueConstraint(
                fields=["reassessment", "day"], condition=Q(reassessment__isnull=False), name="one_row_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()}: {self.hours} hours, {self.visits} visit(s)"


class CaseTransition(TransitionRecord):
    """One step of a reablement case, shown as its history. Written only by REABLEMENT_MACHINE."""

    case = models.ForeignKey(ReablementCase, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


REABLEMENT_MACHINE = Machine(
    model=ReablementCase,
    log=CaseTransition,
    subject="case",
    title="How reablement runs through the single point of access",
    layout=LAYOUT,
    person_of=lambda case: case.person,
    called="reablement case",
    not_permitted=NOT_SPA,
)
