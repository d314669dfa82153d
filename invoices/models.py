"""A provider's invoice for a service other than home care, recorded by finance against the purchase order it is
for, checked against that order's value and period, then approved for payment, queried or rejected. The provider's
own invoice number is unique per provider (whatever its case): the same invoice is never recorded twice, even when
two people record it at the same moment."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import LAYOUT, InvoiceWorkflow, State


class Invoice(InvoiceWorkflow, TimeStampedModel):
    State = State

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="invoices")
    # The revision of the order in force on the invoice's first day (the first revision, if the period starts
    # before the order did).
    purchase_order = models.ForeignKey(
        "purchase_orders.PurchaseOrder", on_delete=models.PROTECT, related_name="invoices"
    )
    # The order's care package (packages.CarePackage's id), copied from the order as a plain number, as it keeps it.
    care_package_id = models.PositiveBigIntegerField(null=True, blank=True)
    number = models.CharField("Provider's invoice number", max_length=50)
    period_start = models.DateField("Period from")
    period_end = models.DateField("Period to")
    amount = models.DecimalField("Amount", max_digits=9, decimal_places=2)
    received_on = models.DateField("Received on")
    # What the check found (invoices.checks), when recorded and again when the provider answers a query.
    expected_amount = models.DecimalField(
        "What the order pays for the period", max_digits=11, decimal_places=2, default=0
    )
    over_value = models.BooleanField(default=False)
    days_outside_order = models.PositiveIntegerField(default=0)
    suspended_days = models.PositiveIntegerField(default=0)
    check_detail = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [
            models.Index(fields=["state", "received_on", "id"], name="invoice_state_received"),
        ]
        constraints = [
            # The same invoice posted twice: refused by the database too, whoever posts it and however fast.
            models.UniqueConstraint("provider", Lower("number"), name="invoice_number_unique_per_provider"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="invoice_period_in_order"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"Invoice {self.number} from {self.provider}"

    def get_absolute_url(self) -> str:
        return reverse("invoices:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"INV-{self.pk:06d}"

    @property
    def is_flagged(self) -> bool:
        return self.over_value or bool(self.days_outside_order) or bool(self.suspended_days)

    @property
    def days(self) -> int:
        return (self.period_end - self.period_start).days + 1


class InvoiceTransition(TransitionRecord):
    """One step of an invoice: who, when, from, to and why (the query, the answer, the rejection, why a flagged invoice
    was approved). Written only by INVOICE_MACHINE."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=State.choices)
    target = models.CharField(max_length=16, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


INVOICE_MACHINE = Machine(
    model=Invoice,
    log=InvoiceTransition,
    subject="invoice",
    title="How a provider's invoice is checked",
    layout=LAYOUT,
    person_of=lambda invoice: invoice.purchase_order.agreement.person,
    called="invoice",
    not_permitted="Only a finance officer checks, approves, queries or rejects invoices.",
)
