from django.conf import settings
from django.db import models

from accounts.roles import Role
from core.models import TimeStampedModel


class Concern(TimeStampedModel):
    """Something Brokerage must not handle itself: it is routed to the team that does (SPEC §2)."""

    class Kind(models.TextChoices):
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        COMPLAINT = "complaint", "Complaint"
        QUALITY_ALERT = "quality_alert", "Quality alert about a provider"

    class Status(models.TextChoices):
        OPEN = "open", "New"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        CLOSED = "closed", "Closed"

    # Whose inbox each kind lands in.
    ROUTES = {
        Kind.SAFEGUARDING: Role.FIRST_RESPONSE,
        Kind.COMPLAINT: Role.MONITORING_OFFICER,
        Kind.QUALITY_ALERT: Role.CONTRACT_MONITORING,
    }

    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="concerns")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="concerns", null=True, blank=True
    )
    routed_to = models.CharField(max_length=40, choices=Role.choices)
    provider_name = models.CharField("Provider", max_length=200, blank=True)
    details = models.TextField("What happened")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "-created_at"]
        indexes = [models.Index(fields=["routed_to", "status", "-created_at"], name="concern_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="safeguarding", routed_to="first_response")
                | models.Q(kind="complaint", routed_to="monitoring_officer")
                | models.Q(kind="quality_alert", routed_to="contract_monitoring_officer"),
                name="concern_routed_to_right_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} about {self.person}"
