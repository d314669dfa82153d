from django.conf import settings
from django.db import models

from core.models import TimeStampedModel


class Area(models.Model):
    """A locality of the borough. Reference data: it decides which Brokerage team serves a person."""

    name = models.CharField(max_length=100, unique=True)
    team = models.ForeignKey(
        "catalogue.Team", db_index=False, on_delete=models.PROTECT, related_name="areas", db_column="team"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.team})"


class ContactLogEntry(TimeStampedModel):
    """A call, e-mail or meeting about a case, kept by Brokerage."""

    class With(models.TextChoices):
        SOCIAL_WORKER = "social_worker", "Social worker"
        PROVIDER = "provider", "Provider"
        PERSON = "person", "The person"
        NEXT_OF_KIN = "next_of_kin", "Next of kin or representative"
        OTHER = "other", "Someone else"

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        EMAIL = "email", "E-mail"
        MEETING = "meeting", "Meeting"
        LETTER = "letter", "Letter"

    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="contacts")
    contact_with = models.CharField("Who was the contact with?", max_length=20, choices=With.choices)
    contact_name = models.CharField("Their name", max_length=200, blank=True)
    method = models.CharField("How?", max_length=10, choices=Method.choices)
    occurred_at = models.DateTimeField("When?")
    summary = models.TextField("What was said or agreed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "contact log entries"

    def __str__(self) -> str:
        return f"{self.get_method_display()} with {self.get_contact_with_display()}"


class ServiceAgreement(TimeStampedModel):
    """What was commissioned from which provider, at what rate, from when."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="agreements")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="agreements")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="agreements")
    bid = models.ForeignKey("dps.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    spot_contract_reason = models.TextField(blank=True)
    service_type = models.ForeignKey(
        "catalogue.ServiceType", db_index=False, on_delete=models.PROTECT, related_name="+", db_column="service_type"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    weekly_hours = models.DecimalField("Hours a week", max_digits=5, decimal_places=2, null=True, blank=True)
    visit_schedule = models.JSONField(default=list, blank=True)
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekly_cost__gt=0), name="agreement_cost_positive"),
            models.CheckConstraint(
                condition=models.Q(bid__isnull=False) | ~models.Q(spot_contract_reason=""),
                name="agreement_from_a_bid_or_a_spot_reason",
            ),
            # One open-ended agreement a referral: fixed-term ones (each respite stay, a contract of its own) are
            # as many as its work books.
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status="active", end_date__isnull=True),
                name="one_open_agreement_per_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.name} from {self.provider}, from {self.start_date:%d %b %Y}"

    @property
    def reference(self) -> str:
        return f"SA-{self.pk:06d}"

    @property
    def price_basis(self) -> str:
        """By the hour when it keeps an hourly rate (the weekly cost is the rate times the hours); otherwise by the
        week: the weekly cost is the price itself, as a weekly bid was made, even when the hours are counted."""
        return "hourly" if self.hourly_rate is not None else "weekly"
