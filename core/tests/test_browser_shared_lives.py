"""A shared lives arrangement in a real browser, from the social worker's referral to the scheme to an active package,
each step by the person whose step it is, signed in with the demo's logins: the social worker refers the person from
their page; the scheme finds the referral from its portal, records the match, a taster session that went well and an
overnight trial stay that went well; the social worker presents the case at the panel; the panel member finds it on
their home page and approves funding; the social worker sends the plan to Brokerage; the officer takes the referral
and issues the purchase order. axe-core, the reflow check at 320 px and the Content-Security-Policy find nothing
wrong on any page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from brokerage.tests.factories import AreaFactory
from packages.models import CarePackage
from people.tests.factories import make_person
from referrals.models import Referral
from shared_lives.models import SharedLivesArrangement
from shared_lives.tests import factories as f
from shared_lives.workflows import State

from .test_browser_placement import Walk


def test_a_shared_lives_arrangement_from_the_referral_to_the_scheme_to_an_active_package(
    browser, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    worker = UserFactory(username="social.worker", roles=[Role.SOCIAL_WORKER], first_name="Sam", last_name="Okafor")
    officer = UserFactory(username="officer.east", roles=[Role.BROKERAGE_OFFICER], team="east")
    cap = UserFactory(username="cap.member", roles=[Role.CAP_MEMBER])
    scheme = f.scheme("Riverside Shared Lives Scheme")
    scheme_user = UserFactory(
        username="provider.riverside-shared-lives-scheme", roles=[Role.PROVIDER_USER], provider=scheme
    )
    person = make_person(worker, AreaFactory(team_id="east"), first_name="Jo", last_name="Baptiste")
    f.shared_lives_plan(worker, person)
    today = timezone.localdate()
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The social worker refers the person to the scheme from their page.
    walk.sign_in(worker)
    walk.goto(f"/people/{person.pk}/")
    walk.click(f"Refer {person} to a shared lives scheme")
    page.get_by_label("Riverside Shared Lives Scheme").check()
    page.locator("input[name=plan]").first.check()
    page.get_by_label("What the scheme should know").fill("Loves gardening and the allotment.")
    walk.click("Send the referral to the scheme", role="button")
    arrangement = SharedLivesArrangement.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Shared lives for {person}")
    expect(page.get_by_text("Referred to the scheme: finding a match").first).to_be_visible()

    # The scheme finds the referral from its portal and records the match, a taster and a trial stay.
    walk.sign_in(scheme_user)
    walk.click("1 person referred to your scheme")
    walk.click(arrangement.reference)
    expect(page.get_by_text("Loves gardening and the allotment.")).to_be_visible()
    form = walk.open_form("Record the match")
    form.get_by_label("Matched carer's name").fill("Maria Lopes")
    walk.submit(form, "Record the match")
    form = walk.open_form("Record a taster session")
    walk.fill_date(form, "Date", today - timedelta(days=3))
    form.get_by_label("Went well").check()
    form.get_by_label("Notes").fill("Tea and a walk to the park")
    walk.submit(form, "Record the taster session")
    expect(page.get_by_role("region", name="Taster sessions with the matched carer")).to_contain_text("Tea and a walk")
    walk.click("The tasters went well: start overnight trial stays", role="button")
    form = walk.open_form("Record an overnight trial stay")
    walk.fill_date(form, "Date", today - timedelta(days=1))
    form.get_by_label("Went well").check()
    walk.submit(form, "Record the trial stay")
    expect(page.get_by_text("The overnight trial stay is recorded.")).to_be_visible()

    # The social worker presents the case at the panel.
    walk.sign_in(worker)
    walk.goto(arrangement.get_absolute_url())
    walk.click("Present the case at the panel", role="button")
    expect(page.get_by_text("At the Care Authorisation Panel").first).to_be_visible()

    # The panel member finds it on their home page and approves funding.
    walk.sign_in(cap)
    expect(page.get_by_role("table", name="Shared lives cases waiting for the panel")).to_be_visible()
    walk.click(arrangement.reference)
    form = walk.open_form("Record the panel's decision")
    form.get_by_label("Approve funding").check()
    form.get_by_label("Approved weekly amount (£)").fill("450.00")
    walk.submit(form, "Record the decision")
    expect(page.get_by_text("No shared lives cases are waiting for the panel.")).to_be_visible()

    # The social worker sends the funded plan to Brokerage.
    walk.sign_in(worker)
    walk.goto(arrangement.get_absolute_url())
    form = walk.open_form("Send the plan to Brokerage")
    walk.submit(form, "Send to Brokerage")
    expect(page.get_by_text("With Brokerage: purchase order to issue").first).to_be_visible()
    referral = Referral.objects.get()
    assert referral.state == Referral.State.QUEUED

    # The officer takes the referral and issues the purchase order from the arrangement's page.
    walk.sign_in(officer)
    walk.goto(referral.get_absolute_url())
    walk.click("Take this task", role="button")
    walk.click(f"With Brokerage: purchase order to issue ({arrangement.reference})")
    form = walk.open_form("Update the record and issue the purchase order")
    form.get_by_label("Weekly cost (£)").fill("420.00")
    walk.fill_date(form, "Start date", today + timedelta(days=7))
    walk.submit(form, "Issue the purchase order")
    expect(page.get_by_text("Commissioned: purchase order issued").first).to_be_visible()

    arrangement = SharedLivesArrangement.objects.get()
    assert arrangement.state == State.COMMISSIONED
    assert Referral.objects.get().state == Referral.State.ACTIVE
    package = CarePackage.objects.get(pk=arrangement.package_id)
    assert package.state == "active" and package.versions.get().purchase_order_id is not None
    walk.goto(package.get_absolute_url())
    assert {url: v for url, v in walk.visited.items() if v} == {}
