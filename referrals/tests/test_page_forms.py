"""The forms on the referral page sent with errors: the page comes back (400) with what was typed, each message by
its field, an error summary linking to the fields, and nothing changed. The other forms on the page stay empty."""

import html
import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from brokerage.models import ContactLogEntry
from core.forms import FREE_TEXT_MAX_LENGTH
from core.models import FormSubmission
from core.once import ALREADY_SENT
from core.tests.forms import fresh_token
from referrals import services
from referrals.models import Referral, ReferralTransition

from .factories import held_referral, sourcing_support_referral, urgent_referral

TOO_LONG = "Rang the provider about Tuesday mornings. " * (FREE_TEXT_MAX_LENGTH // 40)
assert len(TOO_LONG) > FREE_TEXT_MAX_LENGTH


def contact(**overrides) -> dict:
    return {
        "contact_with": "provider",
        "contact_name": "Brightcare Homecare",
        "method": "phone",
        "occurred_at": "2026-01-05T10:00",
        "summary": "Asked about capacity for morning visits.",
        **fresh_token(),
    } | overrides


@pytest.fixture
def world(social_worker, officer_east, lead_east, person):
    """Who uses each form, on a referral where they may."""
    queued = urgent_referral(social_worker, person)
    sourcing = services.take_referral(sourcing_support_referral(social_worker, person), acting_user=officer_east)
    return {
        "contact": (officer_east, queued, "brokerage:contact_create"),
        "allocate": (lead_east, queued, "referrals:allocate"),
        "withdraw": (social_worker, queued, "referrals:withdraw"),
        "risk": (social_worker, held_referral(social_worker, person), "referrals:risk"),
        "options": (officer_east, sourcing, "referrals:options"),
    }


def state_of(referral) -> dict:
    """What a refused form must leave as it was: the referral, its timeline and contacts, and the audit trail
    (viewing the page again is recorded, as any view of it is)."""
    return {
        "referral": Referral.objects.filter(pk=referral.pk).values().get(),
        "transitions": ReferralTransition.objects.count(),
        "contacts": ContactLogEntry.objects.count(),
        "events": list(AuditEvent.objects.exclude(action=AuditEvent.Action.VIEWED).values_list("pk", flat=True)),
    }


def error_by_field(page: str, field: str) -> str:
    """The message the page shows next to `field`, or "" if none."""
    found = re.search(
        rf'<p id="id_{field}-error" class="govuk-error-message">'
        r'<span class="govuk-visually-hidden">Error:</span> (.*?)</p>',
        page,
    )
    return html.unescape(found.group(1)) if found else ""


def summary_links(page: str) -> dict[str, str]:
    """The error summary's links: message by the id of the field each goes to."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert summary, "no error summary"
    return {href: html.unescape(text) for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0))}


# (form, what is sent, field, message, text typed that must come back, the summary link's target)
CASES = [
    ("contact", contact(summary=""), "summary", "Enter what was said or agreed", "Brightcare Homecare", "id_summary"),
    (
        "contact",
        contact(summary=TOO_LONG),
        "summary",
        f"What was said or agreed must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        TOO_LONG,
        "id_summary",
    ),
    (
        "contact",
        contact(method="pigeon"),
        "method",
        "Select how the contact was made",
        "Asked about capacity for morning visits.",
        "id_method_0",
    ),
    (
        "contact",
        {k: v for k, v in contact().items() if k != "contact_with"},
        "contact_with",
        "Select who the contact was with",
        "Asked about capacity for morning visits.",
        "id_contact_with_0",
    ),
    (
        "contact",
        contact(occurred_at="2999-01-05T10:00"),
        "occurred_at",
        "When the contact happened must be now or in the past",
        "2999-01-05T10:00",
        "id_occurred_at",
    ),
    ("allocate", {"officer": ""}, "officer", "Select the officer to give the task to", "", "id_officer"),
    ("allocate", {"officer": "999999"}, "officer", "Select an officer from the list", "", "id_officer"),
    ("withdraw", {"reason": ""}, "reason", "Enter why the referral is being withdrawn", "", "id_reason"),
    (
        "withdraw",
        {"reason": TOO_LONG},
        "reason",
        f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        TOO_LONG,
        "id_reason",
    ),
    (
        "risk",
        {"strategies": "   "},
        "strategies",
        "Enter the risk management strategies that were agreed",
        "",
        "id_strategies",
    ),
    (
        "risk",
        {"strategies": TOO_LONG},
        "strategies",
        f"Risk management strategies must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        TOO_LONG,
        "id_strategies",
    ),
    ("options", {"options": ""}, "options", "Enter the options found", "", "id_options"),
    (
        "options",
        {"options": TOO_LONG},
        "options",
        f"Options found must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer",
        TOO_LONG,
        "id_options",
    ),
]


@pytest.mark.parametrize(
    "form,data,field,message,typed,target", CASES, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(CASES)]
)
def test_a_form_sent_with_errors_comes_back_on_the_referral_page(
    client, world, form, data, field, message, typed, target
):
    user, referral, url = world[form]
    client.force_login(user)
    before = state_of(referral)

    response = client.post(reverse(url, args=[referral.pk]), data)

    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"<title>Error: Referral BR-\d+", page)
    assert page.index('class="govuk-error-summary"') < page.index("<h1")
    assert error_by_field(page, field) == message
    assert summary_links(page)[target] == message
    assert f'id="{target}"' in page  # the link goes somewhere
    if typed:
        assert html.escape(typed) in page
    assert state_of(referral) == before


def test_the_other_forms_on_the_page_come_back_empty(client, world):
    """The officer working a sourcing support request has the options form and the contact log's form."""
    user, referral, _ = world["options"]
    client.force_login(user)

    page = client.post(reverse("referrals:options", args=[referral.pk]), {"options": ""}).content.decode()
    assert page.count('class="govuk-error-message"') == 1
    assert re.search(r'<textarea name="summary"[^>]*>\s*</textarea>', page)
    assert re.search(r'<input type="hidden" name="form_token" value="[0-9a-f-]{36}"', page)

    sent = contact(summary="", contact_name="Day Centre Manager")
    page = client.post(reverse("brokerage:contact_create", args=[referral.pk]), sent).content.decode()
    assert page.count('class="govuk-error-message"') == 1
    assert re.search(r'<textarea name="options"[^>]*>\s*</textarea>', page)
    assert 'value="Day Centre Manager"' in page


def opened(page: str, section: str) -> bool:
    return bool(re.search(rf'<details class="govuk-details" open>\s*<summary[^>]*><span[^>]*>{section}<', page))


@pytest.mark.parametrize(
    "form,data,section",
    [("contact", contact(summary=""), "Log a contact"), ("withdraw", {"reason": ""}, "Withdraw this referral")],
)
def test_a_form_in_a_closed_section_comes_back_open(client, world, form, data, section):
    """The withdraw form, and the contact log's once the log has entries, are behind "details": opened when
    their form comes back, so the error summary's link reaches the field."""
    officer, referral, _ = world["contact"]
    client.force_login(officer)
    client.post(reverse("brokerage:contact_create", args=[referral.pk]), contact())
    user, referral, url = world[form]
    client.force_login(user)
    assert not opened(client.get(reverse("referrals:detail", args=[referral.pk])).content.decode(), section)
    assert opened(client.post(reverse(url, args=[referral.pk]), data).content.decode(), section)


def token_in(page: str) -> str:
    return re.search(r'<input type="hidden" name="form_token" value="([^"]+)"', page).group(1)


def test_a_contact_sent_with_errors_comes_back_with_a_new_token_that_works_once(client, world):
    user, referral, url = world["contact"]
    client.force_login(user)
    sent = contact(summary="")
    page = client.post(reverse(url, args=[referral.pk]), sent).content.decode()
    token = token_in(page)
    assert token != sent["form_token"]
    assert not FormSubmission.objects.exists()

    corrected = contact(summary="Asked about capacity", form_token=token)
    first = client.post(reverse(url, args=[referral.pk]), corrected)
    again = client.post(reverse(url, args=[referral.pk]), corrected, follow=True)

    assert first.status_code == 302
    assert ALREADY_SENT in again.content.decode()
    assert ContactLogEntry.objects.get().summary == "Asked about capacity"


def test_a_contact_without_its_token_comes_back_with_one(client, world):
    user, referral, url = world["contact"]
    client.force_login(user)
    sent = {k: v for k, v in contact().items() if k != "form_token"}
    response = client.post(reverse(url, args=[referral.pk]), sent)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This form has expired" in page
    assert "Asked about capacity for morning visits." in page
    client.post(reverse(url, args=[referral.pk]), sent | {"form_token": token_in(page)})
    assert ContactLogEntry.objects.count() == 1


def test_a_form_no_longer_allowed_comes_back_with_its_errors_then_is_refused_with_the_reason(client, world):
    user, referral, url = world["withdraw"]
    services.withdraw_referral(referral, acting_user=user, reason="Moved away")
    client.force_login(user)

    response = client.post(reverse(url, args=[referral.pk]), {"reason": ""})
    assert response.status_code == 400
    assert error_by_field(response.content.decode(), "reason") == "Enter why the referral is being withdrawn"

    response = client.post(reverse(url, args=[referral.pk]), {"reason": "Moved away"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:detail", args=[referral.pk])
    assert "cannot do this" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=user).count() == 1


def test_the_page_itself_has_no_error_summary(client, world):
    user, referral, _ = world["contact"]
    client.force_login(user)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" not in page and "<title>Error:" not in page
