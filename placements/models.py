"""A residential or nursing placement: the sourcing work of one referral (catalogue.sourcing), with the homes sent
for viewing, each provider assessment, every fee offer and counter-offer, and its own logged steps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from approvals.selectors import approved_weekly_amount
from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, PlacementWorkflow, State


class Placement(PlacementWorkflow, TimeStampedModel):
    """Finding a care home for a person: started when an officer is first given the referral, ended when its
    purchase order is issued (or when the person is not placed)."""

    State = State

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    team = models.ForeignKey("catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="+")
    requested_location = models.CharField(
        "Where the person asked to live", max_length=200, blank=True, help_text="From the care and support plan."
    )
    requirement = models.ForeignKey(
        "dps.DPSRequirement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weekly_fee = models.DecimalField("Weekly fee", max_digits=9, decimal_places=2, null=True, blank=True)
    fee_approval = models.ForeignKey(
        "approvals.Approval", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    admission_date = models.DateField(null=True, blank=True)
    agreement = models.OneToOneField(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    package = models.OneToOneField(
        "packages.CarePackage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract_pdf = models.FileField(upload_to="placement_contracts/", blank=True)
    contract_rendered_at = models.DateTimeField(null=True, blank=True)
    ending_reason = models.TextField("Why the person is not placed", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "person"], name="placement_state_person"),
            # The home pages' lists of one state, oldest first (placements.selectors): the first 20 are read in
            # order, not every placement in that state joined to its person and plan and then sorted.
            models.Index(fields=["state", "modified_at", "id"], name="placement_state_oldest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_fee__isnull=True) | Q(weekly_fee__gt=0), name="placement_fee_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state="commissioned") | Q(agreement__isnull=False, package__isnull=False),
                name="placement_commissioned_has_agreement_and_package",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.service_type.name} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("placements:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"PL-{self.pk:06d}"

    @property
    def current_assessment(self):
        return self.assessments.select_related("home__provider").order_by("-id").first()

    @property
    def chosen_home(self):
        """The home whose assessment accepted the person, once one has."""
        assessment = self.assessments.filter(result="accepted").select_related("home__provider").last()
        return assessment.home if assessment else None

    @property
    def plan_amount(self):
        """The weekly amount the plan's out-of-panel approval authorised, if any."""
        return approved_weekly_amount(self.referral.plan_id)

    @property
    def fee_within_plan(self) -> bool:
        plan_amount = self.plan_amount
        return self.weekly_fee is not None and plan_amount is not None and self.weekly_fee <= plan_amount

    @property
    def fee_is_authorised(self) -> bool:
        """The fee is within the plan's approved amount, or a head of service approved at least this fee."""
        if self.weekly_fee is None:
            return False
        if self.fee_within_plan:
            return True
        approval = self.fee_approval
        return (
            approval is not None
            and approval.state == approval.State.APPROVED
            and approval.approved_weekly_amount >= self.weekly_fee
        )


class PlacementTransition(TransitionRecord):
    """One step of a placement: who, when, from, to and why. Written only by PLACEMENT_MACHINE."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


PLACEMENT_MACHINE = Machine(
    model=Placement,
    log=PlacementTransition,
    subject="placement",
    title="How a care home placement is found",
    layout=LAYOUT,
    person_of=lambda placement: placement.person,
)


class PlacementHome(models.Model):
    """A home on the list sent to the social worker for viewings: a bidder, or a home off the framework with the
    reason; and how the person's viewing went."""

    class Outcome(models.TextChoices):
        TO_VIEW = "to_view", "Not viewed yet"
        SUITABLE = "suitable", "Suitable: the person would like to move there"
        NOT_SUITABLE = "not_suitable", "Not suitable"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="homes")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    bid = models.ForeignKey("dps.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    off_framework_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.TO_VIEW)
    viewed_on = models.DateField(null=True, blank=True)
    viewing_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["placement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "provider"], name="placement_home_once"),
            models.CheckConstraint(
                condition=Q(bid__isnull=False) | ~Q(off_framework_reason=""), name="placement_home_bid_or_reason"
            ),
            models.CheckConstraint(
                condition=Q(outcome="to_view") | Q(viewed_on__isnull=False), name="placement_home_viewed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return str(self.provider)


class PlacementAssessment(models.Model):
    """A home's assessment of the person, arranged for a date, and its result."""

    class Result(models.TextChoices):
        PENDING = "pending", "Arranged"
        ACCEPTED = "accepted", "Accepted: the home can meet the person's needs"
        DECLINED = "declined", "Declined"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="assessments")
    home = models.ForeignKey(PlacementHome, on_delete=models.PROTECT, related_name="assessments")
    arranged_for = models.DateField("Assessment date")
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.PENDING)
    notes = models.TextField(blank=True)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    arranged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement"], condition=Q(result="pending"), name="placement_one_pending_assessment"
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment by {self.home} on {self.arranged_for}"


class FeeOffer(models.Model):
    """One offer or counter-offer in the fee negotiation, as it was made."""

    class By(models.TextChoices):
        PROVIDER = "provider", "The home"
        COUNCIL = "council", "Brokerage"

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="offers")
    offered_by = models.CharField(max_length=10, choices=By.choices)
    weekly_amount = models.DecimalField(max_digits=9, decimal_places=2)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["placement", "recorded_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(weekly_amount__gt=0), name="fee_offer_positive")]

    def __str__(self) -> str:
        return f"{self.get_offered_by_display()}: £{self.weekly_amount} a week"
