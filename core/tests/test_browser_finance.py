"""Finance in a real browser: the finance officer, from their home page, generates a week's planned home care
visits, uploads a call monitoring file with a bad row (every bad row listed, nothing imported), then a good one,
and follows a long import's progress bar (polled by static/js/import-progress.js) until it is done. axe-core, the
reflow check at 320 px and the Content-Security-Policy find nothing wrong on any page."""

from playwright.sync_api import expect

from finance.models import ActualVisit, CallMonitoringImport, PlannedVisit
from finance.tests.factories import MONDAY, SUNDAY, csv_file, home_care, visit_row

from .test_browser_placement import Walk


def test_finance_generates_planned_visits_and_imports_a_call_monitoring_file(
    browser, live_server, transactional_db, person, finance_officer, tmp_path
):
    package = home_care(person)
    walk = Walk(browser, live_server.url)
    page = walk.page
    walk.sign_in(finance_officer)

    walk.click("Planned home care visits")
    walk.fill_date(page, "First day", MONDAY)
    walk.fill_date(page, "Last day", SUNDAY)
    walk.submit(page, "Generate planned visits")
    expect(page.get_by_text("7 in force, 7 added, 0 taken away")).to_be_visible()
    expect(page.get_by_role("cell", name="Monday 23 August 2027")).to_be_visible()
    assert PlannedVisit.objects.count() == 7

    walk.goto("/")
    walk.click("Import a call monitoring file")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file(visit_row(package), visit_row(package, method="fax")))
    page.get_by_label("Call monitoring file").set_input_files(str(bad))
    walk.submit(page, "Check and import")
    expect(page.get_by_role("cell", name="method 'fax' is not one of app, manual, phone")).to_be_visible()
    assert not ActualVisit.objects.exists()

    walk.click("Back to call monitoring files")
    good = tmp_path / "good.csv"
    good.write_bytes(csv_file(visit_row(package), visit_row(package, carer="C-2")))
    page.get_by_label("Call monitoring file").set_input_files(str(good))
    walk.submit(page, "Check and import")
    expect(page.get_by_text("2 visits imported")).to_be_visible()
    assert ActualVisit.objects.count() == 2

    # A long import: the progress bar moves as the import does, and the page shows the result once it is done.
    running = CallMonitoringImport.objects.create(
        file_name="county.csv",
        sha256="c" * 64,
        size=100,
        uploaded_by=finance_officer,
        status=CallMonitoringImport.Status.CHECKING,
        rows_total=1000,
        rows_done=100,
    )
    walk.goto(f"/finance/call-monitoring/{running.pk}/")
    expect(page.locator("#import-progress-bar")).to_have_attribute("value", "10")
    CallMonitoringImport.objects.filter(pk=running.pk).update(rows_done=600)
    expect(page.locator("#import-progress-text")).to_contain_text("60%", timeout=10_000)
    walk.check()
    CallMonitoringImport.objects.filter(pk=running.pk).update(
        status=CallMonitoringImport.Status.IMPORTED, rows_done=1000, rows_imported=1000
    )
    expect(page.get_by_text("1000 visits imported")).to_be_visible(timeout=10_000)
    walk.check()
    assert {url: v for url, v in walk.visited.items() if v} == {}
