"""Who reaches what in the provider portal, by any URL: only provider users; only their own bids;
the person only once their organisation is awarded the package, and every such view audited."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from audit.models import AuditEvent
from dps.models import Bid, BidAnswer
from providers.tests.factories import ProviderServiceFactory

from .conftest import LOSE_PRICE, OUTCOMES, PERSONAL, PLAN, SUMMARY, WIN_PRICE, enrolled_user, provider_user


def portal_urls(case) -> dict[str, str]:
    urls = {
        "home": reverse("portal:home"),
        "requirement": reverse("portal:requirement", args=[case.requirement.pk]),
        "export": reverse("portal:requirement_export", args=[case.requirement.pk]),
    }
    if case.agreement:
        urls["agreement"] = reverse("portal:agreement", args=[case.agreement.pk])
    if case.order:
        urls["purchase order"] = reverse("portal:purchase_order_pdf", args=[case.order.pk])
    return urls


def text_of(response) -> str:
    return response.content.decode("utf-8-sig")


# Staff of the council -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "role",
    ["social_worker", "officer_east", "lead_east", "cap_member", "finance_officer", "dps_team", "head_of_service"],
)
def test_council_staff_are_refused_every_portal_url(client, active_case, request, role):
    client.force_login(request.getfixturevalue(role))
    for name, url in portal_urls(active_case).items():
        assert client.get(url).status_code == 403, name
    answers = {f"answer_{o.pk}": "x" for o in active_case.requirement.outcomes.all()}
    assert (
        client.post(
            portal_urls(active_case)["requirement"], {"price_basis": "weekly", "price": "1", **answers}
        ).status_code
        == 403
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, active_case):
    for name, url in portal_urls(active_case).items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_a_provider_user_needs_both_the_role_and_an_organisation(client, active_case):
    """Half-made accounts (an organisation but not the role, or the role but no organisation) get nothing."""
    no_role = User.objects.create_user(
        username="no-role", password="x-long-password-1", provider=active_case.a.provider
    )
    no_organisation = User.objects.create_user(username="no-organisation", password="x-long-password-2")
    no_organisation.groups.add(Group.objects.get(name=Role.PROVIDER_USER))
    for user in (no_role, no_organisation):
        client.force_login(user)
        for name, url in portal_urls(active_case).items():
            assert client.get(url).status_code == 403, (user.username, name)


# Other providers' bids ----------------------------------------------------------------------------
def _all_pages(client, user, case) -> str:
    """Every portal page of the case the user reaches (a decided requirement is "not found" to non-bidders)."""
    client.force_login(user)
    responses = [
        client.get(url) for name, url in portal_urls(case).items() if name not in ("agreement", "purchase order")
    ]
    assert all(r.status_code in (200, 404) for r in responses)
    return "\n".join(text_of(r) for r in responses)


def _bid_traces(case, user) -> list[str]:
    bid = case.bids[user]
    return [str(bid.price), str(bid.weekly_price), user.provider.name, *bid.answers.values_list("answer", flat=True)]


@pytest.mark.parametrize("stage", ["open", "closed", "awarded"])
def test_a_provider_never_sees_another_providers_bid(client, build, stage):
    case = {
        "open": lambda: build.publish(),
        "closed": lambda: build.closed(),
        "awarded": lambda: build.issue(build.award(build.select(build.closed()))),
    }[stage]()
    for viewer, other in [(case.a, case.b), (case.b, case.a), (case.c, case.a), (case.c, case.b)]:
        text = _all_pages(client, viewer, case)
        for trace in _bid_traces(case, other):
            assert trace not in text, (stage, viewer.get_full_name(), trace)
    # Each sees its own.
    assert f"£{WIN_PRICE}" in _all_pages(client, case.a, case)
    assert f"£{LOSE_PRICE}" in _all_pages(client, case.b, case)


# The person: only after award, only the winner ------------------------------------------------------
def test_before_award_no_provider_can_reach_an_agreement(client, build):
    case = build.select(build.closed())  # the winner is chosen, but no agreement is made yet
    client.force_login(case.a)
    home = text_of(client.get(reverse("portal:home")))
    assert "Closed: bids being reviewed" in home and "Awarded to you" not in home
    assert "Packages awarded to you" in home and "No packages have been awarded to your organisation yet." in home
    for guess in (1, 2, 999):
        assert client.get(reverse("portal:agreement", args=[guess])).status_code == 404


def test_the_unsuccessful_bidder_cannot_reach_the_person_after_award(client, active_case):
    case = active_case
    for user in (case.b, case.c):
        client.force_login(user)
        assert client.get(reverse("portal:agreement", args=[case.agreement.pk])).status_code == 404
        assert client.get(reverse("portal:purchase_order_pdf", args=[case.order.pk])).status_code == 404
    client.force_login(case.b)
    home = text_of(client.get(reverse("portal:home")))
    assert "Not successful" in home and "Awarded to you" not in home
    assert case.agreement.reference not in home
    assert "Not successful" in text_of(client.get(reverse("portal:requirement", args=[case.requirement.pk])))
    assert not AuditEvent.objects.filter(actor__in=[case.b, case.c], action=AuditEvent.Action.VIEWED).exists()


def test_another_providers_agreement_and_order_are_not_found(client, active_case):
    """Changing the id in the address reaches nothing of another organisation's."""
    other_case = active_case
    client.force_login(provider_user())
    assert client.get(reverse("portal:agreement", args=[other_case.agreement.pk])).status_code == 404
    assert client.get(reverse("portal:purchase_order_pdf", args=[other_case.order.pk])).status_code == 404
    client.force_login(other_case.a)
    assert client.get(reverse("portal:agreement", args=[other_case.agreement.pk + 1000])).status_code == 404
    assert client.get(reverse("portal:purchase_order_pdf", args=[other_case.order.pk + 1000])).status_code == 404


def test_the_winner_sees_the_person_the_package_and_the_plan_and_the_view_is_audited(client, active_case):
    case = active_case
    client.force_login(case.a)
    response = client.get(reverse("portal:agreement", args=[case.agreement.pk]))

    assert response.status_code == 200
    text = text_of(response)
    for expected in [
        f"{PERSONAL['first_name']} {PERSONAL['last_name']}",
        "23 November 1938",
        "943 476 5919",
        PERSONAL["address_line_1"],
        PERSONAL["address_line_2"],
        PERSONAL["postcode"],
        PERSONAL["phone"],
        f"{PERSONAL['representative_name']} (Niece)",
        PERSONAL["representative_phone"],
        "£21.37",
        "£213.70",
        "Monday 08:00, 45 minutes, 2 carers",
        "10.00",
        f"{case.agreement.start_date.day} {case.agreement.start_date:%B %Y}",
        "Thursday lunch club at St Brannoc&#x27;s hall",
        PLAN["specific_or_complex_needs"],
        PLAN["places_to_avoid"],
        "Dementia",
        "Welsh",
        case.order.display_number,
        reverse("portal:purchase_order_pdf", args=[case.order.pk]),
    ]:
        assert expected in text, expected
    # The budget is the council's, not the provider's.
    assert "Indicative" not in text and "250.00" not in text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]

    event = AuditEvent.objects.filter(actor=case.a, action=AuditEvent.Action.VIEWED).get()
    assert event.person == case.person
    assert event.object_id == str(case.agreement.pk)
    assert event.summary == f"Viewed service agreement {case.agreement.reference} in the provider portal"

    client.get(reverse("portal:agreement", args=[case.agreement.pk]))
    assert AuditEvent.objects.filter(actor=case.a, action=AuditEvent.Action.VIEWED).count() == 2


def test_a_colleague_at_the_winning_provider_sees_it_too(client, active_case):
    colleague = provider_user(active_case.a.provider)
    client.force_login(colleague)
    assert client.get(reverse("portal:agreement", args=[active_case.agreement.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=colleague, action="viewed", person=active_case.person).count() == 1


def test_downloading_the_purchase_order_is_audited_as_a_view_of_the_person(client, active_case):
    case = active_case
    client.force_login(case.a)
    response = client.get(reverse("portal:purchase_order_pdf", args=[case.order.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(actor=case.a, action="viewed")
    assert event.person == case.person and event.object_id == str(case.order.pk)
    assert case.order.display_number in event.summary


# Bidding after the closing time ---------------------------------------------------------------------
def _snapshot(case):
    return (
        sorted(Bid.objects.values_list("pk", "provider", "price_basis", "price", "weekly_price", "updated_at")),
        sorted(BidAnswer.objects.values_list("pk", "answer")),
    )


@pytest.mark.parametrize("who", ["a", "c"])
def test_a_bid_after_closing_is_refused_and_changes_nothing(client, open_case, who):
    case = open_case
    user = getattr(case, who)  # a changing its bid, c making a first one
    url = reverse("portal:requirement", args=[case.requirement.pk])
    data = {
        "price_basis": "hourly",
        "price": "15.00",
        **{f"answer_{o.pk}": "A late answer" for o in case.requirement.outcomes.all()},
    }
    before = _snapshot(case)

    with time_machine.travel(case.requirement.closes_at + timedelta(seconds=1)):
        client.force_login(user)
        response = client.post(url, data)
        incomplete = client.post(url, {"price": "0"})  # the closing time, not the missing answers, is the reason

    for r in (response, incomplete):
        assert r.status_code == 400
        text = text_of(r)
        assert "There is a problem" in text and "Bidding closed at" in text
        assert "Bids can no longer be made or changed." in text
        assert "Enter a price above £0" not in text and "<textarea" not in text
    assert _snapshot(case) == before
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.REFUSED).count() == 2


# Providers the requirement is not open to -----------------------------------------------------------
@pytest.mark.parametrize("outsider", ["other district", "not enrolled", "other arrangement", "inactive"])
def test_a_provider_the_requirement_is_not_open_to_gets_404(client, open_case, outsider):
    case = open_case
    if outsider == "other district":
        user = enrolled_user(case.arrangement, districts=["W2", "E2"])
    elif outsider == "not enrolled":
        user = provider_user()
        ProviderServiceFactory(provider=user.provider, arrangement=None, districts=["E1"])  # spot contracts only
    elif outsider == "other arrangement":
        other = type(case.arrangement).objects.create(
            name="Another DPS", kind="dps", service_type_id="home_care", starts_on=case.arrangement.starts_on
        )
        user = enrolled_user(other)
    else:
        user = enrolled_user(case.arrangement)
        user.provider.active = False
        user.provider.save()
    client.force_login(user)
    bids = Bid.objects.count()

    assert client.get(reverse("portal:requirement", args=[case.requirement.pk])).status_code == 404
    assert client.get(reverse("portal:requirement_export", args=[case.requirement.pk])).status_code == 404
    answers = {f"answer_{o.pk}": "x" for o in case.requirement.outcomes.all()}
    response = client.post(
        reverse("portal:requirement", args=[case.requirement.pk]), {"price_basis": "weekly", "price": "100", **answers}
    )
    assert response.status_code == 404 and Bid.objects.count() == bids
    assert case.requirement.reference not in text_of(client.get(reverse("portal:home")))


def test_a_requirement_stays_visible_to_a_bidder_no_longer_covering_the_district(client, open_case):
    """Its own bid stays readable; nothing else opens up."""
    case = open_case
    case.a.provider.services.update(districts=["W2"])
    client.force_login(case.a)
    response = client.get(reverse("portal:requirement", args=[case.requirement.pk]))
    assert response.status_code == 200 and f"£{WIN_PRICE}" in text_of(response)
    home = text_of(client.get(reverse("portal:home")))
    assert "No requirements are open to your organisation" in home and case.requirement.reference in home


def test_unknown_ids_are_not_found(client, open_case):
    client.force_login(open_case.a)
    for name in ("portal:requirement", "portal:requirement_export", "portal:agreement", "portal:purchase_order_pdf"):
        assert client.get(reverse(name, args=[987654])).status_code == 404, name


def test_a_second_organisation_with_the_same_service_is_kept_apart(client, open_case):
    """Two users of one organisation share its bid; a user of a look-alike organisation does not."""
    case = open_case
    colleague = provider_user(case.a.provider)
    twin = enrolled_user(case.arrangement)
    twin.provider.name = case.a.provider.name
    twin.provider.save()
    url = reverse("portal:requirement", args=[case.requirement.pk])
    client.force_login(colleague)
    assert f"£{WIN_PRICE}" in text_of(client.get(url))
    client.force_login(twin)
    assert f"£{WIN_PRICE}" not in text_of(client.get(url))


def test_after_award_a_losing_bidder_sees_only_the_outcome_of_its_own_bid(client, active_case):
    """The requirement's text (the package, its outcomes, the CSV) goes with the award, to the winner only."""
    case = active_case
    client.force_login(case.b)
    page = text_of(client.get(reverse("portal:requirement", args=[case.requirement.pk])))
    assert "Your bid was not successful" in page and str(case.bids[case.b].weekly_price) in page
    for text in [SUMMARY, *OUTCOMES, "Bryn Homecare will do this", "Alys Care will do this"]:
        assert text not in page
    assert client.get(reverse("portal:requirement_export", args=[case.requirement.pk])).status_code == 404
    client.force_login(case.c)  # enrolled, never bid: nothing at all
    assert client.get(reverse("portal:requirement", args=[case.requirement.pk])).status_code == 404
    client.force_login(case.a)  # the winner still reads the package it was awarded
    assert SUMMARY in text_of(client.get(reverse("portal:requirement", args=[case.requirement.pk])))


def test_while_bids_are_considered_the_bidders_still_read_the_requirement(client, closed_case):
    client.force_login(closed_case.b)
    assert SUMMARY in text_of(client.get(reverse("portal:requirement", args=[closed_case.requirement.pk])))
    assert client.get(reverse("portal:requirement_export", args=[closed_case.requirement.pk])).status_code == 200
