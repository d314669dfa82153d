"""The supported living page and its forms, the provider portal's assessment page, the agreement PDF and the home
pages: each user is offered the steps the machine allows them now; bad input says why and changes nothing; a
provider not chosen sees nothing of the person; every view of the person is audited."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.tests.forms import date_fields
from core.tests.pdfs import pdf_text
from dps.tests.factories import closing_fields, provider_staff
from people.tests.factories import make_plan
from supported_living.models import Proposal, SupportedLivingPlacement, SupportedLivingTransition
from supported_living.pdf import render_agreement_pdf
from supported_living.services import render_agreement
from supported_living.workflows import State

from . import factories as f

pytestmark = pytest.mark.django_db


def _text(content) -> str:
    content = content.decode() if isinstance(content, bytes) else content
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)).replace("&#x27;", "'")


def _step(placement, slug):
    return reverse("supported_living:step", args=[placement.pk, slug])


def _views(user) -> int:
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.VIEWED).count()


def test_the_referral_page_links_to_the_placement_and_the_page_shows_the_picture(client, cast):
    case = f.started(*cast)
    client.force_login(case.officer)
    assert case.placement.get_absolute_url() in client.get(case.referral.get_absolute_url()).content.decode()
    page = client.get(case.placement.get_absolute_url())
    assert page.status_code == 200
    assert "How supported living is found" in page.content.decode()
    assert reverse("supported_living:publish", args=[case.placement.pk]) in page.content.decode()


def test_the_officer_publishes_from_the_page(client, cast):
    case = f.started(*cast)
    client.force_login(case.officer)
    url = reverse("supported_living:publish", args=[case.placement.pk])
    assert "past exploitation" in client.get(url).content.decode()  # the plan, for the officer, not for bidders
    response = client.post(
        url,
        {
            "arrangement": case.arrangement.pk,
            "areas_to_avoid": "N17",
            **date_fields("start_date", timezone.localdate() + timedelta(days=7)),
            **closing_fields(timezone.now() + timedelta(days=2)),
            "summary": f.SUMMARY,
            "outcomes": "A calm home",
            "quality_weight": "50",
        },
    )
    assert response.status_code == 302
    placement = SupportedLivingPlacement.objects.get(pk=case.placement.pk)
    assert placement.state == State.BIDDING and "Areas to avoid: N17." in placement.requirement.summary


def test_the_officer_shares_details_from_the_page_and_bad_input_changes_nothing(client, cast):
    case = f.bids_in(*cast)
    client.force_login(case.officer)
    page = client.get(case.placement.get_absolute_url())
    assert "Share the person's details with providers" in page.content.decode()
    bad = client.post(_step(case.placement, "share-details"), {})
    assert bad.status_code == 400 and "Select at least one provider" in _text(bad.content)
    assert SupportedLivingPlacement.objects.get(pk=case.placement.pk).state == State.BIDS_IN
    response = client.post(_step(case.placement, "share-details"), {"share-details-bids": [case.bids[0].pk]})
    assert response.status_code == 302
    assert SupportedLivingPlacement.objects.get(pk=case.placement.pk).state == State.ASSESSMENTS
    again = client.post(_step(case.placement, "share-details"), {"share-details-bids": [case.bids[1].pk]})
    assert again.status_code == 302  # refused with the reason: the same form twice does nothing twice
    assert case.placement.chosen.count() == 1


def test_someone_elses_placement_is_not_found(client, cast, officer_west, other_social_worker):
    case = f.started(*cast)
    for user in (officer_west, other_social_worker):
        client.force_login(user)
        assert client.get(case.placement.get_absolute_url()).status_code == 404
        assert client.post(_step(case.placement, "withdraw"), {"withdraw-reason": "x"}).status_code == 404


def test_a_chosen_provider_reads_the_person_in_the_portal_audited_and_sends_its_proposal(client, cast, person):
    case = f.bids_in(*cast)
    f.services.share_details(case.placement, acting_user=case.officer, bids=case.bids[:1])
    chosen = case.placement.chosen.get()
    staff, other = case.bidders
    url = reverse("portal:supported_living_assessment", args=[chosen.pk])
    client.force_login(staff)
    home = client.get(reverse("portal:home")).content.decode()
    assert url in home and person.last_name not in home
    before = _views(staff)
    page = client.get(url)
    text = _text(page.content)
    assert page.status_code == 200 and person.full_name in text and "past exploitation" in text
    assert "A self-contained flat with support on site" in text
    assert _views(staff) == before + 1
    bad = client.post(url, {"one_to_one_hours": "20"})
    assert bad.status_code == 400 and "at least one line" in _text(bad.content)
    assert not Proposal.objects.exists()
    data = {"one_to_one_hours": "20", "core": "600.00", "one_to_one": "450.00", "sleep_in": "200.00"}
    assert client.post(url, data).status_code == 302
    assert Proposal.objects.get().weekly_cost == Decimal("1250.00")
    # The bidder not chosen sees nothing of the person: not on its home page, and "not found" by the id.
    client.force_login(other)
    assert url not in client.get(reverse("portal:home")).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(provider_staff())
    assert client.get(url).status_code == 404


def test_a_provider_no_longer_needed_loses_sight_of_the_person(client, cast):
    case = f.viewing(*cast)
    first, second = case.chosen()
    client.force_login(case.bidders[1])
    assert client.get(reverse("portal:supported_living_assessment", args=[second.pk])).status_code == 404
    client.force_login(case.bidders[0])
    assert client.get(reverse("portal:supported_living_assessment", args=[first.pk])).status_code == 200


def test_the_officer_and_social_worker_each_record_a_review_on_the_page(client, cast):
    case = f.joint_review(*cast)
    client.force_login(case.worker)
    url = reverse("supported_living:review", args=[case.placement.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"review-notes": "Suits the person"}).status_code == 302
    assert client.post(url, {"review-notes": "Again"}).status_code == 302  # refused: recorded once
    assert case.placement.reviews.count() == 1
    client.force_login(case.officer)
    assert client.post(url, {"review-notes": "Good value"}).status_code == 302
    assert client.post(_step(case.placement, "start-negotiation")).status_code == 302
    assert SupportedLivingPlacement.objects.get(pk=case.placement.pk).state == State.NEGOTIATING


def test_the_panel_finds_the_case_on_its_home_page_and_decides_it(client, cast, cap_member):
    case = f.awaiting_funding(*cast)
    client.force_login(cap_member)
    home = client.get(reverse("home")).content.decode()
    assert case.placement.get_absolute_url() in home
    low = client.post(
        _step(case.placement, "decide-funding"),
        {"decide-funding-decision": "approved", "decide-funding-approved_weekly_amount": "1000.00"},
    )
    assert low.status_code == 302
    assert SupportedLivingPlacement.objects.get(pk=case.placement.pk).state == State.AWAITING_FUNDING
    response = client.post(
        _step(case.placement, "decide-funding"),
        {"decide-funding-decision": "approved", "decide-funding-approved_weekly_amount": "1200.00"},
    )
    assert response.status_code == 302 and response.url == reverse("home")
    assert SupportedLivingPlacement.objects.get(pk=case.placement.pk).state == State.FUNDED


def test_the_agreement_pdf_states_the_agreement(cast, person):
    case = f.commissioned(*cast)
    placement = case.placement
    agreement = placement.agreement
    order = agreement.purchase_orders.get()
    text = pdf_text(render_agreement_pdf(placement))
    starts = placement.start_date
    for expected in [
        f"Supported living agreement {placement.reference}",
        agreement.reference,
        f"purchase order {order.number}",
        agreement.provider.name,
        "On the DPS, from its bid",
        f"{person.first_name} {person.last_name}",
        "Flat 2, 10 Mill Lane",
        f"{starts.day} {starts:%B %Y}",
        "20.00 1:1 hours a week",
        "£1150.00 a week",
        "Core (shared) support",
        "£600.00 a week",
        "Sleep-in or waking nights",
        "A self-contained flat with support on site",
    ]:
        assert expected in text, expected


def test_the_agreement_is_made_once_and_served_to_those_who_see_the_person(client, cast, officer_west):
    case = f.commissioned(*cast)
    assert render_agreement(case.placement.pk) is True
    assert render_agreement(case.placement.pk) is False
    url = reverse("supported_living:agreement", args=[case.placement.pk])
    client.force_login(case.officer)
    before = _views(case.officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert case.placement.reference in pdf_text(b"".join(response.streaming_content))
    assert _views(case.officer) == before + 1
    client.force_login(officer_west)
    assert client.get(url).status_code == 404
    # The provider downloads it in its portal; the other bidder cannot.
    first, second = case.chosen()
    client.force_login(case.bidders[0])
    assert client.get(reverse("portal:supported_living_agreement", args=[first.pk])).status_code == 200
    client.force_login(case.bidders[1])
    assert client.get(reverse("portal:supported_living_agreement", args=[second.pk])).status_code == 404
    assert client.get(reverse("portal:supported_living_agreement", args=[first.pk])).status_code == 404


def test_a_supported_living_plan_needs_the_kind_of_provision_and_1_to_1_hours(client, social_worker, person):
    client.force_login(social_worker)
    url = reverse("people:plan_create", args=[person.pk])
    page = client.get(url)
    assert "Kind of supported living provision" in page.content.decode()
    response = client.post(url, {"service_type": "supported_living", "outcomes": "A home of my own"})
    assert response.status_code in (200, 400)
    text = _text(response.content)
    assert "Select the kind of supported living provision" in text
    assert "Enter the 1:1 hours a week" in text
    plan = make_plan(
        social_worker,
        person,
        service_type="supported_living",
        weekly_hours=None,
        provision_kind="shared_house",
        one_to_one_hours=Decimal("10"),
    )
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "A shared house with support staff" in detail


def test_each_step_is_logged(cast):
    case = f.funded(*cast)
    assert list(
        SupportedLivingTransition.objects.filter(placement=case.placement).order_by("id").values_list("name", flat=True)
    ) == [
        "publish_requirement",
        "close_bidding",
        "share_details",
        "review_proposals",
        "start_negotiation",
        "agree_terms",
        "present_to_panel",
        "approve_funding",
    ]
