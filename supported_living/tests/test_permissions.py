"""Who may take the panel's step (a POST matrix by role): only a panel member decides the funding; anyone else who
sees the person is told why and nothing changes; anyone who does not gets "not found"; a provider's user is turned
away by the table before the view."""

import pytest
from django.urls import reverse

from supported_living.models import SupportedLivingPlacement, SupportedLivingTransition

from . import factories as f

pytestmark = pytest.mark.django_db

ROLES = [
    "social_worker",
    "other_social_worker",
    "officer_east",
    "officer_west",
    "lead_east",
    "cap_member",
    "head_of_service",
    "dps_team",
    "review_team",
    "finance_officer",
    "provider_user",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_funding_is_decided_only_by_a_panel_member(client, request, cast, role):
    case = f.awaiting_funding(*cast)
    user = request.getfixturevalue(role)
    client.force_login(user)
    before = SupportedLivingTransition.objects.count()
    response = client.post(
        reverse("supported_living:step", args=[case.placement.pk, "decide-funding"]),
        {"decide-funding-decision": "approved", "decide-funding-approved_weekly_amount": "1200.00"},
    )
    changed = SupportedLivingTransition.objects.count() != before
    state = SupportedLivingPlacement.objects.get(pk=case.placement.pk).state
    if role == "provider_user":
        assert response.status_code == 403 and not changed
    elif role == "cap_member":
        assert response.status_code == 302 and changed and state == "funded"
    elif role in ("social_worker", "officer_east", "lead_east"):
        assert response.status_code == 302 and not changed and state == "awaiting_funding"
    else:
        assert response.status_code == 404 and not changed
