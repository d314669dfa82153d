"""A supported living placement: the sourcing work of one referral (catalogue.sourcing), with the providers its
person's details were shared with, each provider's proposal of 1:1 hours and its cost breakdown, the officer's and
the social worker's reviews, the viewing, the panel's funding approval and its own logged steps."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from approvals.selectors import approved_weekly_amount
from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, State, SupportedLivingWorkflow

HOURS = {"max_digits": 5, "decimal_places": 2}
MONEY = {"max_digits": 9, "decimal_places": 2}


class SupportedLivingPlacement(SupportedLivingWorkflow, TimeStampedModel):
    """Finding supported living for a person: started when an officer is first given the referral, ended when its
    purchase order is issued (or when the person is not placed)."""

    State = State

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="supported_living")
    team = models.ForeignKey("catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="+")
    requirement = models.ForeignKey(
        "dps.DPSRequirement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_with = models.ForeignKey("ChosenProvider", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agreed_one_to_one_hours = models.DecimalField("Agreed 1:1 hours a week", null=True, blank=True, **HOURS)
    agreed_weekly_cost = models.DecimalField("Agreed weekly cost", null=True, blank=True, **MONEY)
    funding_approval = models.ForeignKey(
        "approvals.Approval", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField(null=True, blank=True)
    provision_address = models.TextField("Address of the provision", blank=True)
    agreement = models.OneToOneField(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    package = models.OneToOneField(
        "packages.CarePackage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement_pdf = models.FileField(upload_to="supported_living_agreements/", blank=True)
    agreement_rendered_at = models.DateTimeField(null=True, blank=True)
    ending_reason = models.TextField("Why the person is not placed", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "person"], name="sl_state_person"),
            models.Index(fields=["state", "modified_at", "id"], name="sl_state_oldest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_weekly_cost__isnull=True) | Q(agreed_weekly_cost__gt=0), name="sl_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(agreed_one_to_one_hours__isnull=True)
                | Q(agreed_one_to_one_hours__gte=0, agreed_one_to_one_hours__lte=168),
                name="sl_hours_in_a_week",
            ),
            models.CheckConstraint(
                condition=~Q(state="commissioned") | Q(agreement__isnull=False, package__isnull=False),
                name="sl_commissioned_has_agreement_and_package",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: supported living for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("supported_living:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SL-{self.pk:06d}"

    @property
    def plan(self):
        return self.referral.plan

    @property
    def approved_amount(self) -> Decimal | None:
        """The weekly amount the plan's latest funding approval authorised (out of panel, then the panel)."""
        return approved_weekly_amount(self.referral.plan_id)

    @property
    def funding_covers_cost(self) -> bool:
        approval = self.funding_approval
        return (
            self.agreed_weekly_cost is not None
            and approval is not None
            and approval.state == approval.State.APPROVED
            and approval.approved_weekly_amount >= self.agreed_weekly_cost
        )


class SupportedLivingTransition(TransitionRecord):
    """One step of a supported living placement: who, when, from, to and why. Written only by its machine."""

    placement = models.ForeignKey(SupportedLivingPlacement, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


SUPPORTED_LIVING_MACHINE = Machine(
    model=SupportedLivingPlacement,
    log=SupportedLivingTransition,
    subject="placement",
    title="How supported living is found",
    layout=LAYOUT,
    person_of=lambda placement: placement.person,
    called="supported living placement",
)


class ChosenProvider(models.Model):
    """A provider the person's details were shared with for its assessment: a bidder the officer chose, or a provider
    off the DPS with the reason; and how the person's viewing of its provision went."""

    class Outcome(models.TextChoices):
        TO_VIEW = "to_view", "Not viewed"
        SUITABLE = "suitable", "Suitable: the person would like to live there"
        NOT_SUITABLE = "not_suitable", "Not suitable"

    placement = models.ForeignKey(SupportedLivingPlacement, on_delete=models.PROTECT, related_name="chosen")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    bid = models.ForeignKey("dps.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    off_framework_reason = models.TextField(blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.TO_VIEW)
    viewed_on = models.DateField(null=True, blank=True)
    viewing_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["placement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "provider"], name="sl_chosen_once"),
            models.CheckConstraint(
                condition=Q(bid__isnull=False) | ~Q(off_framework_reason=""), name="sl_chosen_bid_or_reason"
            ),
            models.CheckConstraint(
                condition=Q(outcome="to_view") | Q(viewed_on__isnull=False), name="sl_chosen_viewed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return str(self.provider)


class Proposal(models.Model):
    """A chosen provider's proposal after its assessment: the 1:1 hours a week and the weekly cost, as line items
    that sum to it. Sent through the portal by the provider, or recorded by the officer for it."""

    chosen = models.OneToOneField(ChosenProvider, on_delete=models.PROTECT, related_name="proposal")
    one_to_one_hours = models.DecimalField("1:1 hours a week", **HOURS)
    weekly_cost = models.DecimalField("Weekly cost", **MONEY)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekly_cost__gt=0), name="sl_proposal_cost_positive"),
            models.CheckConstraint(
                condition=Q(one_to_one_hours__gte=0, one_to_one_hours__lte=168), name="sl_proposal_hours_in_a_week"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chosen.provider}: {self.one_to_one_hours} 1:1 hours, £{self.weekly_cost} a week"


class CostLine(models.Model):
    """One line of a proposal's weekly cost breakdown."""

    class Kind(models.TextChoices):
        CORE = "core", "Core (shared) support"
        ONE_TO_ONE = "one_to_one", "1:1 support"
        SLEEP_IN = "sleep_in", "Sleep-in or waking nights"
        OTHER = "other", "Other"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    weekly_amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["proposal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="sl_cost_line_once"),
            models.CheckConstraint(condition=Q(weekly_amount__gt=0), name="sl_cost_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: £{self.weekly_amount}"


class JointReview(models.Model):
    """The officer's or the social worker's review of the proposals: both are needed before negotiation."""

    class By(models.TextChoices):
        OFFICER = "officer", "Brokerage officer"
        SOCIAL_WORKER = "social_worker", "Social worker"

    placement = models.ForeignKey(SupportedLivingPlacement, on_delete=models.PROTECT, related_name="reviews")
    by_role = models.CharField(max_length=16, choices=By.choices)
    preferred = models.ForeignKey(ChosenProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "id"]
        constraints = [models.UniqueConstraint(fields=["placement", "by_role"], name="sl_review_once_each")]

    def __str__(self) -> str:
        return f"{self.get_by_role_display()}'s review"
