"""A residential placement in a real browser, each step by the person whose step it is, signed in: the officer
sends the bidding homes for viewing; the social worker, told on their home page, records a viewing; the officer
arranges the home's assessment, records its result and its cost, and negotiates; the fee, above the plan's amount,
goes to the head of service, who finds it on their home page and approves it; the social worker sets the admission
date; the officer commissions it and downloads the placement contract (PDF). axe-core, the reflow check at 320 px
and the Content-Security-Policy find nothing wrong on any page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from core.tests.pdfs import pdf_text
from placements.models import Placement
from placements.tests import factories as f
from placements.workflows import State
from referrals.models import Referral

from .browser import page_violations, watch_csp


class Walk:
    def __init__(self, browser, base_url):
        self.page = browser.new_page()
        self.base_url = base_url
        self.visited: dict[str, list] = {}
        self.csp = watch_csp(self.page)

    def check(self):
        self.visited[self.page.url] = self.visited.get(self.page.url, []) + page_violations(self.page) + self.csp
        self.csp.clear()

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state()
        self.check()

    def click(self, name, role="link"):
        self.page.get_by_role(role, name=name).first.click()
        self.page.wait_for_load_state()
        self.check()

    def sign_in(self, user):
        self.page.context.clear_cookies()
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
        self.click("Sign in", role="button")

    def open_form(self, title):
        """A step's form, folded away on the page until opened."""
        form = self.page.locator("details", has_text=title)
        form.locator("summary").click()
        self.check()
        return form

    def fill_date(self, scope, group, day):
        for box, typed in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
            scope.get_by_role("group", name=group).get_by_label(box).fill(str(typed))

    def submit(self, scope, button):
        scope.get_by_role("button", name=button).click()
        self.page.wait_for_load_state()
        self.check()


def test_a_residential_placement_from_viewings_to_its_contract(
    browser, live_server, transactional_db, settings, tmp_path, person, head_of_service, officer_east, social_worker
):
    settings.MEDIA_ROOT = tmp_path
    case = f.bids_in(person, head_of_service, officer_east)
    placement = case.placement
    cheaper = min(case.bids, key=lambda b: b.weekly_price).provider.name
    today = timezone.localdate()
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The officer sends the homes that bid to the social worker.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Residential care placement for {person}")
    walk.click("Send the bidding homes to the social worker", role="button")
    expect(page.get_by_role("table", name="Homes for viewing").get_by_text(cheaper)).to_be_visible()

    # The social worker finds the list on their home page and records the viewing.
    walk.sign_in(social_worker)
    walk.click(f"{placement.reference}: residential care for {person}")
    form = walk.open_form(f"Record the viewing of {cheaper}")
    form.get_by_label("Suitable: the person would like to move there").check()
    walk.fill_date(form, "Date of the viewing", today)
    form.get_by_label("Notes").fill("Liked the garden room")
    walk.submit(form, "Record the viewing")
    expect(page.get_by_text("Liked the garden room")).to_be_visible()

    # The officer arranges the assessment, records its result and the home's cost, and negotiates.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    form = walk.open_form("Arrange the provider assessment")
    form.get_by_label(cheaper).check()
    walk.fill_date(form, "Assessment date", today + timedelta(days=1))
    walk.submit(form, "Arrange the assessment")
    form = walk.open_form("Record the assessment's result")
    form.get_by_label("Yes: the home accepts the person").check()
    walk.submit(form, "Record the result")
    form = walk.open_form("Record the home's cost")
    form.get_by_label("The home's weekly cost (£)").fill("1000.00")
    walk.submit(form, "Record the cost")
    form = walk.open_form("Record an offer or counter-offer")
    form.get_by_label("Brokerage").check()
    form.get_by_label("Weekly amount (£)").fill("940.00")
    form.get_by_label("Notes").fill("Our first counter-offer")
    walk.submit(form, "Record the offer")
    offers = page.get_by_role("table", name="Offers and counter-offers, oldest first")
    expect(offers.get_by_text("£1,000.00")).to_be_visible()
    expect(offers.get_by_text("Our first counter-offer")).to_be_visible()
    form = walk.open_form("Ask a head of service to approve the fee")
    form.get_by_label("Negotiated weekly fee (£)").fill("980.00")
    walk.submit(form, "Ask for fee approval")
    expect(page.get_by_text("Waiting for the head of service's fee approval").first).to_be_visible()

    # The head of service finds the fee on their home page and approves it.
    walk.sign_in(head_of_service)
    expect(page.get_by_role("table", name="Placement fees waiting for your approval")).to_be_visible()
    walk.click(placement.reference)
    form = walk.open_form("Decide the placement fee")
    form.get_by_label("Approve the fee").check()
    walk.submit(form, "Record your decision")
    expect(page.get_by_text("Your decision on the fee is recorded.")).to_be_visible()
    expect(page.get_by_text("No placement fees are waiting for your decision.")).to_be_visible()

    # The social worker sets the admission date agreed with the home.
    admitted = today + timedelta(days=7)
    walk.sign_in(social_worker)
    walk.goto(placement.get_absolute_url())
    form = walk.open_form("Set the admission date")
    walk.fill_date(form, "Admission date", admitted)
    walk.submit(form, "Set the admission date")

    # The officer commissions it and downloads the contract.
    walk.sign_in(officer_east)
    walk.goto(placement.get_absolute_url())
    walk.click("Commission the placement and issue the purchase order", role="button")
    expect(page.get_by_text("Commissioned: purchase order issued").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Placement contract {placement.reference} (PDF)").click()
    text = pdf_text(download.value.path())
    for expected in [f"Placement contract {placement.reference}", cheaper, "£980.00 a week", str(person.last_name)]:
        assert expected in text, expected

    placement = Placement.objects.get(pk=placement.pk)
    assert placement.state == State.COMMISSIONED and placement.admission_date == admitted
    assert Referral.objects.get(pk=placement.referral_id).state == Referral.State.ACTIVE
    assert {url: v for url, v in walk.visited.items() if v} == {}
