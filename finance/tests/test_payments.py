"""Payment runs: what is paid (payable and accepted visits of the period, never an open or rejected one), totals
that reconcile to the pence, nothing paid twice (run again, or two runs at the same moment), the statement PDF and
the CSV export."""

import csv
import io
from datetime import timedelta

import pytest

from core.exceptions import ActionRefused
from core.tests.pdfs import pdf_text
from core.tests.races import at_once
from finance.models import CallMonitoringImport, PaymentLine, PaymentRun, ProviderStatement, VisitLine
from finance.payments import csv_rows, make_payment_run, render_statement
from finance.reconciliation import decide_exception, reconcile
from finance.services import generate_planned_visits

from .conftest import AFTER_THE_WEEK
from .factories import MONDAY, SUNDAY, home_care
from .test_reconciliation import logged, one_day

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("after_the_week")]


@pytest.fixture
def reconciled(person, west_person, finance_officer, upload, settings, tmp_path):
    """Two packages with two providers: one visit matched and one missed each; one missed accepted, one rejected."""
    settings.MEDIA_ROOT = tmp_path
    first = one_day(person, finance_officer, slots=[(1, "08:00", 30), (1, "18:00", 45)])
    second = home_care(west_person, slots=[(1, "09:00", 60), (1, "19:00", 30)])
    generate_planned_visits(MONDAY, MONDAY, acting_user=finance_officer)
    logged(upload, first, at="08:01", minutes=30)
    logged(upload, second, at="09:00", minutes=55, carer="C-9")
    reconcile(MONDAY, MONDAY, acting_user=finance_officer)
    missed = VisitLine.objects.filter(outcome="missed").order_by("package_id")
    decide_exception(missed[0].pk, "accept", note="Cancelled at the door.", acting_user=finance_officer)
    decide_exception(missed[1].pk, "reject", note="Not delivered.", acting_user=finance_officer)
    return first, second


def test_a_run_pays_payable_and_accepted_visits_and_totals_reconcile(reconciled, finance_officer):
    first, second = reconciled
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    # first: 30 minutes matched (£10.00) and 45 minutes missed but accepted (£15.00); second: 55 minutes (£18.33).
    by_provider = {s.provider_id: (s.visits, s.total_pence) for s in run.statements.all()}
    assert sorted(by_provider.values()) == [(1, 1833), (2, 2500)]
    assert run.total_pence == 4333
    for statement in run.statements.all():
        assert statement.total_pence == sum(statement.lines.values_list("amount_pence", flat=True))
    assert not PaymentLine.objects.filter(visit_line__state="rejected").exists()
    # Each visit named by its package's reference (packages.selectors.reference_sql, as CarePackage.reference).
    assert PaymentLine.objects.filter(description__startswith=f"{first.reference} 23/08/2027 08:00: 30 min").exists()


def test_an_open_exception_waits_for_a_later_run(person, finance_officer, upload):
    package = one_day(person, finance_officer)
    reconcile(MONDAY, MONDAY, acting_user=finance_officer)
    with pytest.raises(ActionRefused, match="Nothing is left to pay"):
        make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    line = VisitLine.objects.get(package=package)
    decide_exception(line.pk, "accept", note="Paid as planned.", acting_user=finance_officer)
    assert make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer).total_pence == 1000


def test_a_second_run_of_the_same_period_pays_nothing_twice(reconciled, finance_officer):
    make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    with pytest.raises(ActionRefused, match="Nothing is left to pay from 23 August 2027 to 29 August 2027"):
        make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    assert PaymentRun.objects.count() == 1


def test_reconciling_a_paid_period_again_keeps_the_paid_lines(reconciled, finance_officer):
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    paid = set(PaymentLine.objects.values_list("visit_line_id", flat=True))
    again = reconcile(MONDAY, MONDAY, acting_user=finance_officer)
    assert again.kept == 4 and (again.matched, again.exceptions) == (0, 0)
    assert paid <= set(VisitLine.objects.values_list("pk", flat=True))
    assert PaymentLine.objects.filter(statement__run=run).count() == 3


@pytest.mark.parametrize(
    ("first", "last", "reason"),
    [
        (MONDAY, MONDAY - timedelta(days=1), "on or after its first day"),
        (MONDAY, MONDAY + timedelta(days=92), "at most 92 days"),
        (MONDAY, AFTER_THE_WEEK.date(), "before today"),
    ],
)
def test_a_period_that_cannot_be_paid_is_refused(reconciled, finance_officer, first, last, reason):
    with pytest.raises(ActionRefused, match=reason):
        make_payment_run(first, last, acting_user=finance_officer)
    assert not PaymentRun.objects.exists()


def test_only_finance_makes_a_payment_run(reconciled, officer_east):
    with pytest.raises(ActionRefused, match="finance officer"):
        make_payment_run(MONDAY, SUNDAY, acting_user=officer_east)


def test_the_csv_rows_add_up_to_the_run_and_cannot_run_as_formulas(reconciled, finance_officer):
    first, _ = reconciled
    provider = first.versions.get().agreement.provider
    provider.name = "=HYPERLINK(evil)"
    provider.save(update_fields=["name"])
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(run))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 3 and sum(int(r["amount_pence"]) for r in rows) == run.total_pence
    assert {r["provider"] for r in rows} >= {"'=HYPERLINK(evil)"}
    assert {r["amount"] for r in rows} == {"10.00", "15.00", "18.33"}


def test_the_statement_pdf_lists_the_lines_and_the_total(reconciled, finance_officer):
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    statement = run.statements.get(total_pence=2500)
    assert render_statement(statement.pk) is True or ProviderStatement.objects.get(pk=statement.pk).pdf
    statement.refresh_from_db()
    text = pdf_text(statement.pdf.path)
    assert f"Payment statement {statement.reference}" in text
    assert "£25.00" in text and "£10.00" in text and "£15.00" in text
    assert render_statement(statement.pk) is False  # kept once


@pytest.mark.django_db(transaction=True)
def test_two_runs_made_at_the_same_moment_pay_once(person, west_person, finance_officer, settings, tmp_path):
    """Two finance officers make the payment run at the same moment, each in its own connection, released together
    by a barrier: one run pays everything, the other is refused, and no visit is on two statements."""
    settings.MEDIA_ROOT = tmp_path
    upload = CallMonitoringImport.objects.create(
        file_name="w.csv", sha256="d" * 64, size=1, uploaded_by=finance_officer, status="imported"
    )
    for someone in (person, west_person):
        logged(upload, one_day(someone, finance_officer), at="08:00")
    reconcile(MONDAY, MONDAY, acting_user=finance_officer)

    def pay():
        return make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)

    results = at_once(pay, pay)

    won = [r for r in results if isinstance(r, PaymentRun)]
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(won) == 1 and len(refused) == 1, results
    assert "Nothing is left to pay" in refused[0].message
    assert won[0].total_pence == 2000
    assert PaymentRun.objects.count() == 1 and PaymentLine.objects.count() == 2


# Invoices for the other services ----------------------------------------------------------------------------------
def _invoice(person, finance_officer, *, number, last=SUNDAY, amount="700.00", approve=True, provider=None):
    from invoices.services import approve_invoice
    from invoices.tests.factories import order_for, record

    order = order_for(person, start=MONDAY - timedelta(weeks=4), provider=provider)
    invoice = record(
        order,
        finance_officer,
        number=number,
        first=last - timedelta(days=6),
        last=last,
        amount=amount,
        received_on=AFTER_THE_WEEK.date(),
    )
    if approve:
        invoice = approve_invoice(invoice, acting_user=finance_officer, note="Checked against the order.")
    return invoice


def test_an_approved_invoice_ending_in_the_period_is_paid_once_beside_the_visits(reconciled, person, finance_officer):
    first, _ = reconciled
    provider = first.versions.get().agreement.provider
    paid = _invoice(person, finance_officer, number="INV-100", amount="699.99", provider=provider)
    waiting = _invoice(person, finance_officer, number="INV-101", approve=False)
    later = _invoice(person, finance_officer, number="INV-102", last=SUNDAY + timedelta(days=7))
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    statement = run.statements.get(provider=provider)
    assert (statement.visits, statement.invoices, statement.total_pence) == (2, 1, 2500 + 69999)
    line = PaymentLine.objects.get(invoice=paid)
    assert line.amount_pence == 69999 and line.description.startswith("Invoice INV-100, 23/08/2027 to 29/08/2027, PO-")
    assert not PaymentLine.objects.filter(invoice__in=[waiting, later]).exists()
    assert run.total_pence == 2500 + 1833 + 69999
    with pytest.raises(ActionRefused, match="Nothing is left to pay"):
        make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    assert PaymentLine.objects.filter(invoice=paid).count() == 1


def test_a_run_with_only_invoices_makes_their_statement(person, finance_officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    invoice = _invoice(person, finance_officer, number="INV-7")
    run = make_payment_run(MONDAY, SUNDAY, acting_user=finance_officer)
    assert [(s.provider_id, s.visits, s.invoices, s.total_pence) for s in run.statements.all()] == [
        (invoice.provider_id, 0, 1, 70000)
    ]
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(run))
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert (row["amount_pence"], row["amount"]) == ("70000", "700.00")
