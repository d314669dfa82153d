"""Respite's pages: the allowance page shows the amount, what is booked and left, the bookings, the letter and the
machine's picture; its buttons come from the machines; a booking posted by each role is made only by the allocated
officer; bad input gets a clear message and changes nothing; the same form posted twice books once only if the
balance allows; someone else's ids give 404."""

from datetime import timedelta

import pytest
from django.urls import reverse

from respite.models import RespiteAllowance, RespiteBooking

from .factories import booking, letter_sent, loaded, respite_provider, started, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _booking_post(provider, *, cost="700.00", start_in=20):
    start = today() + timedelta(days=start_in)
    return {
        "provider": provider.pk,
        **_date("start_date", start),
        **_date("end_date", start + timedelta(days=7)),
        "cost": cost,
        "reason": "",
    }


def test_the_page_shows_the_allowance_its_bookings_and_the_picture(client, person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    client.force_login(officer_east)
    page = client.get(allowance.get_absolute_url()).content.decode()
    for text in ("£2,000.00", "£650.00", "£1,350.00", made.purchase_order.number, "Book respite", "Cancel booking"):
        assert text in page
    assert "How a respite allowance is loaded and used" in page and "<svg" in page


def test_the_officer_loads_from_the_page(client, person, cap_member, officer_east):
    allowance = started(person, cap_member, officer_east)
    client.force_login(officer_east)
    assert "Load the annual allowance" in client.get(allowance.get_absolute_url()).content.decode()
    response = client.post(reverse("respite:step", args=[allowance.pk, "load"]), _date("load-year_start", today()))
    assert response.status_code == 302
    assert RespiteAllowance.objects.get(pk=allowance.pk).state == "loaded"


def test_a_load_without_a_date_says_so_and_changes_nothing(client, person, cap_member, officer_east):
    allowance = started(person, cap_member, officer_east)
    client.force_login(officer_east)
    response = client.post(reverse("respite:step", args=[allowance.pk, "load"]), {})
    assert response.status_code == 400 and "Enter" in response.content.decode()
    assert RespiteAllowance.objects.get(pk=allowance.pk).state == "to_load"


def test_the_social_worker_is_offered_the_letter(client, person, cap_member, officer_east):
    allowance = loaded(person, cap_member, officer_east)
    client.force_login(person.allocated_worker)
    assert "Record the letter as sent" in client.get(allowance.get_absolute_url()).content.decode()
    client.force_login(officer_east)
    assert "Record the letter as sent" not in client.get(allowance.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "role,status,made",
    [
        ("officer_east", 302, 1),
        ("other_officer_east", 302, 0),
        ("lead_east", 302, 0),
        ("officer_west", 404, 0),
        ("social_worker", 403, 0),
        ("cap_member", 403, 0),
        ("provider_user", 403, 0),
    ],
)
def test_only_the_allocated_officer_books(client, request, person, cap_member, officer_east, role, status, made):
    allowance = letter_sent(person, cap_member, officer_east)
    provider = respite_provider()
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("respite:book", args=[allowance.pk]), _booking_post(provider))
    assert response.status_code == status
    assert RespiteBooking.objects.count() == made


def test_a_booking_over_the_balance_is_refused_on_the_form_with_the_balance(client, person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    provider = respite_provider()
    client.force_login(officer_east)
    url = reverse("respite:book", args=[allowance.pk])
    assert client.post(url, _booking_post(provider, cost="1500.00")).status_code == 302
    response = client.post(url, _booking_post(provider, cost="1500.00"))  # the same form again
    assert response.status_code == 400
    assert "£500.00 is left of £2,000.00" in response.content.decode()
    assert RespiteBooking.objects.count() == 1


def test_bad_booking_input_gets_a_clear_message(client, person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    client.force_login(officer_east)
    data = _booking_post(respite_provider()) | _date("end_date", today())
    response = client.post(reverse("respite:book", args=[allowance.pk]), data | {"cost": "abc"})
    page = response.content.decode()
    assert response.status_code == 400 and "The stay must end after its first night" in page
    assert RespiteBooking.objects.count() == 0


def test_someone_elses_ids_give_404(client, person, west_person, cap_member, officer_east, officer_west):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    other = letter_sent(west_person, cap_member, officer_west)
    client.force_login(officer_west)
    assert client.get(allowance.get_absolute_url()).status_code == 404
    assert client.post(reverse("respite:cancel", args=[other.pk, made.pk]), {}).status_code == 404


def test_cancel_from_the_page(client, person, cap_member, officer_east):
    allowance = letter_sent(person, cap_member, officer_east)
    made = booking(allowance, officer_east)
    client.force_login(officer_east)
    url = reverse("respite:cancel", args=[allowance.pk, made.pk])
    assert client.post(url, {f"cancel-{made.pk}-reason": ""}).status_code == 400
    assert client.post(url, {f"cancel-{made.pk}-reason": "In hospital"}).status_code == 302
    assert RespiteBooking.objects.get(pk=made.pk).state == "cancelled"
    assert client.post(url, {f"cancel-{made.pk}-reason": "In hospital"}).status_code == 302  # twice: refused
    assert RespiteAllowance.objects.get(pk=allowance.pk).booked == 0


def test_the_panel_enters_an_annual_allowance_for_respite(client, social_worker, person, cap_member):
    from referrals.models import Referral

    from .factories import awaiting_panel

    referral = awaiting_panel(social_worker, person)
    client.force_login(cap_member)
    url = reverse("referrals:funding", args=[referral.pk])
    page = client.get(url).content.decode()
    assert "Approved annual respite allowance (£)" in page and "Approved weekly amount" not in page
    response = client.post(url, {"decision": "approved", "approved_weekly_amount": "50"})
    assert response.status_code == 400 and "Enter the approved annual allowance" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).state == "awaiting_funding"
    assert client.post(url, {"decision": "approved", "approved_annual_amount": "1800.00"}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).state == "queued"
