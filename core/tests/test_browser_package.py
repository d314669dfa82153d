"""A care package's page in a real browser: reached from the person's page, its versions and orders shown, and
"what was in force on this date?" asked with the GOV.UK date input. axe-core and the Content-Security-Policy find
nothing wrong, before and after the answer, and the page reflows at 320 px."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from dps.tests.factories import active
from packages.services import change_terms

from .browser import page_violations, watch_csp


def test_a_care_package_page_is_accessible(
    browser, live_server, transactional_db, settings, tmp_path, social_worker, person, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    case = active(person, cap_member, officer_east)
    start = case.agreement.start_date
    change_terms(
        case.package,
        acting_user=officer_east,
        valid_from=start + timedelta(days=14),
        hourly_rate=Decimal("24.00"),
        reason="Rate agreed at review",
    )
    page = browser.new_page()
    csp = watch_csp(page)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(social_worker.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.goto(live_server.url + reverse("people:detail", args=[person.pk]))
    packages = page.get_by_role("table", name="Care packages now")
    packages.get_by_role("link", name=f"{case.package.reference} (care package)").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Domiciliary care (home care) for {person}")
    expect(
        page.get_by_role("table", name="Versions, oldest first").get_by_text("Rate agreed at review")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Purchase orders, newest first").get_by_text("Superseded")).to_be_visible()
    violations = page_violations(page)

    asked = start + timedelta(days=20)
    for box, typed in (("Day", asked.day), ("Month", asked.month), ("Year", asked.year)):
        page.get_by_role("group", name="Date").get_by_label(box).fill(str(typed))
    page.get_by_role("button", name="Show what was in force").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name=f"On {asked.day} {asked:%B %Y}")).to_be_visible()
    expect(page.get_by_text("£24.00 an hour, £240.00 a week")).to_be_visible()
    violations += page_violations(page)

    page.get_by_role("group", name="Date").get_by_label("Month").fill("13")
    page.get_by_role("button", name="Show what was in force").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date must be a real date")
    violations += page_violations(page)

    assert violations + csp == []
