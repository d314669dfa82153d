from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from brokerage.teams import Team
from core.models import TimeStampedModel
from people.models import OUT_OF_PANEL_SERVICES, REFERRAL_ONLY_SERVICES, FundingDecision, ServiceType

from .workflows import BROKERAGE_STATES, LIVE_STATES, OPEN_STATES, TEAM_WORK_STATES, ReferralWorkflow, State


class Referral(ReferralWorkflow, TimeStampedModel):
    """A piece of work sent to Brokerage: every kind in SPEC §2–§3 comes through here."""

    class Kind(models.TextChoices):
        SUPPORT_PLAN = "support_plan", "New care and support plan"
        URGENT_RESPONSE = "urgent_response", "Urgent response"
        LONGER_TERM_ASSESSMENT = "longer_term_assessment", "Longer-term assessment"
        CHANGE = "change", "Change to an existing service"
        SOURCING_SUPPORT = "sourcing_support", "Sourcing support before the plan is signed off"

    class Change(models.TextChoices):
        INCREASE = "increase", "Increase"
        REDUCE = "reduce", "Reduce"
        SUSPEND = "suspend", "Suspend"
        CHANGE_PROVIDER = "change_provider", "Change of provider"

    State = State

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    plan = models.ForeignKey(
        "people.CareAndSupportPlan", on_delete=models.PROTECT, related_name="referrals", null=True, blank=True
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    change = models.CharField(max_length=20, choices=Change.choices, blank=True)
    service_type = models.CharField(max_length=32, choices=ServiceType.choices)
    details = models.TextField("What Brokerage needs to know")
    urgent = models.BooleanField(default=False)
    effective_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="When a temporary increase ends.")
    puts_person_at_risk = models.BooleanField(default=False)
    risk_strategies = models.TextField(blank=True)
    risk_strategies_agreed_at = models.DateTimeField(null=True, blank=True)
    referred_on_to = models.CharField(max_length=200, blank=True)
    # The team is fixed when the referral is made, from the person's area, so the queue is one index.
    team = models.CharField(max_length=8, choices=Team.choices)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made")
    submitted_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    due_by = models.DateTimeField(null=True, blank=True, help_text="When sourcing should be done by.")
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_allocated", null=True, blank=True
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    sourcing_options = models.TextField(blank=True)
    # The provider chosen, from a bid or as a spot contract, before the agreement is made.
    chosen_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    chosen_bid = models.ForeignKey("dps.Bid", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    spot_contract_reason = models.TextField(blank=True)
    active_at = models.DateTimeField(null=True, blank=True, help_text="When the purchase order made it active.")

    class Meta:
        ordering = ["-urgent", "queued_at", "id"]
        indexes = [
            models.Index(fields=["team", "state", "-urgent", "queued_at"], name="referral_queue"),
            models.Index(fields=["allocated_to", "state"], name="referral_officer"),
            # "Referrals you made", newest first, on a practitioner's home page.
            models.Index(fields=["referred_by", "-created_at"], name="referral_referrer"),
            # Which people a team has work for (people.access): a few thousand rows of half a million.
            models.Index(fields=["team", "person"], condition=Q(state__in=TEAM_WORK_STATES), name="referral_team_work"),
            # The team's whole queue in the order it is shown, so a page is read, not sorted.
            # Covering: the counts on officers' and team leads' home pages are read from it alone.
            models.Index(
                fields=["team", "-urgent", "queued_at", "id"],
                condition=Q(state__in=BROKERAGE_STATES),
                include=["state", "allocated_to", "due_by"],
                name="referral_team_queue",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(service_type__in=["telecare", "minor_works", "ot_equipment"]),
                name="referral_service_is_brokered",
            ),
            models.CheckConstraint(
                condition=Q(kind="change", change__gt="") | (~Q(kind="change") & Q(change="")),
                name="referral_change_type_only_for_changes",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(effective_date__isnull=False, end_date__gt=models.F("effective_date")),
                name="referral_end_after_effective_date",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "change"],
                condition=Q(plan__isnull=False, state__in=LIVE_STATES),
                name="one_live_referral_per_plan_and_kind",
                violation_error_message="There is already a referral of this kind for this plan.",
            ),
            models.CheckConstraint(
                condition=~Q(
                    state__in=[
                        "allocated",
                        "options_returned",
                        "requirement_published",
                        "bidding_closed",
                        "provider_selected",
                        "details_shared",
                        "active",
                    ]
                )
                | Q(allocated_to__isnull=False),
                name="referral_allocated_has_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk}: {self.get_kind_display()} for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"BR-{self.pk:06d}"

    @property
    def is_referral_only(self) -> bool:
        return self.service_type in REFERRAL_ONLY_SERVICES

    @property
    def needs_funding(self) -> bool:
        """A new or increased service needs a practitioner's authorisation: a funded plan (SPEC §2)."""
        if self.kind in (self.Kind.SUPPORT_PLAN, self.Kind.LONGER_TERM_ASSESSMENT):
            return True
        return self.kind == self.Kind.CHANGE and self.change in (self.Change.INCREASE, self.Change.CHANGE_PROVIDER)

    @property
    def needs_out_of_panel_approval(self) -> bool:
        return self.service_type in OUT_OF_PANEL_SERVICES

    @property
    def has_approved_funding(self) -> bool:
        if self.plan_id is None:
            return False
        return self.plan.funding_decisions.filter(decision=FundingDecision.Decision.APPROVED).exists()

    @property
    def live_requirement(self):
        """The requirement out for bids or under review, if any."""
        return self.requirements.filter(status__in=["open", "closed"]).first()

    @property
    def active_agreement(self):
        return self.agreements.filter(status="active").first()

    @property
    def sourcing_time(self):
        """How long sourcing took: from joining the queue to the purchase order (SPEC §6)."""
        if self.active_at and self.queued_at:
            return self.active_at - self.queued_at
        return None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReferralTransition(models.Model):
    """One step of a referral's journey, shown as its timeline. Written only by referrals.services."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="transitions")
    name = models.CharField(max_length=50)
    source = models.CharField(max_length=32, choices=State.choices)
    target = models.CharField(max_length=32, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.source} → {self.target}"
