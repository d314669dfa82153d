"""A person's annual respite allowance (the sourcing work of one respite referral, catalogue.sourcing) and the
bookings that draw on it. The balance is kept in the database: `booked`, the cost of the bookings not cancelled,
changed only under the allowance's row lock, and never above the amount (a CHECK constraint), so two bookings made at
the same moment cannot overdraw it."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import BOOKING_LAYOUT, LAYOUT, BookingState, RespiteAllowanceWorkflow, RespiteBookingWorkflow, State


class RespiteAllowance(RespiteAllowanceWorkflow, TimeStampedModel):
    """The sum the panel approved for a year of respite, loaded by Brokerage, made known by letter, drawn on by
    bookings until the year ends."""

    State = State

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="respite_allowances")
    team = models.ForeignKey("catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="+")
    approval = models.ForeignKey(
        "approvals.Approval", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField("Annual allowance", max_digits=9, decimal_places=2, null=True, blank=True)
    year_start = models.DateField("Allowance year starts", null=True, blank=True)
    year_end = models.DateField("Allowance year ends", null=True, blank=True)
    booked = models.DecimalField(
        "Booked", max_digits=9, decimal_places=2, default=0, help_text="The cost of the bookings not cancelled."
    )
    letter_pdf = models.FileField(upload_to="respite_letters/", blank=True)
    letter_rendered_at = models.DateTimeField(null=True, blank=True)
    letter_sent_to = models.CharField("Sent to", max_length=200, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    ending_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "year_end"], name="respite_allowance_state_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(booked__gte=0), name="respite_booked_not_negative"),
            # The allowance cannot be overdrawn, whoever books and however many at once.
            models.CheckConstraint(
                condition=Q(amount__isnull=True, booked=0) | Q(amount__gt=0, booked__lte=F("amount")),
                name="respite_booked_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(year_start__isnull=True, year_end__isnull=True) | Q(year_end__gt=F("year_start")),
                name="respite_year_in_order",
            ),
            models.CheckConstraint(
                condition=Q(state__in=[State.TO_LOAD, State.STOPPED])
                | Q(amount__isnull=False, year_start__isnull=False, year_end__isnull=False),
                name="respite_loaded_has_amount_and_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: respite allowance for {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("respite:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RA-{self.pk:06d}"

    @property
    def balance(self):
        """What is left to book, once loaded."""
        return None if self.amount is None else self.amount - self.booked


class AllowanceTransition(TransitionRecord):
    """One step of an allowance: who, when, from, to and why. Written only by ALLOWANCE_MACHINE."""

    allowance = models.ForeignKey(RespiteAllowance, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=State.choices)
    target = models.CharField(max_length=16, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


ALLOWANCE_MACHINE = Machine(
    model=RespiteAllowance,
    log=AllowanceTransition,
    subject="allowance",
    title="How a respite allowance is loaded and used",
    layout=LAYOUT,
    person_of=lambda allowance: allowance.person,
    called="respite allowance",
)


class RespiteBooking(RespiteBookingWorkflow, TimeStampedModel):
    """One stay, on a spot contract with a provider, drawing its cost on the allowance: its own fixed-term service
    agreement and purchase order."""

    State = BookingState

    allowance = models.ForeignKey(RespiteAllowance, on_delete=models.PROTECT, related_name="bookings")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField("First night")
    end_date = models.DateField("Leaves on")
    cost = models.DecimalField("Cost of the stay", max_digits=9, decimal_places=2)
    on_framework = models.BooleanField(default=True)
    spot_contract_reason = models.TextField(blank=True)
    agreement = models.OneToOneField(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    purchase_order = models.ForeignKey(
        "purchase_orders.PurchaseOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="respite_booking_cost_positive"),
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="respite_booking_dates_in_order"),
            models.CheckConstraint(
                condition=Q(on_framework=True) | ~Q(spot_contract_reason=""), name="respite_booking_off_framework_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.provider}, {self.start_date:%-d %b %Y}"

    @property
    def reference(self) -> str:
        return f"RB-{self.pk:06d}"

    @property
    def nights(self) -> int:
        return (self.end_date - self.start_date).days


class BookingTransition(TransitionRecord):
    """One step of a booking. Written only by BOOKING_MACHINE."""

    booking = models.ForeignKey(RespiteBooking, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=BookingState.choices)
    target = models.CharField(max_length=16, choices=BookingState.choices)

    class Meta(TransitionRecord.Meta):
        pass


BOOKING_MACHINE = Machine(
    model=RespiteBooking,
    log=BookingTransition,
    subject="booking",
    title="How a respite booking goes",
    layout=BOOKING_LAYOUT,
    person_of=lambda booking: booking.allowance.person,
    called="respite booking",
)
