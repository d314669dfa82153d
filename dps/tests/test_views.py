"""The officer's requirement form: bad input gets a message next to its field and publishes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning import services as commissioning
from core.exceptions import ActionRefused
from core.tests.forms import date_fields
from dps.models import DPSRequirement
from dps.tests.factories import (
    OUTCOMES,
    SUMMARY,
    PurchasingArrangementFactory,
    after_closing,
    allocated,
    bidder,
    closed,
    closing_fields,
    published,
    requirement_fields,
    submit,
)
from referrals.tests.factories import allocated_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(person, cap_member, officer_east):
    return allocated(person, cap_member, officer_east)


def form_data(case, **overrides):
    closes = timezone.localtime() + timedelta(days=2)
    return {
        "arrangement": case.arrangement.pk,
        **date_fields("start_date", (closes + timedelta(days=3)).date()),
        **closing_fields(closes),
        "summary": SUMMARY,
        "outcomes": "\n".join(OUTCOMES),
        "quality_weight": "60",
    } | overrides


def test_a_valid_requirement_is_published(client, case):
    client.force_login(case.officer)
    response = client.post(reverse("commissioning:publish", args=[case.referral.pk]), form_data(case))
    assert response.status_code == 302
    assert DPSRequirement.objects.count() == 1


def test_a_start_before_bidding_closes_is_refused_next_to_the_start_date(client, case):
    client.force_login(case.officer)
    closes = timezone.localtime() + timedelta(days=2)
    response = client.post(
        reverse("commissioning:publish", args=[case.referral.pk]),
        form_data(case, **date_fields("start_date", (closes - timedelta(days=1)).date())),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The start date must be after bidding closes on" in page
    assert 'id="id_start_date-error"' in page and 'href="#id_start_date_day"' in page
    assert SUMMARY in page  # what was typed is kept
    assert not DPSRequirement.objects.exists()


def test_the_service_refuses_a_start_on_the_closing_day_too(case):
    closes = timezone.now() + timedelta(days=2)
    with pytest.raises(ActionRefused, match="The start date must be after bidding closes"):
        commissioning.publish_requirement(
            case.commission,
            acting_user=case.officer,
            **requirement_fields(case.arrangement, closes_at=closes, start_date=timezone.localtime(closes).date()),
        )
    assert not DPSRequirement.objects.exists()


def test_a_summary_of_two_megabytes_is_refused(client, case):
    client.force_login(case.officer)
    response = client.post(
        reverse("commissioning:publish", args=[case.referral.pk]), form_data(case, summary="x" * 2_000_000)
    )
    assert response.status_code == 400
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert not DPSRequirement.objects.exists()


# The requirement page: the approved weekly amount beside the bids -------------------------------
def _row(page: str, provider) -> str:
    """The ranking table's row for the provider's bid, its white space collapsed."""
    rows = [row for row in page.split('<tr class="govuk-table__row">') if str(provider) in row.split("</tr>")[0]]
    assert len(rows) == 1, provider
    return " ".join(rows[0].split("</tr>")[0].split())


ABOVE = "Above approved amount"


def test_a_bid_above_the_approved_amount_is_flagged_with_how_far_above(client, person, cap_member, officer_east):
    # 10 hours at £25.01, £25.00 and £24.00 against £250.00 approved
    case = closed(person, cap_member, officer_east, prices=(Decimal("25.01"), Decimal("25.00"), Decimal("24.00")))
    above, at, below = case.bids
    client.force_login(officer_east)

    page = client.get(reverse("dps:requirement", args=[case.requirement.pk])).content.decode()

    assert "Approved weekly amount: <strong>£250.00</strong>" in page
    flagged = _row(page, above.provider)
    assert '<strong class="govuk-tag govuk-tag--red">Above approved amount</strong> by £0.10' in flagged
    assert ABOVE not in _row(page, at.provider) and ABOVE not in _row(page, below.provider)
    # beside its answers, where they are scored, and in the choice of provider
    assert "£250.10 a week is £0.10 above the £250.00 approved." in page
    assert page.count(ABOVE) == 2
    assert f"{above.provider} (£250.10 a week, £0.10 above the approved amount)" in page
    assert f"{at.provider} (£250.00 a week)" in page


def test_a_weekly_bid_at_the_approved_amount_is_not_flagged(client, person, cap_member, officer_east):
    case = closed(person, cap_member, officer_east, prices=(Decimal("250.00"), Decimal("250.01")), price_basis="weekly")
    at, above = case.bids
    client.force_login(officer_east)

    page = client.get(reverse("dps:requirement", args=[case.requirement.pk])).content.decode()

    assert ABOVE not in _row(page, at.provider)
    assert f"{ABOVE}</strong> by £0.01" in _row(page, above.provider)


def test_the_approved_amount_is_shown_while_bidding_is_open(client, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    client.force_login(officer_east)

    page = client.get(reverse("dps:requirement", args=[case.requirement.pk])).content.decode()

    assert "Approved weekly amount: <strong>£250.00</strong>" in page
    assert ABOVE not in page  # bids stay sealed


def test_an_urgent_referral_has_no_approved_amount_and_flags_no_bid(client, person, social_worker, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)  # no plan, so no funding decision
    arrangement = PurchasingArrangementFactory()
    requirement = commissioning.publish_requirement(
        referral.commission, acting_user=officer_east, **requirement_fields(arrangement)
    )
    submit(requirement, bidder(arrangement), Decimal("900.00"), price_basis="weekly")
    with after_closing(requirement):
        commissioning.close_bidding(referral.commission, acting_user=officer_east)
    client.force_login(officer_east)

    page = client.get(reverse("dps:requirement", args=[requirement.pk])).content.decode()

    assert "No weekly amount has been approved for this referral." in page
    assert "£900.00" in page and ABOVE not in page
