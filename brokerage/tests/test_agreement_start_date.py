"""The agreement's start date on the agreement page is typed as day, month and year (the GOV.UK date input),
and a refused date comes back next to its field as it was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from brokerage.models import ServiceAgreement
from core.tests.forms import date_fields
from dps.tests.factories import selected

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(person, cap_member, officer_east):
    return selected(person, cap_member, officer_east)


def _url(case):
    return reverse("commissioning:award", args=[case.referral.pk])


def _rate(case):
    return {"hourly_rate": str(case.commission.chosen_bid.price)}


def test_the_form_offers_the_requirement_start_date_in_three_boxes(client, case):
    client.force_login(case.officer)
    start = case.requirement.start_date

    page = client.get(_url(case)).content.decode()

    assert 'role="group"' in page and "Start date" in page and 'type="date"' not in page
    for part, value in (("day", start.day), ("month", start.month), ("year", start.year)):
        assert f'for="id_start_date_{part}"' in page
        assert f'name="start_date_{part}" type="text" value="{value}"' in page


def test_the_start_date_posted_as_day_month_and_year_makes_the_agreement(client, case):
    client.force_login(case.officer)
    start = timezone.localdate() + timedelta(days=14)

    response = client.post(_url(case), date_fields("start_date", start) | _rate(case))

    assert response.status_code == 302
    assert ServiceAgreement.objects.get(referral=case.referral).start_date == start


def test_a_start_date_without_a_month_is_refused_next_to_the_field_as_typed(client, case):
    client.force_login(case.officer)
    year = str(timezone.localdate().year + 1)

    response = client.post(
        _url(case), {"start_date_day": "14", "start_date_month": "", "start_date_year": year} | _rate(case)
    )

    page = response.content.decode()
    assert response.status_code == 400
    assertInHTML(
        '<p id="id_start_date-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Start date must include a month</p>',
        page,
    )
    assertInHTML('<a href="#id_start_date_month">Start date must include a month</a>', page)
    assert 'aria-describedby="id_start_date-hint id_start_date-error"' in page
    assert 'name="start_date_day" type="text" value="14"' in page
    assert f'name="start_date_year" type="text" value="{year}"' in page
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error"' in page
    assert not ServiceAgreement.objects.exists()


def test_a_date_that_does_not_exist_is_refused(client, case):
    client.force_login(case.officer)
    year = str(timezone.localdate().year + 1)

    response = client.post(
        _url(case), {"start_date_day": "31", "start_date_month": "2", "start_date_year": year} | _rate(case)
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Start date must be a real date" in page
    assert 'name="start_date_day" type="text" value="31"' in page
    assert 'name="start_date_month" type="text" value="2"' in page
    assert not ServiceAgreement.objects.exists()
