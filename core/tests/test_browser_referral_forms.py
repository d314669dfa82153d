"""Each form on the referral page, sent with a mistake in a real browser, comes back with what was typed, the
message by its field and the GOV.UK error summary focused at the top; its link takes the person to the field, and
the corrected form goes through. axe-core checks every page, the error pages included."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area, ContactLogEntry
from core.forms import FREE_TEXT_MAX_LENGTH
from people.tests.factories import make_person
from referrals import services
from referrals.models import Referral
from referrals.tests.factories import held_referral, sourcing_support_referral, urgent_referral

from .test_browser_journey import PASSWORD, Journey

TOO_LONG = "Spoke to the day centre about places on Tuesdays and Thursdays. " * (FREE_TEXT_MAX_LENGTH // 60)


@pytest.fixture
def cases(transactional_db):
    """Sam holds Ada's case and referred her three times: an urgent response in the East queue, a reduction
    held until risk strategies are agreed, and a sourcing support request Eddie has taken."""
    area = Area.objects.create(name="Eastbrook", team_id="east")
    sam = create_staff_user(
        username="sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER], first_name="Sam", last_name="Okafor"
    )
    eddie = create_staff_user(
        username="eddie",
        password=PASSWORD,
        roles=[Role.BROKERAGE_OFFICER],
        team="east",
        first_name="Eddie",
        last_name="Marsh",
    )
    create_staff_user(
        username="lena", password=PASSWORD, roles=[Role.TEAM_LEAD], team="east", first_name="Lena", last_name="Ng"
    )
    ada = make_person(sam, area, first_name="Ada", last_name="Thompson")
    return {
        "queued": urgent_referral(sam, ada),
        "held": held_referral(sam, ada),
        "sourcing": services.take_referral(sourcing_support_referral(sam, ada), acting_user=eddie),
    }


def send(j: Journey, button: str):
    j.page.get_by_role("button", name=button, exact=True).click()
    j.page.wait_for_load_state()
    j.check()


def expect_error(j: Journey, message: str):
    """The page came back with the error: in the title, in the focused summary at the top, and by the field."""
    page = j.page
    expect(page).to_have_title(re.compile(r"^Error: Referral BR-"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator(".govuk-error-message").filter(has_text=message)).to_be_visible()


def follow_summary_link(j: Journey, message: str, field_id: str):
    j.page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    expect(j.page.locator(f"#{field_id}")).to_be_focused()


def test_each_referral_page_form_keeps_what_was_typed(browser, live_server, cases):
    j = Journey(browser, live_server.url)
    page = j.page
    queued, held, sourcing = cases["queued"], cases["held"], cases["sourcing"]

    # The officer logs a contact but forgets who it was with and how.
    j.sign_in("eddie")
    j.goto(queued.get_absolute_url())
    page.get_by_label("Their name").fill("Brightcare Homecare")
    page.get_by_label("What was said or agreed").fill("Asked about capacity for morning visits.")
    send(j, "Add to the log")
    expect_error(j, "Select who the contact was with")
    expect(page.get_by_label("Their name")).to_have_value("Brightcare Homecare")
    expect(page.get_by_label("What was said or agreed")).to_have_value("Asked about capacity for morning visits.")
    follow_summary_link(j, "Select who the contact was with", "id_contact_with_0")
    page.get_by_role("radio", name="Provider").check()
    page.get_by_role("radio", name="Phone call").check()
    send(j, "Add to the log")
    expect(page.get_by_role("cell", name="Asked about capacity for morning visits.")).to_be_visible()
    assert ContactLogEntry.objects.count() == 1

    # The officer returns options, pasting far too much.
    j.goto(sourcing.get_absolute_url())
    page.get_by_label("Options found").fill(TOO_LONG)
    send(j, "Return options to the social worker")
    expect_error(j, f"Options found must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer")
    expect(page.get_by_label("Options found")).to_have_value(TOO_LONG)
    expect(page.get_by_label("What was said or agreed")).to_have_value("")

    # The team lead allocates without choosing an officer.
    j.sign_in("lena")
    j.goto(queued.get_absolute_url())
    send(j, "Allocate")
    expect_error(j, "Select the officer to give the task to")
    follow_summary_link(j, "Select the officer to give the task to", "id_officer")
    page.get_by_label("Officer", exact=True).select_option(label="Eddie Marsh")
    send(j, "Allocate")
    expect(page.get_by_text("The task has been allocated.")).to_be_visible()

    # The social worker records risk strategies, and withdraws a referral, each at far too great a length.
    j.sign_in("sam")
    j.goto(held.get_absolute_url())
    page.get_by_label("Risk management strategies agreed").fill(TOO_LONG)
    send(j, "Record and send to Brokerage")
    expect_error(j, f"Risk management strategies must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer")
    expect(page.get_by_label("Risk management strategies agreed")).to_have_value(TOO_LONG)

    j.goto(queued.get_absolute_url())
    page.get_by_text("Withdraw this referral").click()
    page.get_by_label("Why is the referral being withdrawn?").fill(TOO_LONG)
    send(j, "Withdraw")
    expect_error(j, f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer")
    expect(page.get_by_label("Why is the referral being withdrawn?")).to_have_value(TOO_LONG)
    follow_summary_link(j, f"The reason must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer", "id_reason")

    assert Referral.objects.get(pk=held.pk).state == Referral.State.HELD_FOR_RISK
    assert Referral.objects.get(pk=sourcing.pk).state == Referral.State.ALLOCATED
    assert Referral.objects.get(pk=queued.pk).state == Referral.State.ALLOCATED
    error_pages = {url.rstrip("/").rsplit("/", 1)[-1] for url in j.visited if not url.rstrip("/")[-1].isdigit()}
    assert {"contacts", "options", "allocate", "risk-strategies", "withdraw"} <= error_pages
    failing = {url: v for url, v in j.visited.items() if v}
    assert failing == {}
