from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from core.workflow import Machine, TransitionRecord
from people.languages import language_choices
from people.models import Specialism

from .workflows import LAYOUT, RequirementWorkflow, Status


class PurchasingArrangement(models.Model):
    """A framework providers join for a service type and compete within for each package.

    A Dynamic Purchasing System (Public Contracts Regulations 2015) and a Dynamic Market
    (Procurement Act 2023, from 24 February 2025) work the same way here: members are admitted
    at any time and each package is a mini-competition. Existing DPSs run until they expire.
    """

    class Kind(models.TextChoices):
        DPS = "dps", "Dynamic Purchasing System (Public Contracts Regulations 2015)"
        DYNAMIC_MARKET = "dynamic_market", "Dynamic Market (Procurement Act 2023)"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=models.F("starts_on")),
                name="arrangement_expires_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="dps") | models.Q(starts_on__gte="2025-02-24"),
                name="dynamic_market_only_under_procurement_act",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.expires_on is None or day <= self.expires_on)


class DPSRequirement(RequirementWorkflow):
    """A package put out to the providers on an arrangement for a mini-competition.

    It holds its own copy of everything providers may see, so no provider-facing page ever
    needs the person: the only personal information on it is the postcode district.
    """

    Status = Status

    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="requirements")
    arrangement = models.ForeignKey(PurchasingArrangement, on_delete=models.PROTECT, related_name="requirements")
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    postcode_district = models.CharField(max_length=4)
    preferred_location = models.CharField(
        "Where the person asked to live",
        max_length=200,
        blank=True,
        help_text="An area or town, for a care home placement. No addresses or other personal details.",
    )
    weekly_hours = models.DecimalField("Hours a week", max_digits=5, decimal_places=2, null=True, blank=True)
    visit_schedule = models.JSONField(default=list, blank=True)
    start_date = models.DateField()
    specialisms = ArrayField(models.CharField(max_length=32, choices=Specialism.choices), default=list, blank=True)
    language = models.CharField(max_length=3, choices=language_choices, blank=True)
    summary = models.TextField(
        "About the package", help_text="What providers need to know. No names or personal details."
    )
    closes_at = models.DateTimeField("Bidding closes")
    quality_weight = models.PositiveSmallIntegerField(
        "Weight of quality (%)", default=60, help_text="Price carries the rest."
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)
    selected_bid = models.ForeignKey("Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    selection_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "requirement"
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["status", "service_type", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(quality_weight__lte=100), name="requirement_weight_percent"),
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["open", "closed"]),
                name="one_live_requirement_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.service_type.name} in {self.postcode_district}"

    @property
    def reference(self) -> str:
        return f"DPS-{self.pk:06d}"

    @property
    def specialism_labels(self) -> list[str]:
        return [Specialism(s).label for s in self.specialisms]

    @property
    def price_weight(self) -> int:
        return 100 - self.quality_weight

    @property
    def is_open_for_bids(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() < self.closes_at


class RequirementTransition(TransitionRecord):
    """One step of a requirement's competition, with who took it and why. Written only by REQUIREMENT_MACHINE."""

    requirement = models.ForeignKey(DPSRequirement, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=Status.choices)
    target = models.CharField(max_length=16, choices=Status.choices)

    class Meta(TransitionRecord.Meta):
        pass


REQUIREMENT_MACHINE = Machine(
    model=DPSRequirement,
    log=RequirementTransition,
    subject="requirement",
    state_field="status",
    title="How a requirement's competition runs",
    layout=LAYOUT,
    person_of=lambda requirement: requirement.referral.person,
)


class OutcomeStatement(models.Model):
    """An outcome the package must achieve; each bidder answers each one and the officer scores it."""

    requirement = models.ForeignKey(DPSRequirement, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["requirement", "position"]
        constraints = [models.UniqueConstraint(fields=["requirement", "position"], name="outcome_position_unique")]

    def __str__(self) -> str:
        return self.text


class Bid(models.Model):
    class Basis(models.TextChoices):
        HOURLY = "hourly", "Per hour"
        WEEKLY = "weekly", "Per week"

    requirement = models.ForeignKey(DPSRequirement, on_delete=models.PROTECT, related_name="bids")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="bids")
    price_basis = models.CharField(max_length=8, choices=Basis.choices)
    price = models.DecimalField(max_digits=9, decimal_places=2)
    weekly_price = models.DecimalField(max_digits=9, decimal_places=2)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requirement", "weekly_price"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "provider"], name="one_bid_per_provider"),
            models.CheckConstraint(condition=models.Q(price__gt=0, weekly_price__gt=0), name="bid_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: £{self.weekly_price} a week"


class BidAnswer(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="answers")
    outcome = models.ForeignKey(OutcomeStatement, on_delete=models.PROTECT, related_name="answers")
    answer = models.TextField()
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 (no answer) to 5 (excellent)")

    class Meta:
        ordering = ["bid", "outcome__position"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "outcome"], name="one_answer_per_outcome"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=5), name="score_0_to_5"
            ),
        ]


class SpotContractNotice(models.Model):
    """A provider used off the framework: the DPS team is told, so it can invite them to enrol."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    reason = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["acknowledged_by", "-raised_at"]

    def __str__(self) -> str:
        return f"Spot contract with {self.provider}"
