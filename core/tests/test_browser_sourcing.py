"""Sourcing and commissioning home care in a real browser: the officer shortlists and publishes,
two providers bid in their portal, the officer scores, chooses, agrees and issues the purchase
order, and the winning provider downloads a PDF with the right details. axe-core checks every page."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from catalogue.codes import ServiceCode
from core.tests.pdfs import pdf_text
from dps.models import DPSRequirement, PurchasingArrangement
from people import services as people_services
from providers.models import Provider, ProviderService
from purchase_orders.models import PurchaseOrder
from referrals import services as referral_services
from referrals.models import Referral

from .test_browser_journey import PASSWORD, Journey


@pytest.fixture
def case(transactional_db):
    area = Area.objects.create(name="Eastbrook", team_id="east")
    sw = create_staff_user(
        username="sam",
        password=PASSWORD,
        roles=[Role.SOCIAL_WORKER],
        first_name="Sam",
        last_name="Okafor",
        email="sam@example.gov.uk",
    )
    cap = create_staff_user(username="carol", password=PASSWORD, roles=[Role.CAP_MEMBER])
    create_staff_user(
        username="eddie",
        password=PASSWORD,
        roles=[Role.BROKERAGE_OFFICER],
        team="east",
        first_name="Eddie",
        last_name="Marsh",
    )
    arrangement = PurchasingArrangement.objects.create(
        name="Home care DPS 2023 to 2027", kind="dps", service_type_id="home_care", starts_on=date(2023, 4, 1)
    )
    for name, username, specialisms in [
        ("Brightcare Homecare Ltd", "pat", ["dementia"]),
        ("Careway Support", "quinn", []),
    ]:
        provider = Provider.objects.create(name=name, cqc_rating="good", cqc_registration_number="1-123456789")
        ProviderService.objects.create(
            provider=provider,
            service_type_id="home_care",
            arrangement=arrangement,
            districts=["E1"],
            specialisms=specialisms,
            weekly_hours_capacity=40,
        )
        create_staff_user(
            username=username,
            password=PASSWORD,
            roles=[Role.PROVIDER_USER],
            provider=provider,
            email=f"{username}@provider.example.com",
        )
    person = people_services.create_person(
        acting_user=sw,
        first_name="Ada",
        last_name="Thompson",
        date_of_birth=date(1941, 3, 2),
        address_line_1="12 Canal Street",
        town="Riverside",
        postcode="E1 6AN",
        area=area,
    )
    plan = people_services.create_plan(
        person,
        acting_user=sw,
        service_type=ServiceCode.HOME_CARE,
        weekly_hours=Decimal("7"),
        visit_schedule=[{"day": "Monday", "time": "08:00", "minutes": 60, "carers": 1}],
        outcomes="Support with washing and dressing each morning\nPrompt medication",
        required_specialisms=["dementia"],
        indicative_weekly_budget=Decimal("200"),
    )
    referral = referral_services.create_referral(
        acting_user=sw,
        person=person,
        kind=Referral.Kind.SUPPORT_PLAN,
        service_type="home_care",
        details="New package",
        plan=plan,
    )
    referral_services.record_funding_decision(
        referral, acting_user=cap, decision="approved", approved_weekly_amount=Decimal("200")
    )
    return Referral.objects.get(pk=referral.pk)


def bid(j: Journey, username: str, price: str):
    j.sign_in(username)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Provider portal")
    j.click("DPS-")
    j.page.get_by_role("radio", name="Per hour").check()
    j.page.get_by_label("Your price in pounds").fill(price)
    j.page.get_by_label("1. Support with washing and dressing each morning").fill(
        "Dementia-trained carers, same carer daily."
    )
    j.page.get_by_label("2. Prompt medication").fill("Prompted and recorded on our app.")
    j.click("Submit your bid", role="button")
    expect(j.page.get_by_role("heading", name="Your bid", exact=True)).to_be_visible()


def test_shortlist_publish_bid_score_award_and_download_the_po(browser, live_server, case):
    j = Journey(browser, live_server.url)
    page = j.page
    reference = case.reference

    j.sign_in("eddie")
    j.click("How referrals work")  # the referral's machine and each sourcing machine, axe-checked with the rest
    expect(page.get_by_role("heading", name="How a provider is found and commissioned")).to_be_visible()
    j.click("Task queue")
    j.click(reference)
    j.click("Take this task", role="button")
    j.click("Shortlist of providers for this package")
    expect(page.get_by_role("cell", name="Brightcare Homecare Ltd").first).to_be_visible()
    j.goto(f"/referrals/{case.pk}/")
    j.click("Publish a requirement")
    page.get_by_label("About the package").fill("Older person living alone; three morning visits a week.")
    closes = timezone.localtime() + timedelta(hours=2)
    for box, typed in (("Day", closes.day), ("Month", closes.month), ("Year", closes.year)):
        page.get_by_role("group", name="Date bidding closes").get_by_label(box).fill(str(typed))
    page.get_by_label("Time bidding closes").fill(f"{closes:%H:%M}")
    j.click("Publish", role="button")
    expect(page.get_by_text("is open for bids")).to_be_visible()

    # Two providers ask for longer: the officer moves the closing time, first forgetting to say why.
    j.click("Change the closing time")
    later = closes + timedelta(hours=1)
    for box, typed in (("Day", later.day), ("Month", later.month), ("Year", later.year)):
        page.get_by_role("group", name="Date bidding closes").get_by_label(box).fill(str(typed))
    page.get_by_label("Time bidding closes").fill(f"{later:%H:%M}")
    j.click("Change the closing time", role="button")
    expect(page).to_have_title(re.compile(r"^Error: Change the closing time"))
    expect(page.get_by_label("Time bidding closes")).to_have_value(f"{later:%H:%M}")  # kept
    page.locator(".govuk-error-summary").get_by_role("link", name="Enter why the closing time is changing").click()
    expect(page.get_by_label("Why is the closing time changing?")).to_be_focused()
    page.get_by_label("Why is the closing time changing?").fill("Providers asked for another hour.")
    j.click("Change the closing time", role="button")
    expect(page.get_by_text(f"Bidding now closes at {later:%H:%M}")).to_be_visible()

    bid(j, "pat", "24.50")
    bid(j, "quinn", "26.00")

    # The closing time passes.
    DPSRequirement.objects.update(closes_at=timezone.now() - timedelta(minutes=1))

    j.sign_in("eddie")
    j.goto(f"/referrals/{case.pk}/")
    j.click("Close bidding and review bids", role="button")
    for select in page.locator("select[name^=score_]").all():
        select.select_option("4")
    j.click("Save scores", role="button")
    page.get_by_role("radio", name="Brightcare Homecare Ltd (£171.50 a week)").check()
    page.get_by_label("Reason for choosing this provider").fill("Highest total score and dementia skills.")
    j.click("Confirm the provider", role="button")
    j.click("Make the service agreement")
    starts = timezone.localdate() + timedelta(days=7)
    for box, typed in (("Day", starts.day), ("Month", starts.month), ("Year", starts.year)):
        page.get_by_role("group", name="Start date").get_by_label(box).fill(str(typed))
    j.click("Make the agreement and share the details", role="button")
    j.click("Update the record and issue the purchase order", role="button")
    expect(page.get_by_text("Active: purchase order issued").first).to_be_visible()

    order = PurchaseOrder.objects.get()
    j.sign_in("pat")
    j.click(order.agreement.reference)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Thompson")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download purchase order {order.display_number} (PDF)").click()
    text = pdf_text(download.value.path())
    start = timezone.localdate() + timedelta(days=7)
    for expected in [
        order.number,
        "Brightcare Homecare Ltd",
        "Ada Thompson",
        "Domiciliary care (home care)",
        "£24.50 an hour",
        "£171.50",
        f"From {start.day} {start:%B %Y}",
    ]:
        assert expected in text

    referral = Referral.objects.get(pk=case.pk)
    assert referral.state == Referral.State.ACTIVE
    assert [t.target for t in referral.transitions.all()][-2:] == ["allocated", "active"]
    assert [t.target for t in referral.commission.transitions.all()] == [
        "requirement_published",
        "bidding_closed",
        "provider_selected",
        "details_shared",
        "commissioned",
    ]
    failing = {url: v for url, v in j.visited.items() if v}
    assert failing == {}
