"""Paying for home care in a real browser: the finance officer plans last week's visits, imports the call monitoring
file (one visit missed, one short), reconciles the week and reads the chart, accepts the missed visit with a note,
makes the payment run and downloads a provider's statement; then the provider signs in and sees its own
reconciliation, the decision's note and its statement. On the way, a residential home's invoice of the same
provider is recorded and approved, and paid in the same run. axe-core, the reflow check at 320 px and the CSP find
nothing wrong on any page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.tests.pdfs import pdf_text
from finance.models import PaymentRun, VisitLine
from finance.tests.factories import csv_file, home_care, provider_of, visit_row
from invoices.tests.factories import order_for

from .test_browser_placement import Walk


def test_finance_reconciles_a_week_works_an_exception_and_pays_it(
    browser, live_server, transactional_db, settings, tmp_path, person, finance_officer
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    sunday = today - timedelta(days=today.isoweekday())
    monday = sunday - timedelta(days=6)
    package = home_care(
        person, began=monday - timedelta(weeks=4), slots=[(1, "08:00", 30), (3, "08:00", 30), (5, "08:00", 30)]
    )
    provider = provider_of(package)
    walk = Walk(browser, live_server.url)
    page = walk.page
    walk.sign_in(finance_officer)

    walk.click("Planned home care visits")
    walk.fill_date(page, "First day", monday)
    walk.fill_date(page, "Last day", sunday)
    walk.submit(page, "Generate planned visits")
    expect(page.get_by_text("3 in force, 3 added")).to_be_visible()

    # Monday on time; Wednesday missed; Friday 10 minutes of 30: short.
    walk.goto("/")
    walk.click("Import a call monitoring file")
    week = tmp_path / "week.csv"
    week.write_bytes(
        csv_file(
            visit_row(package, on=monday, at="08:02"),
            visit_row(package, on=monday + timedelta(days=4), at="08:00", minutes=10),
        )
    )
    page.get_by_label("Call monitoring file").set_input_files(str(week))
    walk.submit(page, "Check and import")
    expect(page.get_by_text("2 visits imported")).to_be_visible()

    walk.goto("/")
    walk.click("Reconciliation: matched against planned hours by provider")
    walk.fill_date(page, "First day", monday)
    walk.fill_date(page, "Last day", sunday)
    walk.submit(page, "Reconcile the period")
    expect(page.get_by_text("1 visit matched, 2 exceptions to decide")).to_be_visible()
    expect(page.get_by_role("img", name="Matched against planned hours by provider")).to_be_visible()
    expect(page.get_by_role("rowheader", name=provider.name)).to_be_visible()

    walk.click(f"2 for {provider.name}")
    walk.click("Missed visit")  # the first exception's link names what it is
    page.get_by_label("Note").fill("The person cancelled at the door: paid as planned, as the contract says.")
    walk.submit(page, "Accept and pay")
    expect(page.get_by_text("is accepted")).to_be_visible()
    missed = VisitLine.objects.get(outcome="missed")
    assert missed.state == "accepted"

    # A residential home's invoice for the same week, recorded and approved.
    order = order_for(person, start=monday - timedelta(weeks=4), provider=provider)
    walk.goto("/")
    walk.click("Providers' invoices waiting")
    walk.click("Record an invoice")
    page.get_by_label("Purchase order number").fill(order.number)
    page.get_by_label("Provider's invoice number").fill("RH-2041")
    walk.fill_date(page, "Period from", monday)
    walk.fill_date(page, "Period to", sunday)
    page.get_by_label("Amount invoiced (£)").fill("700.00")
    walk.fill_date(page, "Received on", today)
    walk.submit(page, "Record and check the invoice")
    form = walk.open_form("Approve for payment")
    walk.submit(form, "Approve for payment")
    expect(page.get_by_text("Approved").first).to_be_visible()

    walk.goto(f"/finance/reconciliation/?from={monday:%Y-%m-%d}&to={sunday:%Y-%m-%d}")
    walk.click("Payable and payment runs")
    expect(page.get_by_text("1 exception still to decide")).to_be_visible()
    walk.fill_date(page.locator("form[method=post]"), "First day", monday)
    walk.fill_date(page.locator("form[method=post]"), "Last day", sunday)
    walk.submit(page, "Make the payment run")
    run = PaymentRun.objects.get()
    expect(page.get_by_role("heading", name=f"Payment run {run.reference}")).to_be_visible()
    # Monday's 30 minutes matched and the missed visit accepted, at £20.00 an hour; the invoice's £700.00.
    assert run.total_pence == 1000 + 1000 + 70000
    statement = run.statements.get()
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Statement {statement.reference} (PDF), {provider.name}").click()
    text = pdf_text(download.value.path())
    assert f"Payment statement {statement.reference}" in text and "£720.00" in text and "Invoice RH-2041" in text

    # The provider sees its own reconciliation: the decision's note, the exception still open, its statement.
    walk.sign_in(UserFactory(roles=[Role.PROVIDER_USER], provider=provider))
    walk.click("Your home care visits reconciled, exceptions and payment statements")
    page.get_by_label("First day").fill(f"{monday:%Y-%m-%d}")
    page.get_by_label("Last day").fill(f"{sunday:%Y-%m-%d}")
    walk.submit(page, "Show this period")
    expect(page.get_by_text("paid as planned, as the contract says")).to_be_visible()
    expect(page.get_by_text("Exception to decide")).to_be_visible()
    expect(page.get_by_role("link", name=f"Statement {statement.reference} (PDF)")).to_be_visible()
    assert {url: v for url, v in walk.visited.items() if v} == {}
