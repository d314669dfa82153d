"""A change to a running care package, asked for by a change referral: what it changes, from and until when, and
what was done (changes.workflows)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import TimeStampedModel
from core.workflow import Machine, TransitionRecord

from .workflows import CALLED, LAYOUT, ChangeWorkflow, Kind, State


class PackageChange(ChangeWorkflow, TimeStampedModel):
    """One change referral's change to its package. Its page is the referral's. Its dates are when its scheduled
    steps fall due: a suspension begins on `starts_on` and recommences on `ends_on`; a temporary increase reverts on
    `ends_on` (the first day back on the old terms)."""

    Kind = Kind
    State = State

    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="package_change")
    package = models.ForeignKey("packages.CarePackage", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_on = models.DateField("From", null=True, blank=True)
    ends_on = models.DateField("Until", null=True, blank=True)
    provider_told_on = models.DateField("When the provider was told", null=True, blank=True)
    provider_told_how = models.CharField("How the provider was told", max_length=200, blank=True)
    # What arranging it made: the package's new terms, or its suspension.
    version = models.ForeignKey(
        "packages.PackageVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    suspension = models.ForeignKey(
        "packages.PackageSuspension", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The social worker's task: telling the person their service is suspended or changed.
    person_told_at = models.DateTimeField(null=True, blank=True)
    person_told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [
            # The daily sweep's due rows: few of many, by the day they fall due.
            models.Index(
                fields=["starts_on"], condition=Q(state=State.ARRANGED, kind=Kind.SUSPEND), name="change_begins"
            ),
            models.Index(
                fields=["ends_on"],
                condition=Q(state=State.SUSPENDED) | Q(state=State.ARRANGED, kind=Kind.INCREASE, ends_on__isnull=False),
                name="change_ends",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=False, ends_on__gt=models.F("starts_on")),
                name="change_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.package_id} ({self.referral_id})"

    @property
    def called(self) -> str:
        """What it is called in a sentence: "suspension", "reduction", "increase"."""
        return CALLED.get(self.kind, self.get_kind_display().lower())

    @property
    def reference(self) -> str:
        return f"BR-{self.referral_id:06d}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.referral_id])


class ChangeTransition(TransitionRecord):
    """One step of a change: who, when, from, to and why. Written only by CHANGE_MACHINE."""

    change = models.ForeignKey(PackageChange, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=State.choices)
    target = models.CharField(max_length=16, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


CHANGE_MACHINE = Machine(
    model=PackageChange,
    log=ChangeTransition,
    subject="change",
    title="How a change to a running service is made",
    layout=LAYOUT,
    person_of=lambda change: change.referral.person,
    called="change",
)
