"""Approvals are case data: read-only in Django admin, changed only through approvals.services."""

import pytest
from django.urls import reverse

from approvals.models import Approval
from approvals.tests.factories import decided, requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.gov.uk", "a-long-password-1")


def test_a_superuser_reads_approvals_and_their_steps_but_changes_nothing(
    client, superuser, social_worker, person, cap_member
):
    approval = decided(requested(social_worker, person), cap_member, "deferred", notes="More information")
    client.force_login(superuser)
    assert client.get(reverse("admin:approvals_approval_changelist")).status_code == 200
    assert client.get(reverse("admin:approvals_approvaltransition_changelist")).status_code == 200
    assert client.get(reverse("admin:approvals_approval_add")).status_code == 403
    change = reverse("admin:approvals_approval_change", args=[approval.pk])
    assert client.post(change, {"notes": "Changed", "approved_weekly_amount": "1"}).status_code == 403
    delete = reverse("admin:approvals_approval_delete", args=[approval.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Approval.objects.get(pk=approval.pk).notes == "More information"


def test_a_finance_officer_cannot_see_approvals_in_admin(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("admin:approvals_approval_changelist")).status_code == 403
