"""A direct payment (cash personal budget): the work of one referral (catalogue.sourcing) and, once its payments are
scheduled, the service the person receives. No provider: an agreement with the person or their representative and
a schedule of payments. No bank details are kept here: the payments are made by finance from their own records."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.urls import reverse

from approvals.selectors import approved_weekly_amount
from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, DirectPaymentWorkflow, State

# How many of an approved weekly amount one payment of each period may be: a one-off payment (a computer, say) may be
# up to a year's funding.
WEEKS_IN = {"weekly": 1, "four_weekly": 4, "one_off": 52}


class DirectPayment(DirectPaymentWorkflow, TimeStampedModel):
    """A cash personal budget for a person: started when an officer is first given the referral, active once its
    agreement is signed and its payments scheduled."""

    State = State

    class Recipient(models.TextChoices):
        PERSON = "person", "The person"
        REPRESENTATIVE = "representative", "Their representative"

    class Period(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FOUR_WEEKLY = "four_weekly", "Every four weeks"
        ONE_OFF = "one_off", "Once (a one-off payment)"

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="direct_payments")
    team = models.ForeignKey("catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="+")
    # The agreement's terms, as sent.
    recipient = models.CharField("Who receives the payments", max_length=16, choices=Recipient.choices, blank=True)
    recipient_name = models.CharField("Paid to", max_length=200, blank=True)
    purpose = models.TextField("What the budget pays for", blank=True)
    amount = models.DecimalField("Amount of each payment", max_digits=9, decimal_places=2, null=True, blank=True)
    period = models.CharField("How often", max_length=12, choices=Period.choices, blank=True)
    first_payment_on = models.DateField("First payment date", null=True, blank=True)
    sent_on = models.DateField("Agreement sent on", null=True, blank=True)
    # Its signature.
    signed_on = models.DateField("Agreement signed on", null=True, blank=True)
    signed_by_name = models.CharField("Signed by", max_length=200, blank=True)
    # Its end.
    ended_on = models.DateField("Last day", null=True, blank=True)
    ending_reason = models.TextField("Why it ended", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "person"], name="direct_payment_state_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="direct_payment_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["agreement_to_draft", "stopped"])
                | Q(amount__isnull=False, first_payment_on__isnull=False, sent_on__isnull=False)
                & ~Q(recipient_name="")
                & ~Q(period=""),
                name="direct_payment_sent_has_its_terms",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["agreement_signed", "active", "ended"]) | Q(signed_on__isnull=False),
                name="direct_payment_signed_has_its_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="ended") | Q(ended_on__isnull=False), name="direct_payment_ended_has_its_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: direct payment for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("direct_payments:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"DP-{self.pk:06d}"

    @property
    def approved_weekly_amount(self) -> Decimal | None:
        """The weekly amount the plan's funding approval authorised, if any."""
        return approved_weekly_amount(self.referral.plan_id)

    @property
    def most_per_payment(self) -> Decimal | None:
        """The most one payment of this period may be, from the approved weekly amount."""
        weekly = self.approved_weekly_amount
        if weekly is None or self.period not in WEEKS_IN:
            return None
        return weekly * WEEKS_IN[self.period]

    @property
    def amount_is_funded(self) -> bool:
        most = self.most_per_payment
        return self.amount is not None and most is not None and self.amount <= most


class ScheduledPayment(models.Model):
    """One payment due to the person or their representative: the day and the amount. A payment due after the
    direct payment ends is cancelled, not deleted."""

    direct_payment = models.ForeignKey(DirectPayment, on_delete=models.PROTECT, related_name="payments")
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    cancelled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["direct_payment", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["direct_payment", "due_on"], name="scheduled_payment_once_a_day"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="scheduled_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} due {self.due_on:%d %B %Y}"


class DirectPaymentTransition(TransitionRecord):
    """One step of a direct payment: who, when, from, to and why. Written only by DIRECT_PAYMENT_MACHINE."""

    direct_payment = models.ForeignKey(DirectPayment, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=24, choices=State.choices)
    target = models.CharField(max_length=24, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


DIRECT_PAYMENT_MACHINE = Machine(
    model=DirectPayment,
    log=DirectPaymentTransition,
    subject="direct_payment",
    title="How a direct payment is arranged",
    layout=LAYOUT,
    person_of=lambda direct_payment: direct_payment.person,
    called="direct payment",
)
