"""Each role's home page and the navigation every page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.tests.factories import make_person
from referrals.services import take_referral
from referrals.tests.factories import urgent_referral


def queries_for(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_a_team_leads_home_page_query_count_does_not_grow_with_cases(
    client, social_worker, officer_east, lead_east, east_area
):
    def add_urgent_referrals(count):
        for i in range(count):
            referral = urgent_referral(social_worker, make_person(social_worker, east_area, first_name=f"P{i}"))
            if i % 3 == 0:
                take_referral(referral, acting_user=officer_east)

    add_urgent_referrals(3)
    few = queries_for(client, lead_east, reverse("home"))
    add_urgent_referrals(30)
    assert queries_for(client, lead_east, reverse("home")) == few


def test_a_provider_user_is_sent_to_the_portal(client, provider_user):
    client.force_login(provider_user)
    assert client.get(reverse("home")).url == reverse("portal:home")


@pytest.mark.parametrize(
    "role,labels",
    [
        ("social_worker", ["Home", "My caseload", "Record a person", "How referrals work"]),
        ("officer_east", ["Home", "Task queue", "Providers", "How referrals work"]),
        ("cap_member", ["Home", "Funding decisions", "How referrals work"]),
        ("first_response", ["Home", "Inbox", "How referrals work"]),
        (
            "dps_team",
            ["Home", "Providers", "Purchasing arrangements", "Providers to enrol", "How referrals work"],
        ),
        ("finance_officer", ["Home", "Providers", "Purchase orders", "How referrals work"]),
        ("provider_user", ["Provider portal"]),
    ],
)
def test_each_role_is_shown_the_pages_it_works_in(client, request, role, labels):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("referrals:workflow"))
    assert [item["label"] for item in response.context["nav_items"]] == labels


def test_the_page_being_read_is_marked_in_the_navigation(client, social_worker):
    client.force_login(social_worker)
    nav = client.get(reverse("people:list")).context["nav_items"]
    assert [item["label"] for item in nav if item["active"]] == ["My caseload"]
