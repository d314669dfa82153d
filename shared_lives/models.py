"""A shared lives arrangement: the social worker's referral of a person to the shared lives scheme, the carer the
scheme matches them with, each taster session and overnight trial stay with how it went, the panel's funding, the
referral to Brokerage and what the officer made of it; with its own logged steps."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from approvals.selectors import approved_weekly_amount
from approvals.workflows import Kind
from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, LIVE_STATES, ArrangementWorkflow, State


class SharedLivesArrangement(ArrangementWorkflow, TimeStampedModel):
    """Finding a shared lives carer for a person and arranging the placement: started when the social worker refers
    the person to the scheme, ended when the purchase order is issued (or when it is not arranged)."""

    State = State

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="shared_lives_arrangements")
    plan = models.ForeignKey("people.CareAndSupportPlan", on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", help_text="The shared lives scheme."
    )
    referral_details = models.TextField("What the scheme should know", blank=True)
    carer_name = models.CharField("Matched carer", max_length=200, blank=True, help_text="The scheme's carer.")
    carer_reference = models.CharField("Carer's reference at the scheme", max_length=50, blank=True)
    match_notes = models.TextField("About the match", blank=True)
    panel_approval = models.ForeignKey(
        "approvals.Approval", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    weekly_cost = models.DecimalField("Weekly cost", max_digits=9, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    agreement = models.OneToOneField(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    package = models.OneToOneField(
        "packages.CarePackage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ending_reason = models.TextField("Why it ended", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "modified_at", "id"], name="shared_lives_state_oldest"),
            models.Index(fields=["scheme", "state"], name="shared_lives_scheme_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state__in=LIVE_STATES), name="shared_lives_one_live_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(weekly_cost__isnull=True) | Q(weekly_cost__gt=0), name="shared_lives_cost_positive"
            ),
            models.CheckConstraint(
                condition=~Q(state="commissioned") | Q(agreement__isnull=False, package__isnull=False),
                name="shared_lives_commissioned_has_agreement_and_package",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["referred", "no_match", "ended"]) | ~Q(carer_name=""),
                name="shared_lives_matched_has_carer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: shared lives for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("shared_lives:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SLS-{self.pk:06d}"

    @property
    def approved_amount(self) -> Decimal | None:
        """The weekly amount the panel approved for the plan, if it has."""
        return approved_weekly_amount(self.plan_id, kinds=(Kind.PANEL,))

    @property
    def cost_is_authorised(self) -> bool:
        amount = self.approved_amount
        return (
            self.weekly_cost is not None and self.weekly_cost > 0 and amount is not None and self.weekly_cost <= amount
        )


class ArrangementTransition(TransitionRecord):
    """One step of a shared lives arrangement: who, when, from, to and why. Written only by ARRANGEMENT_MACHINE."""

    arrangement = models.ForeignKey(SharedLivesArrangement, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


ARRANGEMENT_MACHINE = Machine(
    model=SharedLivesArrangement,
    log=ArrangementTransition,
    subject="arrangement",
    title="How a shared lives arrangement is made",
    layout=LAYOUT,
    person_of=lambda arrangement: arrangement.person,
    called="shared lives arrangement",
)


class Visit(models.Model):
    """A taster session with the matched carer, or an overnight trial stay of one night, and how it went."""

    class Kind(models.TextChoices):
        TASTER = "taster", "Taster session"
        TRIAL_STAY = "trial_stay", "Overnight trial stay"

    class Outcome(models.TextChoices):
        WENT_WELL = "went_well", "Went well"
        DID_NOT = "did_not", "Did not go well"

    arrangement = models.ForeignKey(SharedLivesArrangement, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    on = models.DateField("Date")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["arrangement", "on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["arrangement", "kind", "on"], name="shared_lives_one_visit_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}: {self.get_outcome_display().lower()}"
