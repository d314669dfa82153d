"""The direct payment's key step, sent by every role of the permission matrix's world: only the officer the referral
is allocated to sends the agreement."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.permissions import rule_for
from core.tests.matrix import ROLES, SEES_A
from core.tests.test_permission_matrix import world  # noqa: F401 (the matrix's world, as a fixture)
from direct_payments.models import DirectPayment, DirectPaymentTransition

from .matrix_rows import direct_payment


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_direct_payments_agreement_is_sent_only_by_the_allocated_officer(client, world, role):  # noqa: F811
    """Those who may not send it change nothing: told why if they see the person, not found if they do not."""
    dp = direct_payment(world)
    first = timezone.localdate() + timedelta(days=7)
    data = {
        "send-agreement-recipient": "person",
        "send-agreement-purpose": "Gym membership",
        "send-agreement-amount": "40.00",
        "send-agreement-period": "weekly",
        "send-agreement-first_payment_on_day": first.day,
        "send-agreement-first_payment_on_month": first.month,
        "send-agreement-first_payment_on_year": first.year,
    }
    client.force_login(world["users"][role])
    before = DirectPaymentTransition.objects.count()
    response = client.post(reverse("direct_payments:step", args=[dp.pk, "send-agreement"]), data)
    changed = DirectPaymentTransition.objects.count() != before
    if not rule_for("direct_payments:step")(world["users"][role]):  # the app's table turns them away first
        assert response.status_code == 403 and not changed
    elif role == "officer_east":
        assert response.status_code == 302 and changed
        assert DirectPayment.objects.get(pk=dp.pk).state == "agreement_sent"
    elif role in SEES_A:  # the form comes back with the reason
        assert response.status_code == 400 and not changed
        assert "Only the officer this referral is allocated to" in response.content.decode()
    else:
        assert response.status_code == 404 and not changed
