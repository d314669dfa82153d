"""Supported living in a real browser, each step by the person whose step it is, signed in: the officer closes
bidding and shares the person's details with the chosen bidder; that provider reads them in its portal and sends
its proposal with a cost breakdown; the officer and the social worker each review it; the officer negotiates and
agrees the terms; the social worker records the viewing and presents the case to the panel; a panel member finds it
on their home page and approves the funding; the officer commissions it (the package and its purchase order) and
downloads the supported living agreement (PDF). axe-core, the reflow check at 320 px and the Content-Security-Policy
find nothing wrong on any page."""

import io
from datetime import timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from packages.models import CarePackage
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from supported_living.models import SupportedLivingPlacement
from supported_living.tests import factories as f
from supported_living.workflows import State

from .test_browser_placement import Walk


def test_supported_living_from_its_bids_to_an_active_package(
    browser,
    live_server,
    transactional_db,
    settings,
    tmp_path,
    person,
    head_of_service,
    officer_east,
    social_worker,
    cap_member,
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        case = f.published(person, head_of_service, officer_east, cap_member)
    placement = case.placement
    provider = case.bids[0].provider.name
    today = timezone.localdate()
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The officer closes bidding and shares the person's details with the cheaper bidder only.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supported living for {person}")
    walk.click("Close bidding", role="button")
    form = walk.open_form("Share the person's details with providers")
    form.get_by_label(f"{provider}: £1,150.00 a week").check()
    walk.submit(form, "Share the details")
    expect(page.get_by_role("table", name="Providers and their proposals").get_by_text(provider)).to_be_visible()

    # The provider reads the person's details in its portal and sends its proposal.
    walk.sign_in(case.bidders[0])
    walk.click(f"Supported living {placement.reference}")
    expect(page.get_by_role("heading", level=1)).to_have_text(person.full_name)
    page.get_by_label("1:1 hours a week").fill("20")
    page.get_by_label("Core (shared) support, £ a week").fill("600.00")
    page.get_by_label("1:1 support, £ a week").fill("450.00")
    page.get_by_label("Sleep-in or waking nights, £ a week").fill("200.00")
    walk.click("Send the proposal", role="button")
    expect(page.get_by_text("Your proposal has been sent to Brokerage.")).to_be_visible()

    # The officer moves to the joint review and records theirs.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    expect(page.get_by_text("£1,250.00")).to_be_visible()
    walk.click("Review the proposals", role="button")
    form = walk.open_form("Record your review of the proposals")
    form.get_by_label(provider).check()
    form.get_by_label("Your review of the proposals").fill("Good value for 20 hours")
    walk.submit(form, "Record your review")

    # The social worker finds it on their home page and records theirs.
    walk.sign_in(social_worker)
    walk.click(f"{placement.reference}: supported living for {person}")
    form = walk.open_form("Record your review of the proposals")
    form.get_by_label("Your review of the proposals").fill("The flat suits the person")
    walk.submit(form, "Record your review")

    # The officer negotiates and agrees the terms.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    walk.click("Start negotiating", role="button")
    form = walk.open_form("Agree the 1:1 hours and cost")
    form.get_by_label(provider).check()
    form.get_by_label("Agreed 1:1 hours a week").fill("20")
    form.get_by_label("Agreed weekly cost (£)").fill("1150.00")
    walk.submit(form, "Agree the terms")

    # The social worker takes the person to view the provision, and presents the case to the panel.
    walk.sign_in(social_worker)
    walk.click(f"{placement.reference}: supported living for {person}")
    form = walk.open_form("Record the person's viewing")
    form.get_by_label("Yes: present the case to the panel").check()
    walk.fill_date(form, "Date of the viewing", today)
    walk.submit(form, "Record the viewing")
    expect(page.get_by_text("Waiting for the panel's funding decision").first).to_be_visible()

    # A panel member finds it on their home page and approves funding that covers the cost.
    walk.sign_in(cap_member)
    expect(page.get_by_role("table", name="Supported living waiting for the panel's funding decision")).to_be_visible()
    walk.click(placement.reference)
    form = walk.open_form("Record the panel's funding decision")
    form.get_by_label("Approve funding").check()
    form.get_by_label("Approved weekly amount (£)").fill("1200.00")
    walk.submit(form, "Record the decision")
    expect(page.get_by_text("The panel's decision is recorded.")).to_be_visible()

    # The officer commissions it and downloads the agreement.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    form = walk.open_form("Commission and issue the purchase order")
    walk.fill_date(form, "Start date", today + timedelta(days=7))
    form.get_by_label("Address of the provision").fill("Flat 2, 10 Mill Lane")
    walk.submit(form, "Commission")
    expect(page.get_by_text("Commissioned: purchase order issued").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Supported living agreement {placement.reference} (PDF)").click()
    with open(download.value.path(), "rb") as pdf:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read())).pages)
    for expected in [f"Supported living agreement {placement.reference}", provider, "£1150.00 a week", "Mill Lane"]:
        assert expected in text, expected

    placement = SupportedLivingPlacement.objects.get(pk=placement.pk)
    assert placement.state == State.COMMISSIONED
    assert Referral.objects.get(pk=placement.referral_id).state == Referral.State.ACTIVE
    assert PurchaseOrder.objects.filter(agreement=placement.agreement_id).exists()
    assert CarePackage.objects.get(pk=placement.package_id).state == "active"
    assert {url: v for url, v in walk.visited.items() if v} == {}
