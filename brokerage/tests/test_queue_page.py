"""The queue page's query count holds still however many cases there are."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from people.services import create_person
from referrals.models import Referral
from referrals.services import create_referral, take_referral


@pytest.fixture
def team(db):
    area = Area.objects.create(name="Eastbrook", team_id="east")
    return {
        "area": area,
        "sw": create_staff_user(username="sw", password="x-long-password", roles=[Role.SOCIAL_WORKER]),
        "officer": create_staff_user(
            username="eddie", password="x-long-password", roles=[Role.BROKERAGE_OFFICER], team="east"
        ),
        "lead": create_staff_user(username="lena", password="x-long-password", roles=[Role.TEAM_LEAD], team="east"),
    }


def urgent_referral_for(team, first_name, last_name="Test"):
    """An urgent referral, from the team's social worker, for a new person in the team's area."""
    person = create_person(
        acting_user=team["sw"],
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date(1950, 1, 1),
        address_line_1="1 Road",
        town="Riverside",
        postcode="E1 6AN",
        area=team["area"],
    )
    return create_referral(
        acting_user=team["sw"],
        person=person,
        kind=Referral.Kind.URGENT_RESPONSE,
        service_type="home_care",
        details="Carer in hospital",
    )


def add_urgent_referrals(team, count, *, taken_every=3):
    for i in range(count):
        referral = urgent_referral_for(team, f"P{i}")
        if taken_every and i % taken_every == 0:
            take_referral(referral, acting_user=team["officer"])


def queries_for(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("view,who", [("unallocated", "officer"), ("mine", "officer"), ("team", "lead")])
def test_queue_query_count_does_not_grow_with_cases(client, team, view, who):
    url = reverse("brokerage:queue") + f"?view={view}"
    add_urgent_referrals(team, 3)
    few, response = queries_for(client, team[who], url)
    assert response.context["page_obj"].paginator.count > 0
    add_urgent_referrals(team, 30)
    many, response = queries_for(client, team[who], url)
    assert response.context["page_obj"].paginator.count > 3
    assert many == few


def test_queue_shows_urgent_first_then_oldest(client, team):
    add_urgent_referrals(team, 2, taken_every=0)
    person = create_person(
        acting_user=team["sw"],
        first_name="Later",
        last_name="Routine",
        date_of_birth=date(1950, 1, 1),
        address_line_1="1 Road",
        town="Riverside",
        postcode="E1 6AN",
        area=team["area"],
    )
    create_referral(
        acting_user=team["sw"],
        person=person,
        kind=Referral.Kind.SOURCING_SUPPORT,
        service_type="day_opportunities",
        details="Options?",
    )
    _, response = queries_for(client, team["officer"], reverse("brokerage:queue"))
    names = [row.person.split()[0] for row in response.context["tasks"]]
    assert names == ["P0", "P1", "Later"]
    assert [row.urgent for row in response.context["tasks"]] == [True, True, False]


def test_bad_filter_values_are_refused_without_error(client, team):
    add_urgent_referrals(team, 2)
    client.force_login(team["officer"])
    response = client.get(reverse("brokerage:queue") + "?view=everything&state=nonsense&officer=abc&page=999")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_queue_rows_escape_what_people_typed(client, team):
    urgent_referral_for(team, '<script>alert("x")</script>', "O'Brien & Sons")
    _, response = queries_for(client, team["officer"], reverse("brokerage:queue"))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Brien &amp; Sons" in html
    assert 'app-tag--urgent">Urgent</strong>' in html
