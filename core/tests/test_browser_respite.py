"""Respite in a real browser, each step by the person whose step it is, signed in: the panel member approves the
annual allowance; the officer takes the referral and loads the allowance; the social worker reads the letter (PDF)
and records it sent; the officer books a stay, which issues its purchase order, and a second stay that would overdraw
the allowance is refused with the balance left. axe-core, the reflow check at 320 px and the Content-Security-Policy
find nothing wrong on any page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from core.tests.pdfs import pdf_text
from referrals.models import Referral
from respite.models import RespiteAllowance, RespiteBooking
from respite.tests import factories as f

from .test_browser_placement import Walk


def test_respite_from_the_panel_to_a_booking_with_its_purchase_order(
    browser, live_server, transactional_db, settings, tmp_path, person, cap_member, officer_east, social_worker
):
    settings.MEDIA_ROOT = tmp_path
    referral = f.awaiting_panel(social_worker, person)
    provider = f.respite_provider(provider__name="Harbour House Short Breaks")
    today = timezone.localdate()
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The panel member approves an annual allowance, not a weekly amount.
    walk.sign_in(cap_member)
    walk.click("Funding decisions")
    walk.click(f"Decide on {referral.reference}")
    expect(page.get_by_label("Approved weekly amount (£)")).to_have_count(0)
    page.get_by_role("radio", name="Approved").check()
    page.get_by_label("Approved annual respite allowance (£)").fill("2000.00")
    walk.click("Record decision", role="button")
    expect(page.get_by_text(f"Funding decision recorded for {referral.reference}")).to_be_visible()

    # The officer takes the task and loads the allowance on its own page.
    walk.sign_in(officer_east)
    walk.goto(referral.get_absolute_url())
    walk.click("Take this task", role="button")
    allowance = RespiteAllowance.objects.get(referral=referral)
    walk.click(f"Allowance to load ({allowance.reference})")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Respite allowance for {person}")
    expect(page.get_by_role("img", name=re.compile("^How a respite allowance is loaded and used"))).to_be_visible()
    form = walk.open_form("Load the annual allowance")
    walk.fill_date(form, "The allowance year starts on", today)
    walk.submit(form, "Load the allowance")
    expect(page.get_by_text("The allowance is loaded").first).to_be_visible()

    # The social worker reads the letter and records it sent.
    walk.sign_in(social_worker)
    walk.goto(allowance.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Read the letter (PDF)").click()
    text = pdf_text(download.value.path())
    for expected in ["Your respite allowance", "£2,000.00", person.last_name, "How to arrange respite"]:
        assert expected in text, expected
    form = walk.open_form("Record the letter as sent")
    form.get_by_label("Who was the letter sent to?").fill("The person, by post")
    walk.submit(form, "Record the letter as sent")
    expect(page.get_by_text("Letter sent: respite can be booked").first).to_be_visible()

    # The officer books a week; a second stay that would overdraw the allowance is refused with the balance.
    walk.sign_in(officer_east)
    walk.goto(allowance.get_absolute_url())
    walk.click("Book respite")
    first_night = today + timedelta(days=14)
    page.get_by_label("Provider", exact=True).select_option(label=provider.name)
    walk.fill_date(page, "First night", first_night)
    walk.fill_date(page, "Leaves on", first_night + timedelta(days=7))
    page.get_by_label("Cost of the stay (£)").fill("1500.00")
    walk.click("Book the stay", role="button")
    booking = RespiteBooking.objects.get()
    expect(page.get_by_text(f"purchase order {booking.purchase_order.number}")).to_be_visible()
    expect(page.get_by_text("£500.00").first).to_be_visible()

    walk.click("Book respite")
    page.get_by_label("Provider", exact=True).select_option(label=provider.name)
    walk.fill_date(page, "First night", first_night + timedelta(days=30))
    walk.fill_date(page, "Leaves on", first_night + timedelta(days=33))
    page.get_by_label("Cost of the stay (£)").fill("600.00")
    walk.click("Book the stay", role="button")
    expect(page.get_by_text("£500.00 is left of £2,000.00").first).to_be_visible()

    assert RespiteBooking.objects.count() == 1
    assert RespiteAllowance.objects.get(pk=allowance.pk).balance == 500
    assert Referral.objects.get(pk=referral.pk).state == Referral.State.ACTIVE
    assert {url: v for url, v in walk.visited.items() if v} == {}
