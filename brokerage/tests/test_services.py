from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from brokerage.models import ContactLogEntry
from brokerage.services import log_contact
from core.exceptions import ActionRefused
from referrals.tests.factories import allocated_referral

pytestmark = pytest.mark.django_db


def log(referral, user, **fields):
    return log_contact(
        referral,
        acting_user=user,
        **{
            "contact_with": "provider",
            "method": "phone",
            "occurred_at": timezone.now() - timedelta(hours=1),
            "summary": "Provider can start on Monday.",
            "contact_name": "Oak Homecare",
        }
        | fields,
    )


@pytest.mark.parametrize("who", ["officer_east", "other_officer_east", "lead_east"])
def test_the_referrals_team_logs_contacts(who, request, social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    user = request.getfixturevalue(who)
    entry = log(referral, user)
    assert (entry.recorded_by, entry.referral) == (user, referral)
    event = AuditEvent.objects.filter(action="created", object_id=str(entry.pk)).get()
    assert (event.actor, event.person) == (user, person)


@pytest.mark.parametrize("who", ["officer_west", "lead_west", "social_worker", "first_response"])
def test_no_one_outside_the_team_logs_contacts(who, request, social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    with pytest.raises(ActionRefused, match="Only the Brokerage team working this case"):
        log(referral, request.getfixturevalue(who))
    assert not ContactLogEntry.objects.exists()
