"""This issue's pages in a real browser, axe-core and the Content-Security-Policy checked on each: a losing
bidder's outcome, a refused search, the password pages, and a safeguarding concern as First Response reads it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from concerns.services import raise_concern
from core.tests.test_browser_journey import PASSWORD, Journey

from .conftest import PERSONAL, SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)


def _password(*users):
    for user in users:
        user.set_password(PASSWORD)
        user.save()


def test_trust_pages_in_a_browser(browser, live_server, active_case, social_worker, first_response):
    case = active_case
    _password(case.b, social_worker, first_response)
    raise_concern(acting_user=social_worker, person=case.person, kind="safeguarding", details="Bruising on both arms")
    j = Journey(browser, live_server.url)
    page = j.page

    # The losing bidder: from its portal to the outcome of its own bid, and nothing of the package.
    j.sign_in(case.b.username)
    j.click(case.requirement.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bid was not successful")
    assert SUMMARY not in page.content()

    # A search the server refuses says why, next to the field.
    j.sign_in(social_worker.username)
    j.goto(reverse("people:list") + "?q=%00")
    expect(page.locator("#id_q-error")).to_contain_text("Null characters are not allowed")
    expect(page.get_by_role("link", name="Null characters are not allowed")).to_have_attribute("href", "#id_q")

    # Changing a password: a wrong old password is explained, with the summary linking to the field.
    j.click("Change your password")
    page.get_by_label("Old password").fill("not-my-password")
    page.get_by_label("New password", exact=True).fill("a-brand-new-long-password-2026")
    page.get_by_label("New password confirmation").fill("a-brand-new-long-password-2026")
    j.click("Change password", role="button")
    expect(page.locator("#id_old_password-error")).to_contain_text("Your old password was entered incorrectly")

    # Signed out: the way back in when a password is forgotten.
    page.context.clear_cookies()
    j.goto(reverse("login"))
    j.click("Forgotten your password?")
    page.get_by_label("Email").fill("nobody@riverside.example.gov.uk")
    j.click("Send the link", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    # First Response reads where the person is and how to reach them, on the concern only.
    j.sign_in(first_response.username)
    j.click("Inbox")
    j.click("C-")
    expect(page.get_by_text(PERSONAL["address_line_1"], exact=False)).to_be_visible()
    expect(page.get_by_text(PERSONAL["phone"])).to_be_visible()

    failing = {url: v for url, v in j.visited.items() if v}
    assert len(j.visited) >= 9
    assert failing == {}
