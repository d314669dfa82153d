from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.models import ContactLogEntry
from core.tests.forms import fresh_token
from referrals.tests.factories import urgent_referral


@pytest.fixture
def referral(social_worker, person):
    return urgent_referral(social_worker, person)


def contact(**overrides):
    return {
        "contact_with": "provider",
        "method": "phone",
        "occurred_at": "2026-01-05T10:00",
        "summary": "Asked about capacity",
        **fresh_token(),
    } | overrides


def test_officer_logs_a_contact(client, officer_east, referral):
    client.force_login(officer_east)
    client.post(reverse("brokerage:contact_create", args=[referral.pk]), contact(contact_name="Brightcare"))
    entry = ContactLogEntry.objects.get()
    assert (entry.recorded_by, entry.contact_name, entry.referral) == (officer_east, "Brightcare", referral)


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"summary": ""}, "This field is required"),
        (
            {"occurred_at": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
            "must have happened already",
        ),
        ({"method": "pigeon"}, "Select a valid choice"),
    ],
)
def test_bad_contact_is_refused(client, officer_east, referral, overrides, message):
    client.force_login(officer_east)
    response = client.post(reverse("brokerage:contact_create", args=[referral.pk]), contact(**overrides), follow=True)
    assert message in response.content.decode()
    assert not ContactLogEntry.objects.exists()


def test_practitioner_cannot_write_brokerages_contact_log(client, social_worker, referral):
    client.force_login(social_worker)
    response = client.post(reverse("brokerage:contact_create", args=[referral.pk]), contact(), follow=True)
    assert "Only the Brokerage team working this case" in response.content.decode()
    assert not ContactLogEntry.objects.exists()


def test_queue_filters_update_in_place_with_htmx(client, officer_east, referral):
    client.force_login(officer_east)
    response = client.get(reverse("brokerage:queue"), {"service_type": "home_care"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and referral.reference in body


def test_a_two_megabyte_contact_summary_is_refused(client, officer_east, referral):
    client.force_login(officer_east)
    response = client.post(
        reverse("brokerage:contact_create", args=[referral.pk]),
        contact(summary="Rang the provider. " * 110_000),
        follow=True,
    )
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert not ContactLogEntry.objects.exists()
