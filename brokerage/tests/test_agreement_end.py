"""Ending and repricing a running agreement (brokerage.services): its care package calls these, dating the change
(packages.services); here, what the agreement itself allows."""

from datetime import timedelta
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from brokerage.services import end_agreement, reprice_agreement
from core.exceptions import ActionRefused
from dps.tests.factories import active, awarded


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_agreement_ends_on_its_last_day_and_stays_active_until_then(person, cap_member, officer_east):
    agreement = active(person, cap_member, officer_east).agreement
    last_day = agreement.start_date + timedelta(days=20)

    ended = end_agreement(agreement, acting_user=officer_east, last_day=last_day, reason="Change of provider")

    assert (ended.end_date, ended.status, ended.start_date) == (last_day, "active", agreement.start_date)
    event = AuditEvent.objects.get(object_id=str(agreement.pk), summary__startswith="Ended")
    assert event.changes == {"reason": "Change of provider", "end_date": [None, last_day.isoformat()]}


def test_an_agreement_does_not_run_on_past_the_end_it_was_given(person, cap_member, officer_east):
    agreement = active(person, cap_member, officer_east).agreement
    end_agreement(agreement, acting_user=officer_east, last_day=agreement.start_date, reason="Ends")
    with pytest.raises(ActionRefused, match="it cannot run on"):
        end_agreement(agreement, acting_user=officer_east, last_day=agreement.start_date + timedelta(1), reason="x")
    ServiceAgreement.objects.filter(pk=agreement.pk).update(status=ServiceAgreement.Status.ENDED)
    with pytest.raises(ActionRefused, match="has already ended"):
        end_agreement(agreement, acting_user=officer_east, last_day=agreement.start_date, reason="x")


@pytest.mark.parametrize("who", ["officer_west", "social_worker"])
def test_only_the_team_ends_or_reprices_an_agreement(request, person, cap_member, officer_east, who):
    agreement = active(person, cap_member, officer_east).agreement
    user = request.getfixturevalue(who)
    with pytest.raises(ActionRefused, match="Only the Brokerage team working this case"):
        end_agreement(agreement, acting_user=user, last_day=agreement.start_date, reason="x")
    with pytest.raises(ActionRefused, match="Only the Brokerage team working this case"):
        reprice_agreement(agreement, acting_user=user, hourly_rate=Decimal("21.00"), reason="x")
    assert ServiceAgreement.objects.get(pk=agreement.pk).end_date is None


def test_an_agreement_is_repriced_only_once_its_order_is_issued(person, cap_member, officer_east):
    agreement = awarded(person, cap_member, officer_east).agreement
    with pytest.raises(ActionRefused, match="Only an active agreement with a purchase order"):
        reprice_agreement(agreement, acting_user=officer_east, hourly_rate=Decimal("21.00"), reason="Review")
