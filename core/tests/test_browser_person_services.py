"""A person's services and agreements in a real browser: the past ones open from their GOV.UK details, and
axe-core and the Content-Security-Policy find nothing wrong on the page, closed or open, and it reflows at 320 px."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from brokerage.models import ServiceAgreement
from dps.tests.factories import active

from .browser import page_violations, watch_csp


def test_a_persons_services_are_accessible(
    browser, live_server, transactional_db, settings, tmp_path, social_worker, person, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    current = active(person, cap_member, officer_east)
    ended = active(person, cap_member, officer_east).agreement
    ServiceAgreement.objects.filter(pk=ended.pk).update(
        status=ServiceAgreement.Status.ENDED, end_date=timezone.localdate() - timedelta(days=1)
    )
    page = browser.new_page()
    csp = watch_csp(page)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill(social_worker.username)
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.goto(live_server.url + reverse("people:detail", args=[person.pk]))
    services = page.get_by_role("table", name="Current services")
    expect(services.get_by_role("link", name=f"{current.agreement.reference} (on its referral's page)")).to_be_visible()
    expect(services.get_by_role("link", name=f"{current.order.number} (PDF)")).to_be_visible()
    expect(page.get_by_role("table", name="Past services")).to_be_hidden()
    violations = page_violations(page)

    page.locator("summary", has_text="Past services").click()
    expect(page.get_by_role("table", name="Past services").get_by_text(ended.reference)).to_be_visible()
    violations += page_violations(page)

    assert violations + csp == []
