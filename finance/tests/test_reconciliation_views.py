"""Finance's reconciliation and payment pages, and the provider's portal view: reconciling from the page, the chart
and its table, the matching rules' form, working an exception (a note missing, posted twice), making a payment run
from the page (twice), the CSV download, the statement PDF (202 while it is made), and a provider seeing only its
own."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from finance.models import PaymentRun, ProviderStatement, Tolerances, VisitLine
from finance.payments import render_statement

from .conftest import AFTER_THE_WEEK
from .factories import MONDAY, SUNDAY, provider_of
from .test_reconciliation import logged, one_day
from .test_views import period

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("after_the_week")]
WEEK = f"from={MONDAY:%Y-%m-%d}&to={SUNDAY:%Y-%m-%d}"


@pytest.fixture
def week_of_visits(person, finance_officer, upload):
    """One package: the 08:00 visit matched, the 18:00 missed."""
    package = one_day(person, finance_officer, slots=[(1, "08:00", 30), (1, "18:00", 30)])
    logged(upload, package, at="08:02")
    return package


def test_reconciling_from_the_page_shows_the_chart_and_the_table(client, finance_officer, week_of_visits):
    client.force_login(finance_officer)
    response = client.post(f"{reverse('finance:reconciliation')}?{WEEK}", period(MONDAY, SUNDAY), follow=True)
    page = response.content.decode()
    assert "1 visit matched, 1 exception to decide" in page
    assert "<svg" in page and "Matched against planned hours by provider" in page
    name = provider_of(week_of_visits).name
    assert f'<th scope="row" class="govuk-table__header">{name}</th>' in page
    assert "0.5 (50%)" in page  # an hour planned, half of it matched


def test_a_period_not_over_is_refused_on_the_page(client, finance_officer, week_of_visits):
    client.force_login(finance_officer)
    today = AFTER_THE_WEEK.date()
    response = client.post(reverse("finance:reconciliation"), period(MONDAY, today))
    assert response.status_code == 400
    assert "the last day must be before today" in response.content.decode()
    assert not VisitLine.objects.exists()


def test_the_matching_rules_form_saves_and_refuses_a_narrow_window(client, finance_officer):
    client.force_login(finance_officer)
    url = reverse("finance:tolerances")
    data = {"start_minutes": 30, "late_window_minutes": 20, "min_duration_percent": 80, "pay_basis": "planned"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "at least as wide as the start tolerance" in response.content.decode()
    assert not Tolerances.objects.filter(start_minutes=30).exists()
    response = client.post(url, {**data, "late_window_minutes": 90})
    assert response.status_code == 302
    assert Tolerances.objects.first().pay_basis == "planned"
    assert AuditEvent.objects.filter(summary__startswith="Matching rules set").exists()


def _reconciled(client, finance_officer):
    client.force_login(finance_officer)
    client.post(f"{reverse('finance:reconciliation')}?{WEEK}", period(MONDAY, SUNDAY))
    return VisitLine.objects.get(outcome="missed")


def test_working_an_exception_needs_a_note_and_is_done_once(client, finance_officer, week_of_visits):
    missed = _reconciled(client, finance_officer)
    listing = client.get(f"{reverse('finance:exceptions')}?{WEEK}").content.decode()
    assert reverse("finance:exception", args=[missed.pk]) in listing and "Missed" in listing
    page = client.get(reverse("finance:exception", args=[missed.pk])).content.decode()
    assert "Accept and pay" in page and "Reject: do not pay" in page
    url = reverse("finance:decide", args=[missed.pk])
    response = client.post(url, {"step": "accept", "note": ""})
    assert response.status_code == 400 and "Enter a note saying why" in response.content.decode()
    assert VisitLine.objects.get(pk=missed.pk).state == "open"
    response = client.post(url, {"step": "accept", "note": "Cancelled at the door: paid."})
    assert response.status_code == 302
    again = client.post(url, {"step": "reject", "note": "Posted twice."})
    assert again.status_code == 400 and "accepted" in again.content.decode()
    assert VisitLine.objects.get(pk=missed.pk).state == "accepted"
    assert "Accept and pay" not in client.get(reverse("finance:exception", args=[missed.pk])).content.decode()


def test_an_unknown_exception_is_not_found(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("finance:exception", args=[999999])).status_code == 404
    assert client.post(reverse("finance:decide", args=[999999]), {"step": "accept", "note": "x"}).status_code == 404


def test_a_payment_run_from_the_page_then_its_csv_and_statement(client, finance_officer, week_of_visits):
    _reconciled(client, finance_officer)
    payable = client.get(f"{reverse('finance:payable')}?{WEEK}").content.decode()
    assert "£10.00" in payable and "1 exception still to decide" in payable
    response = client.post(f"{reverse('finance:payable')}?{WEEK}", period(MONDAY, SUNDAY))
    run = PaymentRun.objects.get()
    assert response.url == reverse("finance:payment_run", args=[run.pk])
    twice = client.post(f"{reverse('finance:payable')}?{WEEK}", period(MONDAY, SUNDAY))
    assert twice.status_code == 400 and "Nothing is left to pay" in twice.content.decode()
    assert PaymentRun.objects.count() == 1

    exported = client.get(reverse("finance:payment_run_csv", args=[run.pk]))
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(r["amount_pence"], r["amount"]) for r in rows] == [("1000", "10.00")]

    statement = ProviderStatement.objects.get()
    ProviderStatement.objects.filter(pk=statement.pk).update(pdf="")  # as if its task had not run yet
    pending = client.get(reverse("finance:statement_pdf", args=[statement.pk]))
    assert pending.status_code == 202 and "being prepared" in pending.content.decode()
    render_statement(statement.pk)
    done = client.get(reverse("finance:statement_pdf", args=[statement.pk]))
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"


def test_a_provider_sees_its_own_reconciliation_and_statements_only(
    client, finance_officer, week_of_visits, west_person, upload
):
    from accounts.tests.factories import UserFactory

    other = one_day(west_person, finance_officer)
    logged(upload, other, at="08:00", carer="Z-9")
    missed = _reconciled(client, finance_officer)
    client.post(reverse("finance:decide", args=[missed.pk]), {"step": "reject", "note": "Not delivered that day."})
    client.post(f"{reverse('finance:payable')}?{WEEK}", period(MONDAY, SUNDAY))
    own = ProviderStatement.objects.get(provider=provider_of(week_of_visits))
    others = ProviderStatement.objects.get(provider=provider_of(other))

    user = UserFactory(roles=[Role.PROVIDER_USER], provider=provider_of(week_of_visits))
    client.force_login(user)
    page = client.get(f"{reverse('portal:reconciliation')}?{WEEK}").content.decode()
    assert "Rejected: not paid: Not delivered that day." in page
    assert f"CP-{week_of_visits.pk:06d}" in page and f"CP-{other.pk:06d}" not in page
    assert own.reference in page and others.reference not in page
    assert client.get(reverse("portal:statement_pdf", args=[others.pk])).status_code == 404
    assert client.get(reverse("portal:statement_pdf", args=[own.pk])).status_code in (200, 202)


def test_the_payable_page_counts_approved_invoices_beside_visits(client, finance_officer, week_of_visits, person):
    from invoices.services import approve_invoice
    from invoices.tests.factories import order_for, record

    _reconciled(client, finance_officer)
    provider = provider_of(week_of_visits)
    order = order_for(person, start=MONDAY - timedelta(weeks=4), provider=provider)
    invoice = record(
        order, finance_officer, number="INV-9", first=MONDAY, last=SUNDAY, amount="123.45", received_on=SUNDAY
    )
    approve_invoice(invoice, acting_user=finance_officer, note="Checked.")
    page = client.get(f"{reverse('finance:payable')}?{WEEK}").content.decode()
    row = page[page.index(f'<th scope="row" class="govuk-table__header">{provider.name}</th>') :]
    row = row[: row.index("</tr>")]
    assert ">1<" in row and "£133.45" in row  # one visit (£10.00) and one invoice (£123.45)


def test_a_provider_sees_its_own_invoices_the_councils_query_and_the_statement_that_paid_one(
    client, finance_officer, person, west_person
):
    from accounts.tests.factories import UserFactory
    from invoices.services import approve_invoice, query_invoice
    from invoices.tests.factories import order_for, record

    order = order_for(person, start=MONDAY - timedelta(weeks=4))
    paid = record(order, finance_officer, number="RH-1", first=MONDAY, last=SUNDAY, amount="700.00", received_on=SUNDAY)
    approve_invoice(paid, acting_user=finance_officer, note="")
    queried = record(
        order, finance_officer, number="RH-2", first=MONDAY, last=SUNDAY, amount="720.00", received_on=SUNDAY
    )
    query_invoice(queried, acting_user=finance_officer, note="The order pays £700.00 for the week: why £720.00?")
    others = record(
        order_for(west_person, start=MONDAY),
        finance_officer,
        number="XX-9",
        first=MONDAY,
        last=SUNDAY,
        amount="100.00",
        received_on=SUNDAY,
    )
    client.force_login(finance_officer)
    client.post(f"{reverse('finance:payable')}?{WEEK}", period(MONDAY, SUNDAY))
    statement = ProviderStatement.objects.get(provider=order.provider)

    client.force_login(UserFactory(roles=[Role.PROVIDER_USER], provider=order.provider))
    page = client.get(reverse("portal:invoices")).content.decode()
    assert "RH-1" in page and "Paid: statement" in page and statement.reference in page
    assert "RH-2" in page and "why £720.00?" in page
    assert others.number not in page
