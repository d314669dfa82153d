from django.conf import settings
from django.db import models

from core.models import TimeStampedModel

from .teams import Team


class Area(models.Model):
    """A locality of the borough. Reference data: it decides which Brokerage team serves a person."""

    name = models.CharField(max_length=100, unique=True)
    team = models.CharField(max_length=8, choices=Team.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_team_display()})"


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
