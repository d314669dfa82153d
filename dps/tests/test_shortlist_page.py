"""The shortlist page: only the Brokerage team the referral belongs to sees it, with what the plan needs."""

import pytest
from django.urls import reverse

from dps.tests.factories import PurchasingArrangementFactory
from people.models import Specialism
from people.tests.factories import make_plan
from providers.tests.factories import ProviderFactory, ProviderServiceFactory
from referrals.tests.factories import queued_referral, urgent_referral


@pytest.fixture
def provider(db):
    """On an open home care arrangement in E1 and E3, with dementia care and Bengali-speaking carers."""
    provider = ProviderFactory(name="Eastside Homecare")
    ProviderServiceFactory(
        provider=provider,
        arrangement=PurchasingArrangementFactory(),
        districts=["E1", "E3"],
        specialisms=[Specialism.DEMENTIA],
        languages=["Bengali"],
        weekly_hours_capacity=45,
    )
    return provider


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def referral(social_worker, cap_member, person):
    plan = make_plan(
        social_worker,
        person,
        required_specialisms=[Specialism.DEMENTIA, Specialism.BARIATRIC_CARE],
        preferred_language="ben",
        weekly_hours="12.50",
    )
    return queued_referral(social_worker, person, cap_member, plan=plan)


@pytest.mark.parametrize("role", ["officer_east", "other_officer_east", "lead_east"])
def test_the_referrals_team_sees_its_shortlist(request, client, referral, provider, role):
    spot = ProviderServiceFactory(provider=ProviderFactory(name="Spot Homecare"), districts=["E1"])
    response = get(client, request.getfixturevalue(role), reverse("shortlist:for_referral", args=[referral.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Domiciliary care (home care)",
        "12.5",
        "Dementia, Bariatric care",
        "Bengali",
        "E1",
        "Eastside Homecare",
        "Has dementia",
        "Missing: bariatric care",
        "Speaks Bengali",
        "Capacity 45 hours a week",
        "Spot Homecare",
        "Not on a purchasing arrangement",
        "spot contract",
    ]:
        assert text in page, text
    assert spot.provider.name in page
    assert referral.person.first_name not in page and referral.person.postcode not in page


@pytest.mark.parametrize(
    "role,status",
    [
        ("officer_west", 404),
        ("lead_west", 404),
        ("dps_team", 403),  # not Brokerage: refused by dps's table (core.permissions) before any look-up
        ("provider_user", 403),
        ("finance_officer", 403),
        ("social_worker", 403),
    ],
)
def test_no_one_else_sees_the_shortlist(request, client, referral, role, status):
    response = get(client, request.getfixturevalue(role), reverse("shortlist:for_referral", args=[referral.pk]))
    assert response.status_code == status


def test_an_unknown_referral_has_no_shortlist(client, officer_east):
    assert get(client, officer_east, reverse("shortlist:for_referral", args=[999999])).status_code == 404


def test_the_shortlist_shows_the_approved_weekly_amount(client, referral, officer_east):
    page = get(client, officer_east, reverse("shortlist:for_referral", args=[referral.pk])).content.decode()
    row = " ".join(
        page.split('<dt class="govuk-summary-list__key">Approved weekly amount</dt>')[1].split("</div>")[0].split()
    )
    assert "£250.00 a week" in row


def test_the_shortlist_says_when_no_weekly_amount_is_approved(client, social_worker, person, officer_east):
    referral = urgent_referral(social_worker, person)  # no plan, no funding decision
    page = get(client, officer_east, reverse("shortlist:for_referral", args=[referral.pk])).content.decode()
    assert "No weekly amount has been approved" in page
