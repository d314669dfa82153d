"""The foundation journey in a real browser: a social worker records a person and a plan and
sends it to the panel; a panel member funds it; it arrives in the East team's queue; an officer
takes it and logs a contact. axe-core checks every page on the way, and that it reflows at 320 px wide."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.services import create_staff_user
from brokerage.models import Area
from referrals.models import Referral

from .browser import page_violations, watch_csp

PASSWORD = "journey-password-123"


@pytest.fixture
def people(transactional_db):
    Area.objects.create(name="Eastbrook", team_id="east")
    Area.objects.create(name="Westgate", team_id="west")
    return {
        "sw": create_staff_user(
            username="sam", password=PASSWORD, roles=[Role.SOCIAL_WORKER], first_name="Sam", last_name="Okafor"
        ),
        "cap": create_staff_user(
            username="carol", password=PASSWORD, roles=[Role.CAP_MEMBER], first_name="Carol", last_name="Penn"
        ),
        "officer": create_staff_user(
            username="eddie",
            password=PASSWORD,
            roles=[Role.BROKERAGE_OFFICER],
            team="east",
            first_name="Eddie",
            last_name="Marsh",
        ),
        "west": create_staff_user(
            username="wendy",
            password=PASSWORD,
            roles=[Role.BROKERAGE_OFFICER],
            team="west",
            first_name="Wendy",
            last_name="Lowe",
        ),
    }


class Journey:
    def __init__(self, browser, base_url):
        self.page = browser.new_page()
        self.base_url = base_url
        self.visited: dict[str, list] = {}
        self.csp = watch_csp(self.page)

    def check(self):
        """axe-core and the reflow check at 320 px on the page as it is now, and any Content-Security-Policy
        violation since the last check; remembered per URL so a failure names the page."""
        self.visited[self.page.url] = self.visited.get(self.page.url, []) + page_violations(self.page) + self.csp
        self.csp.clear()

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def click(self, name, role="link"):
        self.page.get_by_role(role, name=name).first.click()
        self.page.wait_for_load_state()
        self.check()

    def sign_in(self, username):
        self.page.context.clear_cookies()
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click("Sign in", role="button")


def test_plan_to_panel_to_queue_to_officer(browser, live_server, people):
    j = Journey(browser, live_server.url)
    page = j.page

    # The social worker records a person and a plan, and sends it to the panel.
    j.sign_in("sam")
    j.click("Record a person")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Thompson")
    born = page.get_by_role("group", name="Date of birth")
    for box, typed in (("Day", "2"), ("Month", "3"), ("Year", "1941")):
        born.get_by_label(box).fill(typed)
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_label("Address line 1").fill("12 Canal Street")
    page.get_by_label("Town or city").fill("Riverside")
    page.get_by_label("Postcode").fill("e16an")
    page.get_by_label("Area").select_option(label="Eastbrook (East)")
    j.click("Save", role="button")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Thompson")

    j.click("Write a care and support plan")
    page.get_by_label("Service type").select_option("home_care")
    page.get_by_label(re.compile(r"^\s*Hours a week")).fill("10.5")  # not a supported living plan's 1:1 hours
    page.get_by_label("Visit schedule").fill("Monday, 08:00, 45, 1\nThursday, 08:00, 45, 1")
    page.get_by_label("Outcomes the person wants to achieve").fill("To stay safely at home.")
    page.get_by_label("Indicative weekly budget (£)").fill("262.50")
    j.click("Save plan", role="button")
    expect(page.get_by_text("Monday at 08:00, 45 minutes, 1 carer")).to_be_visible()

    j.click("Back to Ada Thompson")
    j.click("Refer to Brokerage")
    page.get_by_label("New care and support plan").check()
    j.click("Continue", role="button")
    # The new plan's form asks for the plan, not the service: the service is the plan's.
    expect(page.get_by_label("Service", exact=True)).to_have_count(0)
    page.get_by_role("combobox", name="Care and support plan").select_option(index=1)
    page.get_by_label("What Brokerage needs to know").fill("Needs morning visits; early-stage dementia.")
    j.click("Send referral", role="button")
    expect(page.get_by_text("Awaiting a funding decision").first).to_be_visible()
    reference = re.search(r"BR-\d{6}", page.content()).group(0)

    # The panel member funds it.
    j.sign_in("carol")
    j.click("Funding decisions")
    j.click(f"Decide on {reference}")
    page.get_by_role("radio", name="Approved").check()
    page.get_by_role("spinbutton", name="Approved weekly amount").fill("262.50")
    j.click("Record decision", role="button")
    expect(page.get_by_text(f"Funding decision recorded for {reference}")).to_be_visible()

    # It is in the East queue, not the West one.
    j.sign_in("wendy")
    j.click("Task queue")
    expect(page.get_by_text(reference)).to_have_count(0)

    j.sign_in("eddie")
    j.click("Task queue")
    j.click(reference)
    j.click("Take this task", role="button")
    expect(page.get_by_text("You have taken this task.")).to_be_visible()
    page.get_by_role("radio", name="Provider").check()
    page.get_by_role("radio", name="Phone call").check()
    page.get_by_label("Their name").fill("Brightcare Homecare")
    page.get_by_label("What was said or agreed").fill("Asked about capacity for morning visits.")
    j.click("Add to the log", role="button")
    expect(page.get_by_role("cell", name="Asked about capacity for morning visits.")).to_be_visible()
    j.click("My tasks" if page.get_by_role("link", name="My tasks").count() else "Home")

    referral = Referral.objects.get()
    assert referral.state == Referral.State.ALLOCATED
    assert referral.allocated_to == people["officer"]
    assert [t.target for t in referral.transitions.all()] == ["awaiting_funding", "queued", "allocated"]
    assert referral.contacts.count() == 1

    failing = {url: v for url, v in j.visited.items() if v}
    assert len(j.visited) >= 12
    assert failing == {}
