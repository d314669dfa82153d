"""A package's page: every version (hours, visits, rate, weekly cost, provider, dates) and every purchase order,
and the answer to "what was in force on this date?", for those who may see the person; in a fixed number of
queries however many versions the package has."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from commissioning.services import issue_purchase_order
from core.tests.forms import date_fields
from dps.tests.factories import active
from packages.services import change_provider, change_terms

from .factories import agreed, in_days


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    """Provider A from 7 days' time at £22 an hour, then £24 from 14 days in; Provider B from 40 days' time."""
    case = agreed(person, cap_member, officer_east, start_date=in_days(7), change_of_provider=False)
    case.version = issue_purchase_order(case.commission, acting_user=officer_east)
    case.package = case.version.package
    case.second = change_terms(
        case.package, acting_user=officer_east, valid_from=in_days(21), hourly_rate=Decimal("24.00"), reason="Rate"
    )
    case.new = agreed(person, cap_member, officer_east, start_date=in_days(40)).agreement
    case.third = change_provider(case.package, case.new, starts_on=in_days(40), acting_user=officer_east)
    return case


def _url(package, on=None):
    url = reverse("packages:detail", args=[package.pk])
    if on is None:
        return url
    return url + "?" + "&".join(f"{k}={v}" for k, v in date_fields("on", on).items())


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_shows_every_version_and_every_order(client, social_worker, case):
    client.force_login(social_worker)

    response = client.get(_url(case.package))

    assert response.status_code == 200
    text = _text(response)
    first, second, third = case.version, case.second, case.third
    assert f"Domiciliary care (home care) for {case.package.person}" in text
    assert f"{first.valid_from:%-d %b %Y} to {in_days(20):%-d %b %Y}" in text
    assert f"{in_days(21):%-d %b %Y} to {in_days(39):%-d %b %Y}" in text
    assert f"From {in_days(40):%-d %b %Y}" in text
    assert "£23.00" in text and "£230.00" in text and "£240.00" in text
    assert "Tuesday 09:30, 60 minutes, 2 carers" in text and "Saturday 18:00, 30 minutes, 1 carer" in text
    assert str(case.agreement.provider) in text and str(case.new.provider) in text
    for order in (first.purchase_order, second.purchase_order, third.purchase_order):
        assert order.display_number in text
    assert "Closed" in text and "Superseded" in text and "Issued" in text
    assert AuditEvent.objects.filter(actor=social_worker, action="viewed", object_id=str(case.package.pk)).exists()


@pytest.mark.parametrize(
    ("day", "expected"),
    [(7, "£230.00 a week"), (20, "£230.00 a week"), (21, "£240.00 a week"), (39, "£240.00 a week"), (400, "£230.00")],
)
def test_what_was_in_force_on_a_date(client, officer_east, case, day, expected):
    client.force_login(officer_east)

    text = _text(client.get(_url(case.package, in_days(day))))

    answer = text[text.index(f"On {in_days(day):%-d %B %Y}") :][:400]
    assert expected in answer
    provider = case.new.provider if day >= 40 else case.agreement.provider
    assert str(provider) in answer


def test_nothing_was_in_force_before_it_began(client, officer_east, case):
    client.force_login(officer_east)
    text = _text(client.get(_url(case.package, in_days(6))))
    assert f"Nothing was in force on {in_days(6):%-d %B %Y}" in text
    assert f"first terms began on {in_days(7):%-d %B %Y}" in text


def test_a_date_that_is_not_real_is_refused_by_its_field(client, officer_east, case):
    client.force_login(officer_east)
    response = client.get(_url(case.package) + "?on_day=31&on_month=2&on_year=2027")
    assert response.status_code == 400
    assert "Date must be a real date" in response.content.decode()
    assert "<title>Error: " in response.content.decode()


@pytest.mark.parametrize("who", ["officer_west", "cap_member", "other_social_worker"])
def test_those_who_may_not_see_the_person_do_not_find_it(client, request, case, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(_url(case.package)).status_code == 404


def test_a_provider_is_refused_council_pages_before_any_look_up(client, provider_user, case):
    """Providers see a person only in their portal: the packages app's table turns them away (core.permissions)."""
    client.force_login(provider_user)
    response = client.get(_url(case.package))
    assert response.status_code == 403
    assert "only through the packages awarded to them" in response.content.decode()


def test_the_change_link_is_for_its_team(client, social_worker, officer_east, case):
    link = reverse("packages:change_terms", args=[case.new.pk])
    client.force_login(officer_east)
    assert link in client.get(_url(case.package)).content.decode()
    client.force_login(social_worker)
    assert link not in client.get(_url(case.package)).content.decode()


# Queries ---------------------------------------------------------------------------------------------------
def _count(client, django_assert_max_num_queries, url, most=16) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with django_assert_max_num_queries(most), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_reads_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, person, cap_member, officer_east
):
    """However many versions and orders: one version, then six more, read the same number."""
    one = active(person, cap_member, officer_east)
    client.force_login(officer_east)
    asked = _url(one.package, in_days(8))
    few = _count(client, django_assert_max_num_queries, _url(one.package))
    few_asked = _count(client, django_assert_max_num_queries, asked)

    for n in range(6):
        change_terms(
            one.package,
            acting_user=officer_east,
            valid_from=in_days(8 + n),
            hourly_rate=Decimal("21.00") + Decimal(n) / 10,
            reason=f"Review {n}",
        )

    assert _count(client, django_assert_max_num_queries, _url(one.package)) == few
    assert _count(client, django_assert_max_num_queries, asked) == few_asked == few + 1  # the answer: one query


def test_the_person_page_lists_each_package_with_its_terms_in_force(client, social_worker, case):
    client.force_login(social_worker)

    html = client.get(reverse("people:detail", args=[case.package.person.pk])).content.decode()

    section = html[html.index('id="care-packages"') :]
    section = section[: section.index("</table>")]
    assert f'href="{_url(case.package)}">{case.package.reference}' in section
    assert str(case.agreement.provider) in section  # nothing is in force today: the first terms to start are shown
    assert f"{case.version.valid_from:%-d %b %Y} to" in section
    assert "Active" in section


def test_an_ended_package_is_folded_away(client, social_worker, person, cap_member, officer_east):
    from packages.services import end_package

    ended = active(person, cap_member, officer_east)
    end_package(ended.package, acting_user=officer_east, last_day=in_days(9), reason="Moved away")
    client.force_login(social_worker)

    html = client.get(reverse("people:detail", args=[person.pk])).content.decode()

    section = html[html.index('id="care-packages"') : html.index("Referrals to Brokerage")]
    assert "No care packages now." in section
    folded = section[section.index("Ended care packages") :]
    assert ended.package.reference in folded and "Ended" in folded
    assert f"to {in_days(9):%-d %b %Y}" in folded
