"""Supported living in a real browser from the very first step, each step by the person whose step it is, signed in:
the social worker records a supported living care and support plan on the person's page (the kind of provision and
the 1:1 hours a week) and refers the person to Brokerage; a head of service finds the referral on their home page
and approves it out of panel; the East officer takes it from the queue and publishes the requirement on the DPS from
the supported living page; two providers bid in their portal; the closing time passes; the officer closes bidding
and shares the person's details with the cheaper bidder; that provider reads them in its portal and sends its
proposal with a cost breakdown; the officer and the social worker each review it; the officer negotiates and agrees
the terms; the social worker records the viewing and presents the case to the panel; a panel member finds it on
their home page and approves the funding; the officer commissions it (the package and its purchase order) and
downloads the supported living agreement (PDF). axe-core, the reflow check at 320 px and the Content-Security-Policy
find nothing wrong on any page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from catalogue.codes import ServiceCode
from core.tests.pdfs import pdf_text
from dps.models import DPSRequirement
from dps.tests.factories import PurchasingArrangementFactory, enrol, provider_staff
from packages.models import CarePackage
from providers.tests.factories import ProviderFactory
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from supported_living.models import SupportedLivingPlacement
from supported_living.tests.factories import AREAS, SUMMARY
from supported_living.workflows import State

from .test_browser_placement import Walk

OUTCOMES = "To live in my own flat with a team I know\nTo get to college three days a week"


def bid(walk, user, reference, price):
    """The provider finds the requirement in its portal and bids a weekly price, answering each outcome."""
    page = walk.page
    walk.sign_in(user)
    walk.click(reference)
    page.get_by_role("radio", name="Per week").check()
    page.get_by_label("Your price in pounds").fill(price)
    page.get_by_label("1. To live in my own flat with a team I know").fill("A small, steady team of six.")
    page.get_by_label("2. To get to college three days a week").fill("Travel training, then support on the bus.")
    walk.click("Submit your bid", role="button")
    expect(page.get_by_role("heading", name="Your bid", exact=True)).to_be_visible()


def test_supported_living_from_the_plan_to_an_active_package(
    browser,
    live_server,
    transactional_db,
    settings,
    tmp_path,
    time_machine,
    person,
    head_of_service,
    officer_east,
    social_worker,
    cap_member,
):
    settings.MEDIA_ROOT = tmp_path
    # The DPS for supported living, and two providers on it covering the person's postcode district.
    arrangement = PurchasingArrangementFactory(name="Supported living DPS", service_type=ServiceCode.SUPPORTED_LIVING)
    bidders = []
    for name in ("Haven Supported Living", "Oakfield Support"):
        user = provider_staff(ProviderFactory(name=name))
        enrol(user.provider, arrangement)
        bidders.append(user)
    provider = bidders[0].provider.name
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The social worker records a supported living plan on the person's page.
    walk.sign_in(social_worker)
    walk.goto(person.get_absolute_url())
    walk.click("Write a care and support plan")
    page.get_by_label("Service type").select_option(ServiceCode.SUPPORTED_LIVING)
    page.get_by_label("Kind of supported living provision").select_option(
        label="A self-contained flat with support on site"
    )
    page.get_by_label("1:1 hours a week").fill("20")
    page.get_by_label("Places to avoid").fill("Tottenham Hale: past exploitation by a group there.")
    page.get_by_label("Outcomes the person wants to achieve").fill(OUTCOMES)
    page.get_by_label("Indicative weekly budget (£)").fill("1100.00")
    walk.click("Save plan", role="button")
    expect(page.get_by_text("A self-contained flat with support on site")).to_be_visible()

    # They refer the person to Brokerage: a supported living plan waits for a head of service, out of panel.
    walk.click(f"Back to {person}")
    walk.click("Refer to Brokerage")
    page.get_by_label("New care and support plan").check()
    walk.click("Continue", role="button")
    page.get_by_role("combobox", name="Care and support plan").select_option(index=1)
    page.get_by_label("What Brokerage needs to know").fill("Moving out of the family home for the first time.")
    walk.click("Send referral", role="button")
    expect(page.get_by_text("Awaiting a funding decision").first).to_be_visible()
    expect(page.get_by_text("A head of service decides its funding, out of panel.")).to_be_visible()
    reference = re.search(r"BR-\d{6}", page.content()).group(0)

    # The head of service finds it on their home page and approves it out of panel.
    walk.sign_in(head_of_service)
    walk.click(f"Decide on {reference}")
    page.get_by_role("radio", name="Approved").check()
    page.get_by_role("spinbutton", name="Approved weekly amount").fill("1100.00")
    walk.click("Record decision", role="button")
    expect(page.get_by_text(f"Funding decision recorded for {reference}")).to_be_visible()

    # The East officer takes it from the queue and publishes the requirement from the supported living page.
    walk.sign_in(officer_east)
    walk.click("Task queue")
    walk.click(reference)
    walk.click("Take this task", role="button")
    placement = SupportedLivingPlacement.objects.get()
    walk.click(placement.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Supported living for {person}")
    walk.click("Publish the requirement")
    page.get_by_label("About the person's support").fill(SUMMARY)
    page.get_by_label("Areas to avoid").fill(AREAS)
    page.get_by_label("Weight of quality (%)").fill("50")
    walk.click("Publish", role="button")
    expect(page.get_by_text("The requirement is on the DPS, open for bids.")).to_be_visible()

    # Two providers bid in their portal.
    requirement = DPSRequirement.objects.get(pk=SupportedLivingPlacement.objects.get(pk=placement.pk).requirement_id)
    bid(walk, bidders[0], requirement.reference, "1150.00")
    bid(walk, bidders[1], requirement.reference, "1300.00")

    # The closing time passes.
    time_machine.move_to(requirement.closes_at + timedelta(minutes=1))
    today = timezone.localdate()

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
    walk.sign_in(bidders[0])
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
    text = pdf_text(download.value.path())
    for expected in [f"Supported living agreement {placement.reference}", provider, "£1150.00 a week", "Mill Lane"]:
        assert expected in text, expected

    placement = SupportedLivingPlacement.objects.get(pk=placement.pk)
    assert placement.state == State.COMMISSIONED
    assert Referral.objects.get(pk=placement.referral_id).state == Referral.State.ACTIVE
    assert PurchaseOrder.objects.filter(agreement=placement.agreement_id).exists()
    assert CarePackage.objects.get(pk=placement.package_id).state == "active"
    assert {url: v for url, v in walk.visited.items() if v} == {}
