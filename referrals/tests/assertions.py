import pytest

from approvals.models import Approval, ApprovalTransition
from audit.models import AuditEvent
from core.exceptions import ActionRefused
from people.models import CareAndSupportPlan
from referrals.models import Referral, ReferralTransition


def _state_of_the_world(referral):
    return {
        "referral": Referral.objects.filter(pk=referral.pk).values().get(),
        "plan": CareAndSupportPlan.objects.filter(pk=referral.plan_id).values().first(),
        "transitions": ReferralTransition.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "approvals": list(Approval.objects.order_by("id").values()),
        "approval_steps": ApprovalTransition.objects.count(),
    }


def assert_refused(referral, action, message: str) -> ActionRefused:
    """`action()` is refused with a message containing `message`, and nothing at all has changed."""
    before = _state_of_the_world(referral)
    with pytest.raises(ActionRefused) as refusal:
        action()
    assert message in refusal.value.message
    assert _state_of_the_world(referral) == before
    return refusal.value
