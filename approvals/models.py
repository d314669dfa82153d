from django.conf import settings
from django.db import models
from django.db.models import Q

from core.workflow import Machine, TransitionRecord

from .workflows import ANNUAL_KINDS, LAYOUT, OPEN_STATES, ApprovalWorkflow, Kind, State


class Approval(ApprovalWorkflow):
    """One decision by the Care Authorisation Panel or a head of service on what needs it. A workflow does not keep a
    funding flag of its own: its condition asks approvals.selectors whether this is approved."""

    Kind = Kind
    State = State

    kind = models.CharField(max_length=24, choices=Kind.choices)
    plan = models.ForeignKey("people.CareAndSupportPlan", on_delete=models.PROTECT, related_name="approvals")
    approved_weekly_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    # What an allowance (ANNUAL_KINDS) is approved as instead: a sum for the year.
    approved_annual_amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True, help_text="What the last decision said.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                # "IS NOT NULL" too: "NULL > 0" is unknown, and a check that is unknown passes. An allowance is
                # approved as a sum for the year, anything else as a weekly amount: never both.
                condition=Q(
                    state=State.APPROVED,
                    kind__in=ANNUAL_KINDS,
                    approved_annual_amount__isnull=False,
                    approved_annual_amount__gt=0,
                    approved_weekly_amount__isnull=True,
                )
                | (
                    Q(state=State.APPROVED, approved_weekly_amount__isnull=False, approved_weekly_amount__gt=0)
                    & ~Q(kind__in=ANNUAL_KINDS)
                    & Q(approved_annual_amount__isnull=True)
                )
                | (
                    ~Q(state=State.APPROVED)
                    & Q(approved_weekly_amount__isnull=True, approved_annual_amount__isnull=True)
                ),
                name="approval_amount_only_when_approved",
            ),
            models.CheckConstraint(
                condition=~Q(kind=Kind.OUT_OF_PANEL, state=State.DEFERRED),
                name="approval_out_of_panel_is_never_deferred",
            ),
            models.CheckConstraint(
                condition=Q(state=State.REQUESTED, decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(state=State.REQUESTED) & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="approval_decided_says_by_whom_and_when",
            ),
            # A plan sent again while its question is open asks the same question, not a second one.
            models.UniqueConstraint(
                fields=["plan", "kind"], condition=Q(state__in=OPEN_STATES), name="one_open_approval_per_plan_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_state_display().lower()}"


class ApprovalTransition(TransitionRecord):
    """One decision on an approval, with who made it, when and its notes. Written only by APPROVAL_MACHINE."""

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(max_length=16, choices=State.choices)
    target = models.CharField(max_length=16, choices=State.choices)

    class Meta(TransitionRecord.Meta):
        pass


APPROVAL_MACHINE = Machine(
    model=Approval,
    log=ApprovalTransition,
    subject="approval",
    title="How an approval is decided",
    layout=LAYOUT,
    person_of=lambda approval: approval.plan.person,
)
