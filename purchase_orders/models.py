from django.conf import settings
from django.db import models


class PurchaseOrderNumber(models.Model):
    """The last purchase order number used in a year. Taken under a row lock in the same
    transaction as the order, so numbers are gapless: a rolled-back order gives its number back."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PurchaseOrder(models.Model):
    """A numbered order to a provider for a service agreement. A change to the service issues a
    revision with the same number that supersedes the last; when the agreement ends, its order is closed on
    the last day it pays for."""

    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        SUPERSEDED = "superseded", "Superseded"
        CLOSED = "closed", "Closed"

    agreement = models.ForeignKey(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    revision = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ISSUED)
    # What was ordered, as it stood when the order was issued.
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="purchase_orders")
    service_type = models.CharField(max_length=32)
    period_start = models.DateField()
    period_end = models.DateField(null=True, blank=True)
    weekly_hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2)
    reason = models.CharField(max_length=300, blank=True)
    # The visits ordered, as {day, time, minutes, carers} (a care package version's schedule); null on an order
    # issued before orders kept them, which prints its agreement's schedule.
    visits = models.JSONField(null=True, blank=True)
    # A suspension (packages.PackageSuspension) in the order's terms: nothing is delivered or paid from
    # `suspended_from` until `recommences_on` (the first day back), or until further notice while that is unknown.
    suspended_from = models.DateField(null=True, blank=True)
    recommences_on = models.DateField(null=True, blank=True)
    # The care package the order pays for, across its changes of provider: packages.CarePackage's id, kept as a
    # plain number because this app sits below packages and cannot point at it. Set by packages when it issues
    # an order, carried to each revision. At most one order of a package is in force (a database constraint).
    care_package_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Set when the order is closed: it pays for the service up to and including this day, and no further.
    last_day = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    pdf = models.FileField(upload_to="purchase_orders/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    # The PDF and the e-mails are made by a task that a killed worker can lose. When it was last queued
    # is what the sweep (services.requeue_unfinished_orders) reads to queue it again, and not too often.
    render_queued_at = models.DateTimeField(null=True, blank=True)
    # Set in the transaction that holds the order's row lock while its e-mails are sent: a re-run after
    # a crash sends them if this is empty and nothing if it is set.
    announced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["-issued_at", "-id"], name="po_newest_first")]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence", "revision"], name="po_number_revision_unique"),
            # An agreement's latest revision is its order in force (issued) or its last (closed): never two.
            models.UniqueConstraint(
                fields=["agreement"],
                condition=models.Q(status__in=["issued", "closed"]),
                name="one_current_po_per_agreement",
            ),
            # And a care package's: a change of provider closes the old agreement's order before the new one is
            # issued, so two orders in force for one package cannot both be committed, whoever issues them.
            models.UniqueConstraint(
                fields=["care_package_id"],
                condition=models.Q(status="issued"),
                name="one_current_po_per_package",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(last_day__isnull=False),
                name="po_closed_on_a_last_day",
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def number(self) -> str:
        return f"PO-{self.year}-{self.sequence:06d}"

    @property
    def display_number(self) -> str:
        return self.number if self.revision == 1 else f"{self.number} revision {self.revision}"
