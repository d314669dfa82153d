"""A direct payment in a real browser, signed in as the demo logins: the officer takes the funded referral from the
queue, drafts the agreement (to the person's daughter, four-weekly, within the approved funding: a first try over it
is refused), records the signature and schedules the payments; the referral is active and the social worker sees
the schedule. axe-core, the reflow check at 320 px and the Content-Security-Policy find nothing wrong on any page."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from catalogue.codes import ServiceCode
from direct_payments.models import DirectPayment
from referrals.models import Referral

from .simple_services_world import demo_logins, fill_date, open_form, queued, submit, take
from .test_browser_journey import Journey


def test_a_direct_payment_from_the_queue_to_its_payment_schedule(browser, live_server, transactional_db):
    users = demo_logins()
    referral = queued(
        users,
        ServiceCode.DIRECT_PAYMENT,
        weekly=Decimal("60.00"),
        first_name="Nora",
        last_name="Ashdown",
        representative_name="Alex Ashdown",
        representative_relationship="Daughter",
    )
    j = Journey(browser, live_server.url)
    page = j.page

    take(j, referral)
    j.click("Agreement to draft")  # the referral page links to the direct payment's own page
    expect(page.get_by_role("heading", level=1)).to_have_text("Direct payment for Nora Ashdown")

    form = open_form(j, "Draft and send the agreement")
    form.get_by_label("Their representative, Alex Ashdown").check()
    form.get_by_label("What does the budget pay for?").fill("A personal assistant and swimming")
    form.get_by_label("Amount of each payment (£)").fill("250.00")
    form.get_by_label("Every four weeks").check()
    fill_date(form, "First payment date", timezone.localdate() + timedelta(days=14))
    submit(j, form, "Send the agreement")
    expect(page.get_by_text("more than the approved funding allows").first).to_be_visible()
    form = page.locator("details", has_text="Draft and send the agreement")
    form.get_by_label("Amount of each payment (£)").fill("240.00")
    submit(j, form, "Send the agreement")
    expect(page.get_by_text("Agreement sent: waiting for the signature").first).to_be_visible()

    form = open_form(j, "Record the signed agreement")
    fill_date(form, "Date it was signed", timezone.localdate())
    submit(j, form, "Record the signature")
    j.click("Schedule the payments", role="button")
    expect(page.get_by_text("Active: payments scheduled").first).to_be_visible()
    expect(page.get_by_role("table", name="Payment schedule").get_by_text("£240.00").first).to_be_visible()

    # The social worker sees the schedule on the person's direct payment.
    dp = DirectPayment.objects.get(referral=referral)
    j.sign_in("social.worker")
    j.goto(dp.get_absolute_url())
    expect(page.get_by_role("table", name="Payment schedule")).to_be_visible()

    assert dp.state == DirectPayment.State.ACTIVE and dp.payments.count() == 13
    assert dp.recipient_name == "Alex Ashdown (Daughter)"
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.ACTIVE
    assert {url: v for url, v in j.visited.items() if v} == {}
