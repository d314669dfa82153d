"""The direct payment's page: its steps from the machine, its picture, forms that refuse bad input and change
nothing, a form sent twice that acts once, and not found for someone else's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from direct_payments.models import DirectPayment
from direct_payments.workflows import State
from referrals.models import Referral

from .factories import active, to_draft
from .test_workflow import footprint


def _agreement(**overrides) -> dict:
    first = timezone.localdate() + timedelta(days=7)
    return {
        "send-agreement-recipient": "person",
        "send-agreement-purpose": "A computer for college work",
        "send-agreement-amount": "380.00",
        "send-agreement-period": "four_weekly",
        "send-agreement-first_payment_on_day": first.day,
        "send-agreement-first_payment_on_month": first.month,
        "send-agreement-first_payment_on_year": first.year,
    } | overrides


@pytest.fixture
def dp(person, cap_member, officer_east):
    return to_draft(person, cap_member, officer_east)


def _url(dp, step):
    return reverse("direct_payments:step", args=[dp.pk, step])


def test_the_page_offers_the_officer_its_step_and_draws_its_machine(client, dp, officer_east):
    client.force_login(officer_east)
    page = client.get(dp.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Draft and send the agreement" in html and "<svg" in html
    assert "How a direct payment is arranged" in html
    assert AuditEvent.objects.filter(
        person=dp.person, action=AuditEvent.Action.VIEWED, summary__icontains=dp.reference
    ).exists()


def test_the_referral_page_links_to_the_direct_payment(client, dp, officer_east):
    client.force_login(officer_east)
    html = client.get(reverse("referrals:detail", args=[dp.referral_id])).content.decode()
    assert dp.get_absolute_url() in html
    assert reverse("shortlist:for_referral", args=[dp.referral_id]) not in html  # no provider to find


def test_the_social_worker_sees_the_page_but_no_steps(client, dp, social_worker):
    client.force_login(social_worker)
    html = client.get(dp.get_absolute_url()).content.decode()
    assert "There is nothing for you to do on this direct payment now." in html


def test_sending_the_agreement_from_the_page_then_again_does_nothing_twice(client, dp, officer_east):
    client.force_login(officer_east)
    assert client.post(_url(dp, "send-agreement"), _agreement()).status_code == 302
    dp = DirectPayment.objects.get(pk=dp.pk)
    assert dp.state == State.AGREEMENT_SENT and dp.purpose == "A computer for college work"
    before = footprint(dp)
    again = client.post(_url(dp, "send-agreement"), _agreement(), follow=True)
    assert "cannot do this" in again.content.decode()
    assert footprint(dp) == before


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"send-agreement-amount": ""}, "Enter the amount of each payment"),
        ({"send-agreement-purpose": ""}, "Enter what the budget pays for"),
        ({"send-agreement-amount": "400.01"}, "more than the approved funding allows"),
        ({"send-agreement-recipient": "representative"}, "names no representative"),
    ],
)
def test_bad_terms_come_back_with_the_reason_and_change_nothing(client, dp, officer_east, bad, message):
    client.force_login(officer_east)
    before = footprint(dp)
    response = client.post(_url(dp, "send-agreement"), _agreement(**bad))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "There is a problem" in html and "<title>Error:" in html
    assert footprint(dp) == before


def test_scheduling_from_the_page_makes_the_referral_active(client, person, cap_member, officer_east):
    from .factories import signed

    dp = signed(person, cap_member, officer_east)
    client.force_login(officer_east)
    assert client.post(_url(dp, "schedule-payments")).status_code == 302
    html = client.get(dp.get_absolute_url()).content.decode()
    assert "Payment schedule" in html and html.count("Scheduled</td>") == 13
    assert Referral.objects.get(pk=dp.referral_id).state == Referral.State.ACTIVE


def test_an_active_direct_payment_offers_its_end(client, person, cap_member, officer_east):
    dp = active(person, cap_member, officer_east)
    client.force_login(officer_east)
    assert "End the direct payment" in client.get(dp.get_absolute_url()).content.decode()


def test_someone_elses_direct_payment_is_not_found(client, dp, officer_west):
    client.force_login(officer_west)
    assert client.get(dp.get_absolute_url()).status_code == 404
    before = footprint(dp)
    assert client.post(_url(dp, "send-agreement"), _agreement()).status_code == 404
    assert footprint(dp) == before


def test_no_such_step_is_not_found(client, dp, officer_east):
    client.force_login(officer_east)
    assert client.post(_url(dp, "pay-twice")).status_code == 404


def test_the_persons_page_lists_their_direct_payment(client, person, cap_member, officer_east, social_worker):
    dp = active(person, cap_member, officer_east)
    client.force_login(social_worker)
    html = client.get(person.get_absolute_url()).content.decode()
    assert dp.get_absolute_url() in html and "Active: payments scheduled" in html and "£400.00" in html
