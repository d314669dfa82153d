"""The commissioning of one referral's service (home care and the simpler services): the provider chosen, from a
bid or off the framework, and its own logged steps (commissioning.workflows)."""

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
