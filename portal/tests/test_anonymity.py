"""The DPS guarantee: before award, nothing a provider can open or is sent names the person.

The case goes through the services as in use: published, bid on by two providers (a third enrolled
provider never bids), closed, a provider chosen, awarded, a purchase order issued. At each step
every portal page a provider can reach, the CSV export, the bid form re-rendered with an error and
every e-mail sent to a provider address are searched for the person's details. Only the postcode
district (E1) may appear. The winner's agreement page is searched the same way as a control: it
must find every kind of detail, or the search proves nothing.
"""

import re
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from providers.models import Provider

from .conftest import PERSONAL, PLAN

DOB = PERSONAL["date_of_birth"]
NEEDLES = {
    "name": [PERSONAL["first_name"], PERSONAL["last_name"], "Quennell", "Marwood"],
    "date of birth": [
        DOB.strftime("%d/%m/%Y"),
        f"{DOB.day}/{DOB.month}/{DOB.year}",
        DOB.strftime("%d/%m/%y"),
        DOB.strftime("%d-%m-%Y"),
        DOB.strftime("%d.%m.%Y"),
        DOB.isoformat(),
        DOB.strftime("%d%m%Y"),
        f"{DOB.day} {DOB:%B %Y}",
        f"{DOB.day} {DOB:%b %Y}",
        f"{DOB.day}rd {DOB:%B %Y}",
        f"{DOB:%B} {DOB.day}, {DOB.year}",
    ],
    "NHS number": [PERSONAL["nhs_number"], "943 476 5919", "943-476-5919"],
    "address": [PERSONAL["address_line_1"], PERSONAL["address_line_2"], "Larkspur", "Tidewater"],
    "phone": [PERSONAL["phone"], PERSONAL["phone"].replace(" ", "")],
    "next of kin": [
        PERSONAL["representative_name"],
        "Ashdown-Vey",
        PERSONAL["representative_phone"],
        PERSONAL["representative_phone"].replace(" ", ""),
    ],
    "full postcode": [PERSONAL["postcode"], PERSONAL["postcode"].replace(" ", "")],
    # Not personal details as such, but the plan is shared only with the winner.
    "plan": [PLAN["places_to_avoid"], PLAN["preferred_locations"], "ceiling hoist"],
}
# CSRF tokens are long random runs of letters and digits: taken out so one can never match by chance.
TOKEN = re.compile(r"[A-Za-z0-9]{32,}")


def leaks(text: str) -> set[str]:
    """The kinds of the person's details in the text (any case)."""
    text = TOKEN.sub(" ", text).casefold()
    return {kind for kind, values in NEEDLES.items() if any(v.casefold() in text for v in values)}


def bid_form_with_an_error(case) -> dict:
    data = {"price_basis": "hourly", "price": "not a price"}
    data.update({f"answer_{o.pk}": "We will." for o in case.requirement.outcomes.all()})
    return data


def provider_pages(client, user, case) -> dict[str, str]:
    """Every portal page and export the user can reach on this case, with its text."""
    client.force_login(user)
    requirement = reverse("portal:requirement", args=[case.requirement.pk])
    # A decided requirement is shown only to its winner; the others get the outcome of their bid, or nothing.
    responses = {
        "home": (client.get(reverse("portal:home")), {200}),
        "requirement": (client.get(requirement), {200, 404}),
        "export": (client.get(reverse("portal:requirement_export", args=[case.requirement.pk])), {200, 404}),
        "bid form with an error": (client.post(requirement, bid_form_with_an_error(case)), {200, 400, 404}),
    }
    pages = {}
    for name, (response, expected) in responses.items():
        assert response.status_code in expected, (user, name, response.status_code)
        if response.status_code != 404:  # "not found" shows nothing of the case
            pages[name] = response.content.decode("utf-8-sig")
    return pages


def assert_anonymous(client, case, users, stage: str) -> None:
    for user in users:
        for name, text in provider_pages(client, user, case).items():
            assert leaks(text) == set(), f"{stage}: {user.get_full_name()}'s {name} page shows {leaks(text)}"
            if name != "home" and "Your bid was not successful" not in text:  # what they may see
                assert re.search(r"\bE1\b", text), f"{stage}: no district on {user.get_full_name()}'s {name} page"


def test_nothing_a_provider_sees_before_award_names_the_person(build, client):
    # Published three days ago: the open phase is seen as it was then.
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        case = build.publish()
        assert_anonymous(client, case, [case.a, case.b, case.c], "open")

    case = build.close(case)
    assert_anonymous(client, case, [case.a, case.b, case.c], "closed")

    case = build.select(case)
    assert_anonymous(client, case, [case.a, case.b, case.c], "provider chosen, no agreement yet")

    case = build.issue(build.award(case))
    assert_anonymous(client, case, [case.b, case.c], "awarded to someone else")

    # The control: the same search finds every kind of detail where the winner may now see it.
    client.force_login(case.a)
    shared = client.get(reverse("portal:agreement", args=[case.agreement.pk])).content.decode()
    assert leaks(shared) == set(NEEDLES)


def test_no_email_to_a_provider_names_the_person(build):
    case = build.issue(build.award(build.select(build.closed())))

    provider_addresses = set(get_user_model().objects.filter(provider__isnull=False).values_list("email", flat=True))
    provider_addresses |= set(Provider.objects.values_list("email", flat=True))
    to_providers = [m for m in mail.outbox if set(m.to) & provider_addresses]
    subjects = sorted(m.subject for m in to_providers)
    reference, agreement = case.requirement.reference, case.agreement.reference
    assert subjects == sorted(
        [
            *[f"New requirement {reference}: Domiciliary care (home care) in E1"] * 3,
            f"Requirement {reference}: your bid was not successful",
            f"Service agreement {agreement} awarded to you",
            f"Purchase order {case.order.display_number} issued",
        ]
    )
    for message in to_providers:
        rendered = message.message().as_string()
        for text in (message.subject, message.body, rendered):
            assert leaks(text) == set(), (message.subject, leaks(text))
