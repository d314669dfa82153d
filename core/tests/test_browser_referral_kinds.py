"""Referring someone in a real browser, without JavaScript doing the work: "What kind of referral is this?", then
the form for that kind, asking only what it needs. A longer-term assessment asks for no plan; the Change link goes
back to the question with the answer kept; mistakes come back by their fields. axe-core checks every page, the error
pages included."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from people.tests.factories import make_person
from referrals.models import Referral

from .test_browser_journey import PASSWORD, Journey


@pytest.fixture
def ada(transactional_db):
    area = Area.objects.create(name="Eastbrook", team_id="east")
    sam = create_staff_user(
        username="sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER], first_name="Sam", last_name="Okafor"
    )
    return make_person(sam, area, first_name="Ada", last_name="Thompson")


def expect_error(j: Journey, message: str):
    page = j.page
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator(".govuk-error-message").filter(has_text=message)).to_be_visible()


def test_a_longer_term_assessment_asks_for_no_plan(browser, live_server, ada):
    j = Journey(browser, live_server.url)
    page = j.page
    j.sign_in("sam")
    j.goto(ada.get_absolute_url())
    j.click("Refer to Brokerage")

    # No answer: the question comes back with its error, and the summary's link goes to the first radio.
    expect(page.get_by_role("heading", level=1)).to_have_text("What kind of referral is this?")
    j.click("Continue", role="button")
    expect_error(j, "Select what kind of referral this is")
    page.locator(".govuk-error-summary").get_by_role("link", name="Select what kind of referral this is").click()
    expect(page.get_by_role("radio", name="New care and support plan")).to_be_focused()

    # A suspension first: its own dates and risk question, no plan.
    page.get_by_role("radio", name="Suspend a service").check()
    j.click("Continue", role="button")
    expect(page.get_by_role("group", name="Date the service is suspended from")).to_be_visible()
    expect(
        page.get_by_role("checkbox", name="This suspension could put the person or their carer at risk")
    ).to_be_visible()
    expect(page.get_by_role("combobox", name="Care and support plan")).to_have_count(0)

    # Change the answer: the question shows it, and another can be chosen.
    j.click("Change kind of referral")
    expect(page.get_by_role("radio", name="Suspend a service")).to_be_checked()
    page.get_by_role("radio", name="Longer-term assessment").check()
    j.click("Continue", role="button")
    expect(page.get_by_text("Longer-term assessment", exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Care and support plan")).to_have_count(0)
    expect(page.get_by_role("group", name="Date the service is suspended from")).to_have_count(0)

    # Sent without the service: refused by the field, with what was typed kept.
    page.get_by_label("What Brokerage needs to know").fill("Help at home while we assess her needs.")
    j.click("Send referral", role="button")
    expect_error(j, "Select the service")
    expect(page.get_by_label("What Brokerage needs to know")).to_have_value("Help at home while we assess her needs.")
    page.get_by_label("Service", exact=True).select_option("home_care")
    j.click("Send referral", role="button")
    expect(page.get_by_text("In the team queue").first).to_be_visible()

    referral = Referral.objects.get()
    assert (referral.kind, referral.plan, referral.state) == ("longer_term_assessment", None, "queued")
    pages = {url.split("/referrals/new/for/", 1)[-1] for url in j.visited if "/referrals/new/for/" in url}
    assert {f"{ada.pk}/", f"{ada.pk}/suspension/", f"{ada.pk}/longer-term-assessment/"} <= {
        p.split("?")[0] for p in pages
    }
    failing = {url: v for url, v in j.visited.items() if v}
    assert failing == {}
