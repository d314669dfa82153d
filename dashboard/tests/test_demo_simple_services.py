"""The demo has a case of each simpler service at an interesting step (dashboard/demo_cases/simple_services.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from commissioning.models import Commission
from direct_payments.models import DirectPayment
from providers.models import Provider
from referrals.models import Referral


@pytest.mark.django_db
def test_the_demo_has_each_simple_service_at_its_step(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", stdout=StringIO())

    nora = DirectPayment.objects.get(person__last_name="Ashdown")
    assert nora.state == DirectPayment.State.AGREEMENT_SENT
    assert nora.recipient == "representative" and nora.recipient_name.startswith("Alex Ashdown")

    def stage(last_name):
        commission = Commission.objects.select_related("referral").get(referral__person__last_name=last_name)
        return commission.state, commission.referral.state

    assert stage("Brightwell") == ("commissioned", Referral.State.ACTIVE)
    owen = Commission.objects.get(referral__person__last_name="Brightwell")
    assert owen.chosen_provider.in_house and owen.chosen_bid is None
    assert not Provider.objects.get(name="Millwall Day Centre").in_house
    assert stage("Cotton") == ("commissioned", Referral.State.ACTIVE)
    assert stage("Dale") == ("requirement_published", Referral.State.ALLOCATED)
    assert stage("Ellery") == ("details_shared", Referral.State.ALLOCATED)
    assert stage("Fairley") == ("sourcing", Referral.State.ALLOCATED)
    assert stage("Gilroy") == ("commissioned", Referral.State.ACTIVE)
