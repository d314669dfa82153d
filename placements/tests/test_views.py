"""The placement's page and its forms: each user is offered the steps the machine allows them now, each form calls
its service, a refusal changes nothing and says why, and the home pages list what waits for each role."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.tests.forms import date_fields
from dps.tests.factories import closing_fields
from placements.models import Placement, PlacementTransition
from placements.workflows import State

from . import factories as f

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _step(placement, slug):
    return reverse("placements:step", args=[placement.pk, slug])


def test_the_referral_page_links_to_its_placement(client, person, head_of_service, officer_east):
    case = f.started(person, head_of_service, officer_east)
    client.force_login(officer_east)
    response = client.get(case.referral.get_absolute_url())
    assert case.placement.get_absolute_url() in response.content.decode()


def test_the_officer_publishes_from_the_placement_page(client, person, head_of_service, officer_east):
    case = f.started(person, head_of_service, officer_east)
    client.force_login(officer_east)
    page = client.get(case.placement.get_absolute_url())
    assert reverse("placements:publish", args=[case.placement.pk]) in page.content.decode()
    form = client.get(reverse("placements:publish", args=[case.placement.pk]))
    assert f.LOCATION in form.content.decode()  # offered from the plan
    closes = timezone.now() + timedelta(days=2)
    response = client.post(
        reverse("placements:publish", args=[case.placement.pk]),
        {
            "arrangement": case.arrangement.pk,
            "preferred_location": "Eastbrook",
            **date_fields("start_date", timezone.localdate() + timedelta(days=7)),
            **closing_fields(closes),
            "summary": f.SUMMARY,
            "outcomes": "Personal care day and night",
            "quality_weight": "50",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(pk=case.placement.pk)
    assert (placement.state, placement.requirement.preferred_location) == (State.BIDDING, "Eastbrook")


def test_the_publish_form_turns_back_someone_else(client, person, head_of_service, officer_east, social_worker):
    case = f.started(person, head_of_service, officer_east)
    client.force_login(social_worker)
    response = client.get(reverse("placements:publish", args=[case.placement.pk]))
    assert response.status_code == 403  # placements' table: publishing is Brokerage's (core.permissions)


def test_the_social_worker_records_a_viewing_from_the_page(
    client, person, head_of_service, officer_east, social_worker
):
    case = f.viewings(person, head_of_service, officer_east)
    home = case.placement.homes.order_by("id").first()
    client.force_login(social_worker)
    page = _text(client.get(case.placement.get_absolute_url()))
    assert f"Record the viewing of {home.provider.name}" in page
    response = client.post(
        reverse("placements:viewing", args=[case.placement.pk, home.pk]),
        {
            f"home-{home.pk}-outcome": "suitable",
            **date_fields(f"home-{home.pk}-viewed_on", timezone.localdate()),
            f"home-{home.pk}-notes": "Lovely garden",
        },
    )
    assert response.status_code == 302
    home.refresh_from_db()
    assert (home.outcome, home.viewing_notes) == ("suitable", "Lovely garden")


def test_a_viewing_sent_with_errors_comes_back_with_them(client, person, head_of_service, officer_east, social_worker):
    case = f.viewings(person, head_of_service, officer_east)
    home = case.placement.homes.first()
    client.force_login(social_worker)
    response = client.post(reverse("placements:viewing", args=[case.placement.pk, home.pk]), {})
    assert response.status_code == 400
    assert "Select how the viewing went" in _text(response)


def test_the_officer_cannot_record_a_viewing(client, person, head_of_service, officer_east):
    case = f.viewings(person, head_of_service, officer_east)
    home = case.placement.homes.first()
    client.force_login(officer_east)
    response = client.post(
        reverse("placements:viewing", args=[case.placement.pk, home.pk]),
        {f"home-{home.pk}-outcome": "suitable", **date_fields(f"home-{home.pk}-viewed_on", timezone.localdate())},
    )
    assert response.status_code == 403  # placements' table: viewings are the practitioner's (core.permissions)
    home.refresh_from_db()
    assert home.outcome == "to_view"


def test_the_head_of_service_sees_the_fee_waiting_and_approves_it(client, person, head_of_service, officer_east):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    client.force_login(head_of_service)
    home = _text(client.get(reverse("home")))
    assert "Placement fees waiting for your approval" in home and case.placement.reference in home
    page = _text(client.get(case.placement.get_absolute_url()))
    assert "Decide the placement fee" in page
    response = client.post(_step(case.placement, "decide-fee"), {"decide-fee-decision": "approved"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert Placement.objects.get(pk=case.placement.pk).state == State.FEE_AGREED
    # The decision made, the head of service no longer has a need to see the person.
    assert client.get(case.placement.get_absolute_url()).status_code == 404


def test_the_social_worker_sees_homes_to_view_on_their_home_page(
    client, person, head_of_service, officer_east, social_worker
):
    case = f.viewings(person, head_of_service, officer_east)
    client.force_login(social_worker)
    home = _text(client.get(reverse("home")))
    assert "Care homes to view" in home and case.placement.reference in home


def test_a_step_refused_changes_nothing_and_says_why(client, person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    client.force_login(officer_east)
    steps = PlacementTransition.objects.count()
    response = client.post(_step(case.placement, "agree-fee"), {"agree-fee-weekly_fee": "980.00"}, follow=True)
    assert "needs a head of service&#x27;s fee approval" in response.content.decode()
    assert PlacementTransition.objects.count() == steps
    assert Placement.objects.get(pk=case.placement.pk).weekly_fee is None


def test_a_form_sent_with_errors_comes_back_open_with_them(client, person, head_of_service, officer_east):
    case = f.negotiating(person, head_of_service, officer_east)
    client.force_login(officer_east)
    response = client.post(_step(case.placement, "offer"), {"offer-weekly_amount": "abc"})
    assert response.status_code == 400
    assert "Select who made the offer" in _text(response)


def test_an_unknown_step_is_not_found(client, person, head_of_service, officer_east):
    case = f.started(person, head_of_service, officer_east)
    client.force_login(officer_east)
    assert client.post(_step(case.placement, "teleport")).status_code == 404


def test_someone_who_cannot_see_the_person_is_not_told_the_placement_exists(
    client, person, head_of_service, officer_east, officer_west
):
    case = f.bids_in(person, head_of_service, officer_east)
    client.force_login(officer_west)
    assert client.get(case.placement.get_absolute_url()).status_code == 404
    assert client.post(_step(case.placement, "send-for-viewings")).status_code == 404
    assert Placement.objects.get(pk=case.placement.pk).state == State.BIDS_IN


def test_the_contract_is_not_there_before_the_placement_is_commissioned(client, person, head_of_service, officer_east):
    case = f.admission_set(person, head_of_service, officer_east)
    client.force_login(officer_east)
    assert client.get(reverse("placements:contract", args=[case.placement.pk])).status_code == 404


def test_the_page_shows_the_plans_amount_and_the_fee_approval_read_by_their_keys(
    client, person, head_of_service, officer_east
):
    case = f.awaiting_fee_approval(person, head_of_service, officer_east)
    client.force_login(head_of_service)
    page = _text(client.get(case.placement.get_absolute_url()))
    assert "Plan's approved amount £900.00 a week" in page
    assert "Fee approval Awaiting a decision" in page and "Record your decision" in page
