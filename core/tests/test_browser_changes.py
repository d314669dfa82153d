"""Changes to a running home care package in a real browser, each step by the person whose step it is, signed in.

A suspension: the social worker refers it ("Suspend a service"); the officer takes it from the queue and arranges
it from the referral's page; the social worker records that the person was told; the officer sets the date it
recommences; on that date the daily sweep recommences it, and the package's page shows it active again, each revised
purchase order, and that a day in between was suspended.

A temporary increase: the social worker refers it with a plan of more hours and its end date; the panel member funds
it; the officer takes and arranges it; on the end date the sweep takes the package back to its hours before, and the
package's page shows the three versions and their orders.

A change of provider: the social worker refers it; the officer challenges it first (could times, carer or tasks
change instead?), asks the provider for a written explanation and attaches it with its letter, sends contract
monitoring a quality alert, and only then finds a new provider, as for a new package; the old agreement ends the day
before the new one starts and its order is closed.

axe-core, the reflow check at 320 px and the Content-Security-Policy find nothing wrong on any page visited. Time is
moved with time_machine: the live server runs in this process, so its clock moves too."""

from decimal import Decimal

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from changes.models import PackageChange
from changes.services import apply_due_changes
from changes.tests.factories import MORE_VISITS, in_days, running, today
from changes.workflows import State
from packages.models import CarePackage, PackageVersion
from people.tests.factories import make_plan
from providers.tests.factories import ProviderServiceFactory
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.tests.factories import approve

from .test_browser_placement import Walk


def at(day):
    """Time moved to 9 in the morning of `day`, and held there."""
    return time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9)), tick=False)


def refer(walk: Walk, person, kind: str):
    """From the person's page, "Refer to Brokerage" and the kind of referral: its form is open."""
    walk.goto(person.get_absolute_url())
    walk.click("Refer to Brokerage")
    walk.page.get_by_role("radio", name=kind).check()
    walk.click("Continue", role="button")


def take_from_queue(walk: Walk, reference: str):
    walk.click("Task queue")
    walk.click(reference)
    walk.click("Take this task", role="button")
    expect(walk.page.get_by_text("You have taken this task.")).to_be_visible()


def provider_told(walk: Walk, how: str):
    page = walk.page
    walk.fill_date(page, "Date the provider was told", today())
    page.get_by_label("How the provider was told, and who you spoke to").fill(how)


def orders_table(walk: Walk):
    return walk.page.get_by_role("table", name="Purchase orders, newest first")


def package_state(walk: Walk):
    return walk.page.locator(".govuk-summary-list__row", has_text="State").locator("dd")


def test_a_suspension_is_arranged_told_and_recommences(
    browser, live_server, transactional_db, settings, tmp_path, social_worker, person, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    case = running(person, cap_member, officer_east)
    order = case.order.display_number
    back, suspended_day = in_days(4), in_days(2)
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The social worker refers the suspension: the person is in hospital from today.
    walk.sign_in(social_worker)
    refer(walk, person, "Suspend a service")
    page.get_by_label("Service to suspend").select_option("home_care")
    walk.fill_date(page, "Date the service is suspended from", today())
    page.get_by_label("What Brokerage needs to know").fill("Admitted to hospital this morning after a fall.")
    walk.click("Send referral", role="button")
    expect(page.get_by_text("In the team queue").first).to_be_visible()
    referral = Referral.objects.get(kind=Referral.Kind.CHANGE)
    assert referral.care_package_id == case.package.pk

    # The officer takes it from the queue and arranges it, having rung the provider.
    walk.sign_in(officer_east)
    take_from_queue(walk, referral.reference)
    walk.click("Arrange the suspension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Arrange the suspension")
    page.get_by_role("radio", name="Hospital admission").check()
    provider_told(walk, "Rang the branch manager, Jo Hale")
    walk.click("Arrange", role="button")
    expect(page.get_by_text("The suspension is arranged and the purchase order revised.")).to_be_visible()
    walk.click(f"Care package {case.package.reference}")
    expect(package_state(walk)).to_have_text("Suspended")
    expect(
        page.get_by_role("table", name="Suspensions, oldest first").get_by_text("Hospital admission")
    ).to_be_visible()
    expect(orders_table(walk).get_by_text(f"{order} revision 2")).to_be_visible()

    # The social worker tells the person, and records it on the referral's page.
    walk.sign_in(social_worker)
    walk.goto(referral.get_absolute_url())
    walk.click(f"I have told {person}", role="button")
    expect(page.get_by_text(f"Recorded that {person} was told.")).to_be_visible()

    # The officer sets the day the service recommences, as the social worker says.
    walk.sign_in(officer_east)
    walk.goto(referral.get_absolute_url())
    walk.fill_date(page, "Date the service recommences", back)
    walk.click("Set the recommencement", role="button")
    expect(page.get_by_text(f"The service will recommence on {back:%-d %B %Y}")).to_be_visible()

    # On that day the sweep recommences it: the package is active again, with a further revised order.
    with at(back):
        assert apply_due_changes() == 1
        walk.sign_in(officer_east)  # four days on: yesterday's session is long over
        walk.goto(case.package.get_absolute_url())
        expect(package_state(walk)).to_have_text("Active")
        orders = orders_table(walk)
        expect(orders.get_by_role("row").filter(has_text=f"{order} revision 4")).to_contain_text("Issued")
        expect(orders.get_by_role("row").filter(has_text=f"{order} revision 3")).to_contain_text("Superseded")

        walk.fill_date(page, "Date", suspended_day)
        walk.click("Show what was in force", role="button")
        expect(page.get_by_role("heading", name=f"On {suspended_day:%-d %B %Y}")).to_be_visible()
        expect(page.get_by_text("No service was delivered or paid that day")).to_be_visible()
        expect(page.get_by_text(f"recommencing {back:%-d %B %Y}")).to_be_visible()

    change = PackageChange.objects.get(referral=referral)
    assert (change.state, change.person_told_by) == (State.FINISHED, social_worker)
    assert CarePackage.objects.get(pk=case.package.pk).state == "active"
    assert PurchaseOrder.objects.filter(care_package_id=case.package.pk).count() == 4
    assert len(walk.visited) >= 8  # every page on the way was checked
    assert {url: v for url, v in walk.visited.items() if v} == {}


def test_a_temporary_increase_goes_back_to_the_hours_before(
    browser, live_server, transactional_db, settings, tmp_path, social_worker, person, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    case = running(person, cap_member, officer_east)
    order = case.order.display_number
    plan = make_plan(social_worker, person, weekly_hours=Decimal("15.00"), visit_schedule=MORE_VISITS)
    starts, ends = in_days(1), in_days(8)
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The social worker refers the increase, with the plan of more hours and the day it ends.
    walk.sign_in(social_worker)
    refer(walk, person, "Increase a service")
    page.get_by_label("Care and support plan for the increase").select_option(
        label=f"Version {plan.version}: {plan.service_type.name}"
    )
    walk.fill_date(page, "Date the increase starts", starts)
    walk.fill_date(page, "Date the increase ends", ends)
    page.get_by_label("What Brokerage needs to know").fill("Longer morning visits for a week after her fall.")
    walk.click("Send referral", role="button")
    expect(page.get_by_text("Awaiting a funding decision").first).to_be_visible()
    referral = Referral.objects.get(kind=Referral.Kind.CHANGE)

    # The panel member funds it.
    walk.sign_in(cap_member)
    walk.click("Funding decisions")
    walk.click(f"Decide on {referral.reference}")
    page.get_by_role("radio", name="Approved").check()
    page.get_by_role("spinbutton", name="Approved weekly amount").fill("330.00")
    walk.click("Record decision", role="button")
    expect(page.get_by_text(f"Funding decision recorded for {referral.reference}")).to_be_visible()

    # The officer takes it and arranges it: the dates come from the referral.
    walk.sign_in(officer_east)
    take_from_queue(walk, referral.reference)
    walk.click("Arrange the increase")
    expect(
        page.get_by_role("group", name="Date the package goes back to its hours before the increase")
    ).to_be_visible()
    provider_told(walk, "Emailed the coordinator, Sam Reid")
    walk.click("Arrange", role="button")
    expect(page.get_by_text("The increase is arranged and the purchase order revised.")).to_be_visible()
    walk.click(f"Care package {case.package.reference}")
    expect(orders_table(walk).get_by_text(f"{order} revision 2")).to_be_visible()

    # On the end date the sweep takes the package back to its hours before, with another revised order.
    with at(ends):
        assert apply_due_changes() == 1
        walk.sign_in(officer_east)
        walk.goto(case.package.get_absolute_url())
        rows = page.get_by_role("table", name="Versions, oldest first").locator("tbody tr")
        expect(rows).to_have_count(3)
        for row, hours in enumerate(("10", "15", "10")):
            expect(rows.nth(row).locator("td").nth(1)).to_have_text(hours)
        orders = orders_table(walk)
        expect(orders.get_by_role("row").filter(has_text=f"{order} revision 3")).to_contain_text("Issued")
        expect(orders.get_by_role("row").filter(has_text=f"{order} revision 2")).to_contain_text("Superseded")

    versions = PackageVersion.objects.filter(package=case.package).order_by("valid_from")
    assert [(v.weekly_hours, v.valid_from, v.valid_to) for v in versions] == [
        (Decimal("10.00"), today(), starts),
        (Decimal("15.00"), starts, ends),
        (Decimal("10.00"), ends, None),
    ]
    assert PackageChange.objects.get(referral=referral).state == State.FINISHED
    assert len(walk.visited) >= 8  # every page on the way was checked
    assert {url: v for url, v in walk.visited.items() if v} == {}


def test_a_change_of_provider_is_challenged_then_sourced_and_the_old_agreement_ends(
    browser, live_server, transactional_db, settings, tmp_path, social_worker, person, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    case = running(person, cap_member, officer_east)
    old_order, old_provider = case.order.display_number, case.agreement.provider
    new_provider = ProviderServiceFactory(provider__name="Homely Hands").provider
    plan = make_plan(social_worker, person)
    letter = tmp_path / "reply.pdf"
    letter.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    walk = Walk(browser, live_server.url)
    page = walk.page

    # The social worker refers the change of provider; the panel funds its plan.
    walk.sign_in(social_worker)
    refer(walk, person, "Change of provider")
    page.get_by_label("Care and support plan").select_option(label=f"Version {plan.version}: {plan.service_type.name}")
    page.get_by_label("Why the provider needs to change").fill("Carers arrive late most mornings.")
    walk.click("Send referral", role="button")
    referral = Referral.objects.get(kind=Referral.Kind.CHANGE)
    approve(referral, cap_member)

    # The officer takes it and challenges it first: could the service continue? The provider explains in writing,
    # and contract monitoring gets a quality alert. Only then is a new provider found.
    walk.sign_in(officer_east)
    take_from_queue(walk, referral.reference)
    walk.click("Challenge the change of provider")
    expect(page.get_by_role("heading", level=1)).to_have_text("Challenge the change of provider")
    page.get_by_label("Could a change of times, carer or tasks let the service continue?").fill(
        "New times and a regular carer were tried for a month; the visits are still late."
    )
    walk.click("Save the challenge", role="button")
    expect(page.get_by_text("The challenge is recorded.")).to_be_visible()
    page.get_by_role("radio", name="The provider").check()
    walk.click("Ask for it", role="button")
    walk.fill_date(page, "Date it came", today())
    page.get_by_label("What it says").fill("We cannot staff the morning run in that area.")
    page.get_by_label("The letter or e-mail, as a PDF (optional)").set_input_files(str(letter))
    walk.click("Attach the explanation from the provider", role="button")
    expect(page.get_by_text("The explanation from the provider is attached.")).to_be_visible()
    page.get_by_label("What contract monitoring should know").fill("Late visits most mornings for a month.")
    walk.click("Send the quality alert", role="button")
    expect(page.get_by_text("The quality alert has gone to contract monitoring.")).to_be_visible()
    walk.click("Confirm the change of provider", role="button")
    expect(page.get_by_text("The change of provider is confirmed")).to_be_visible()

    # Sourcing as for a new package: a spot contract, the agreement from tomorrow, its order.
    walk.click("Commission a spot contract off the framework")
    page.get_by_label("Provider", exact=True).select_option(label=str(new_provider))
    page.get_by_label("Why can no framework provider deliver?").fill("The only provider with morning carers there.")
    walk.click("Commission", role="button")
    walk.click("Make the service agreement")
    walk.fill_date(page, "Start date", in_days(1))
    page.get_by_label("Hourly rate").fill("23.00")
    walk.click("Make the agreement and share the details", role="button")
    walk.click("Update the record and issue the purchase order", role="button")
    expect(page.get_by_text("Active: purchase order issued").first).to_be_visible()

    # The package moved: the old agreement ends today, its order closed; the new provider's order in force.
    walk.goto(case.package.get_absolute_url())
    rows = page.get_by_role("table", name="Versions, oldest first").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(str(old_provider))
    expect(rows.nth(1)).to_contain_text("Homely Hands")
    expect(orders_table(walk).get_by_role("row").filter(has_text=old_order)).to_contain_text("Closed")

    old = PurchaseOrder.objects.get(pk=case.order.pk)
    assert (old.status, old.last_day) == ("closed", today())
    assert CarePackage.objects.filter(person=person).count() == 1
    assert len(walk.visited) >= 8
    assert {url: v for url, v in walk.visited.items() if v} == {}
