from django.db import models
from django.utils import timezone

from people.models import ServiceType


class PurchasingArrangement(models.Model):
    """A framework providers join for a service type and compete within for each package.

    A Dynamic Purchasing System (Public Contracts Regulations 2015) and a Dynamic Market
    (Procurement Act 2023, from 24 February 2025) work the same way here: members are admitted
    at any time and each package is a mini-competition. Existing DPSs run until they expire.
    """

    class Kind(models.TextChoices):
        DPS = "dps", "Dynamic Purchasing System (Public Contracts Regulations 2015)"
        DYNAMIC_MARKET = "dynamic_market", "Dynamic Market (Procurement Act 2023)"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service_type = models.CharField(max_length=32, choices=ServiceType.choices)
    starts_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gt=models.F("starts_on")),
                name="arrangement_expires_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="dps") | models.Q(starts_on__gte="2025-02-24"),
                name="dynamic_market_only_under_procurement_act",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.expires_on is None or day <= self.expires_on)
