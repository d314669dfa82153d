"""Reviews in a real browser: the social worker finds a 6-week review under "Reviews due" on their home page, opens
it, sends the form empty (the error summary) and then records it; the review team finds a 12-month review on
theirs. axe-core and the Content-Security-Policy find nothing wrong on any page, and each reflows at 320 px."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from dps.tests.factories import active
from reviews.services import schedule_review

from .browser import page_violations, watch_csp


def _sign_in(browser, live_server, user):
    page = browser.new_page()
    csp = watch_csp(page)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page, csp


def test_reviews_are_found_on_home_pages_and_recorded(
    browser,
    live_server,
    transactional_db,
    settings,
    tmp_path,
    social_worker,
    review_team,
    person,
    cap_member,
    officer_east,
):
    settings.MEDIA_ROOT = tmp_path
    package = active(person, cap_member, officer_east).package
    today = timezone.localdate()
    six = schedule_review(
        package=package,
        kind="six_week",
        due_on=today + timedelta(days=42),
        assigned_to=social_worker,
        acting_user=officer_east,
    )
    schedule_review(
        package=package,
        kind="twelve_month",
        due_on=today + timedelta(days=365),
        assigned_to=None,
        acting_user=officer_east,
    )

    page, csp = _sign_in(browser, live_server, social_worker)
    due = page.get_by_role("table", name="6-week reviews for you to carry out, soonest due first")
    expect(due.get_by_text(str(person))).to_be_visible()
    violations = page_violations(page)
    due.get_by_role("link", name=f"6-week review {six.reference}").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"6-week review: {person}")
    violations += page_violations(page)

    page.get_by_role("button", name="Record the review as done").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the review found")
    violations += page_violations(page)

    page.get_by_label("What did the review find?").fill("Settled in well; no change needed")
    page.get_by_role("button", name="Record the review as done").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The review is recorded as done.")).to_be_visible()
    expect(page.get_by_text("There is nothing for you to do on this review now.")).to_be_visible()
    violations += page_violations(page)

    page.goto(live_server.url + reverse("packages:detail", args=[package.pk]))
    expect(page.get_by_role("table", name="Reviews, by due date").get_by_text("12-month review")).to_be_visible()
    violations += page_violations(page)

    team_page, team_csp = _sign_in(browser, live_server, review_team)
    listed = team_page.get_by_role("table", name="12-month reviews for the review team, soonest due first")
    expect(listed.get_by_text(str(person))).to_be_visible()
    violations += page_violations(team_page)

    assert violations + csp + team_csp == []
