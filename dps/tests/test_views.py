"""The officer's requirement form: bad input gets a message next to its field and publishes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ActionRefused
from dps import services
from dps.models import DPSRequirement
from dps.tests.factories import OUTCOMES, SUMMARY, allocated, requirement_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(person, cap_member, officer_east):
    return allocated(person, cap_member, officer_east)


def form_data(case, **overrides):
    closes = timezone.localtime() + timedelta(days=2)
    return {
        "arrangement": case.arrangement.pk,
        "start_date": (closes + timedelta(days=3)).date().isoformat(),
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "summary": SUMMARY,
        "outcomes": "\n".join(OUTCOMES),
        "quality_weight": "60",
    } | overrides


def test_a_valid_requirement_is_published(client, case):
    client.force_login(case.officer)
    response = client.post(reverse("dps:publish", args=[case.referral.pk]), form_data(case))
    assert response.status_code == 302
    assert DPSRequirement.objects.count() == 1


def test_a_start_before_bidding_closes_is_refused_next_to_the_start_date(client, case):
    client.force_login(case.officer)
    closes = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("dps:publish", args=[case.referral.pk]),
        form_data(case, start_date=(closes - timedelta(days=1)).date().isoformat()),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The start date must be after bidding closes on" in page
    assert 'id="id_start_date-error"' in page and 'href="#id_start_date"' in page
    assert SUMMARY in page  # what was typed is kept
    assert not DPSRequirement.objects.exists()


def test_the_service_refuses_a_start_on_the_closing_day_too(case):
    closes = timezone.now() + timedelta(days=2)
    with pytest.raises(ActionRefused, match="The start date must be after bidding closes"):
        services.publish_requirement(
            case.referral,
            acting_user=case.officer,
            **requirement_fields(case.arrangement, closes_at=closes, start_date=timezone.localtime(closes).date()),
        )
    assert not DPSRequirement.objects.exists()


def test_a_summary_of_two_megabytes_is_refused(client, case):
    client.force_login(case.officer)
    response = client.post(reverse("dps:publish", args=[case.referral.pk]), form_data(case, summary="x" * 2_000_000))
    assert response.status_code == 400
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert not DPSRequirement.objects.exists()
