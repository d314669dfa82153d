"""The service a person receives: a care package, its effective-dated versions, the agreements it is delivered
under and each version's visits.

Dates in this app are half-open, as PostgreSQL's ranges are: a row is in force from `valid_from` up to, not
including, `valid_to` (null: open-ended). So one version's `valid_to` is the next one's `valid_from`, and the last
day of service is `valid_to` less a day (`last_day`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import NOT_THE_TEAM, PackageWorkflow, State


class DateRange(models.Func):
    """daterange(from, to, '[)'): the days from `from` up to, not including, `to`; open-ended when `to` is null."""

    function = "DATERANGE"
    output_field = DateRangeField()


def period(start: str = "valid_from", end: str = "valid_to") -> DateRange:
    return DateRange(start, end, RangeBoundary(inclusive_lower=True, inclusive_upper=False))


def reference_for(package_id: int) -> str:
    """A care package's reference, as its purchase orders and the call monitoring export carry it: CP-000123."""
    return f"CP-{package_id:06d}"


class CarePackage(PackageWorkflow, TimeStampedModel):
    """The service a person receives, from the referral that commissioned it to its end, whichever provider
    delivers it: a change of provider moves the package to a new agreement, it does not start another."""

    State = State

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="care_packages")
    service_type = models.ForeignKey(
        "catalogue.ServiceType", on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The referral that commissioned it.",
    )
    # The team that administers it, fixed from the referral that commissioned it, as a referral's is.
    team = models.ForeignKey("catalogue.Team", on_delete=models.PROTECT, related_name="+", db_column="team")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "state"], name="package_person_state")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.service_type.name} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("packages:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return reference_for(self.pk)


class PackageTransition(TransitionRecord):
    """One step of a package's life: who, when, from, to and why. Written only by PACKAGE_MACHINE."""

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=20, choices=State.choices)
    target = models.CharField(max_length=20, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


PACKAGE_MACHINE = Machine(
    model=CarePackage,
    log=PackageTransition,
    subject="package",
    title="How a care package runs",
    layout={State.PENDING_START: (0, 0), State.ACTIVE: (0, 1), State.SUSPENDED: (1, 1), State.ENDED: (0, 2)},
    person_of=lambda package: package.person,
    called="package",
    not_permitted=NOT_THE_TEAM,
)


class PackageAgreement(models.Model):
    """A service agreement the package is delivered under, and for which days: one provider at a time."""

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="agreements")
    agreement = models.OneToOneField("brokerage.ServiceAgreement", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            # One live agreement at a time: a new provider's days cannot overlap the last one's. The database says
            # no even to two officers commissioning the same package at the same moment.
            ExclusionConstraint(
                name="package_agreements_never_overlap",
                expressions=[(period(), RangeOperators.OVERLAPS), ("package", RangeOperators.EQUAL)],
                violation_error_message="This package is already delivered under another agreement on those days.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="package_agreement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} for {self.package_id} from {self.valid_from}"


class PackageVersion(models.Model):
    """The package's terms for a period: its hours, visits, rate and weekly cost, under one agreement. Versions of
    a package never overlap, so one query says what was in force on any day (selectors.in_force_on). Each version
    issues a purchase order revision. A version replaced on the day it began is kept, empty (`valid_to` equal to
    `valid_from`): it was never in force, but its order was issued."""

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="versions")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    agreement = models.ForeignKey("brokerage.ServiceAgreement", on_delete=models.PROTECT, related_name="+")
    weekly_hours = models.DecimalField("Hours a week", max_digits=5, decimal_places=2, null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField("Why it changed", max_length=300)
    # When a temporary increase ends and the package goes back (set by the increase, a later issue).
    reverts_on = models.DateField(null=True, blank=True)
    purchase_order = models.OneToOneField(
        "purchase_orders.PurchaseOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            ExclusionConstraint(
                name="package_versions_never_overlap",
                expressions=[(period(), RangeOperators.OVERLAPS), ("package", RangeOperators.EQUAL)],
                violation_error_message="This package already has terms in force on those days.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="package_version_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(weekly_cost__gt=0), name="package_version_cost_positive"),
            models.CheckConstraint(
                condition=Q(reverts_on__isnull=True) | Q(reverts_on__gt=F("valid_from")),
                name="package_version_reverts_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package_id} from {self.valid_from}"

    @property
    def last_day(self):
        """The last day in force (inclusive), or None while open-ended."""
        return None if self.valid_to is None else self.valid_to - timedelta(days=1)

    @property
    def was_in_force(self) -> bool:
        """False for a version replaced on the day it began."""
        return self.valid_to is None or self.valid_to > self.valid_from


class PackageSuspension(models.Model):
    """Days the service is not delivered, nor paid: from `valid_from` (the first day suspended) up to `valid_to`,
    the day it recommences (null: until further notice). A package's suspensions never overlap. The package's
    state follows them as their days come (changes.services sweeps the scheduled ones)."""

    class Reason(models.TextChoices):
        HOSPITAL = "hospital", "Hospital admission"
        HOLIDAY = "holiday", "Holiday"
        OTHER = "other", "Other"

    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="suspensions")
    valid_from = models.DateField("Suspended from")
    valid_to = models.DateField("Recommences on", null=True, blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "id"]
        constraints = [
            ExclusionConstraint(
                name="package_suspensions_never_overlap",
                expressions=[(period(), RangeOperators.OVERLAPS), ("package", RangeOperators.EQUAL)],
                violation_error_message="This package is already suspended on some of those days.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="package_suspension_recommences_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package_id} suspended from {self.valid_from}"

    @property
    def last_day(self):
        """The last day suspended (inclusive), or None until the recommencement is known."""
        return None if self.valid_to is None else self.valid_to - timedelta(days=1)


class VisitSlot(models.Model):
    """A planned visit in a version's week: electronic call monitoring pays a visit that matches one."""

    class Day(models.IntegerChoices):  # ISO weekdays, so a week sorts Monday first
        MONDAY = 1, "Monday"
        TUESDAY = 2, "Tuesday"
        WEDNESDAY = 3, "Wednesday"
        THURSDAY = 4, "Thursday"
        FRIDAY = 5, "Friday"
        SATURDAY = 6, "Saturday"
        SUNDAY = 7, "Sunday"

    version = models.ForeignKey(PackageVersion, on_delete=models.CASCADE, related_name="visits")
    day = models.PositiveSmallIntegerField(choices=Day.choices)
    time = models.TimeField()
    minutes = models.PositiveSmallIntegerField()
    carers = models.PositiveSmallIntegerField(default=1)
    # A visit the person needs every day (medication, meals) happens on bank holidays too; some (a weekly
    # shopping call) do not. Planned visits for finance (finance.services) leave the latter out on those days.
    on_bank_holidays = models.BooleanField("Also on bank holidays", default=True)

    class Meta:
        ordering = ["day", "time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=5, minutes__lte=720), name="visit_minutes_in_range"),
            models.CheckConstraint(condition=Q(carers__gte=1, carers__lte=4), name="visit_carers_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()} {self.time:%H:%M}, {self.minutes} minutes, {self.carers} carer(s)"
