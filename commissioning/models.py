"""The commissioning of one referral's service (home care and the simpler services): the provider chosen, from a
bid or off the framework, and its own logged steps (commissioning.workflows)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, CommissionWorkflow, State


class Commission(CommissionWorkflow, TimeStampedModel):
    """Finding and contracting a provider for a referral: started when an officer is first given the referral,
    ended when its purchase order is issued. Its page is the referral's."""

    State = State

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="commission")
    # The provider chosen, from a bid or as a spot contract, before the agreement is made.
    chosen_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    chosen_bid = models.ForeignKey("dps.Bid", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    spot_contract_reason = models.TextField(blank=True)
    # A change of provider's challenge (SPEC §4): why a change of times, carer or tasks would not do, and the quality
    # alert sent to contract monitoring about the provider.
    challenge_outcome = models.TextField("Why a change of times, carer or tasks would not do", blank=True)
    quality_alert = models.ForeignKey(
        "concerns.Concern", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(chosen_bid__isnull=True) | models.Q(chosen_provider__isnull=False),
                name="commission_bid_has_its_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"Commission for referral {self.referral_id}"

    @property
    def reference(self) -> str:
        return f"BR-{self.referral_id:06d}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.referral_id])


def explanation_path(explanation, filename: str) -> str:
    """A name nobody can guess or collide with: the person's name is never in it."""
    return f"explanations/{uuid.uuid4().hex}.pdf"


class Explanation(models.Model):
    """A written explanation asked for when a change of provider is challenged: from the provider, and from the
    person or their representative if the officer asks. Received, it is attached: typed in from the letter or
    e-mail, and the document itself (a PDF) if there is one."""

    class From(models.TextChoices):
        PROVIDER = "provider", "The provider"
        PERSON = "person", "The person"
        REPRESENTATIVE = "representative", "The person's representative"

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="explanations")
    from_whom = models.CharField("From", max_length=16, choices=From.choices)
    requested_on = models.DateField()
    received_on = models.DateField(null=True, blank=True)
    text = models.TextField("What it says", blank=True)
    document = models.FileField(upload_to=explanation_path, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received_on__isnull=True) | ~models.Q(text=""),
                name="explanation_received_says_what",
            ),
        ]

    def __str__(self) -> str:
        return f"Explanation from {self.get_from_whom_display().lower()} ({self.commission_id})"


class CommissionTransition(TransitionRecord):
    """One step of a commission: who, when, from, to and why. Written only by COMMISSION_MACHINE."""

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=32, choices=State.choices)
    target = models.CharField(max_length=32, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


COMMISSION_MACHINE = Machine(
    model=Commission,
    log=CommissionTransition,
    subject="commission",
    title="How a provider is found and commissioned",
    layout=LAYOUT,
    person_of=lambda commission: commission.referral.person,
    called="commission",
)
