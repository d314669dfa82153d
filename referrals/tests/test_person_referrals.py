"""A person's page lists their referrals to Brokerage (referrals.sections, through people.sections), newest first,
after the services they receive and before their plans."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.tests.factories import allocated_referral, held_referral, urgent_referral


def page(client, user, person) -> str:
    client.force_login(user)
    response = client.get(reverse("people:detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def referrals_section(html: str) -> str:
    start = html.index("Referrals to Brokerage")
    return html[start : html.index("Care and support plans", start)]


def test_each_referral_is_listed_newest_first_with_what_it_is_for_and_who_has_it(
    client, social_worker, officer_east, person
):
    taken = allocated_referral(social_worker, person, officer_east)
    held = held_referral(social_worker, person)

    html = page(client, social_worker, person)
    section = referrals_section(html)

    assert html.index('id="services"') < html.index("Referrals to Brokerage")
    assert section.index(held.reference) < section.index(taken.reference)
    assert f'<a class="govuk-link" href="{taken.get_absolute_url()}">{taken.reference}</a>' in section
    assert "Change to an existing service (reduce)" in section
    assert "Domiciliary care (home care)" in section
    assert taken.get_state_display() in section and held.get_state_display() in section
    assert str(officer_east) in section


def test_a_person_without_referrals_has_none_yet(client, social_worker, person):
    assert '<p class="govuk-body">None yet.</p>' in referrals_section(page(client, social_worker, person))


def test_the_list_is_one_query_however_many_referrals(client, social_worker, person):
    def queries() -> int:
        page(client, social_worker, person)  # process-wide caches fill on the first request
        with CaptureQueriesContext(connection) as captured:
            page(client, social_worker, person)
        return len(captured)

    urgent_referral(social_worker, person)
    few = queries()
    for _ in range(3):
        urgent_referral(social_worker, person)
    assert queries() == few
