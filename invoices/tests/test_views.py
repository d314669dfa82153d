"""The invoice pages: recording through the form, the checks in words, the steps the machine offers, unknown ids,
and every role but finance turned away."""

from decimal import Decimal

import pytest
from django.urls import reverse

from invoices import services
from invoices.models import Invoice, InvoiceTransition
from invoices.workflows import State
from packages.tests.factories import suspend

from .factories import day, order_for, record, revise, with_package

pytestmark = pytest.mark.django_db


def form(order_number: str, *, number="INV-77", first=None, last=None, amount="700.00", received=None) -> dict:
    first, last, received = first or day(1), last or day(7), received or day(10)
    return {
        "purchase_order": order_number,
        "number": number,
        "period_start_day": first.day,
        "period_start_month": first.month,
        "period_start_year": first.year,
        "period_end_day": last.day,
        "period_end_month": last.month,
        "period_end_year": last.year,
        "amount": amount,
        "received_on_day": received.day,
        "received_on_month": received.month,
        "received_on_year": received.year,
    }


def test_a_finance_officer_records_an_invoice_and_is_taken_to_it(client, finance_officer, person):
    order = order_for(person)
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:record"), form(f"  {order.number.lower()} "), follow=True)
    invoice = Invoice.objects.get()
    assert response.redirect_chain == [(invoice.get_absolute_url(), 302)]
    page = response.content.decode()
    assert f"Invoice INV-77 from {order.provider} is recorded against {order.number}" in page
    assert "Its checks found nothing to flag." in page
    assert "Nothing to flag" in page
    assert (invoice.amount, invoice.purchase_order, invoice.recorded_by) == (Decimal("700.00"), order, finance_officer)


def test_an_order_typed_with_its_revision_is_found(client, finance_officer, person):
    order = order_for(person)
    second = revise(order, period_start=day(8), weekly_cost="1400.00")
    client.force_login(finance_officer)
    response = client.post(
        reverse("invoices:record"), form(f"{order.number} Revision 2", first=day(8), last=day(14), amount="1400")
    )
    assert response.status_code == 302
    assert Invoice.objects.get().purchase_order == second


@pytest.mark.parametrize(
    "typed, error",
    [
        ("", "Enter the purchase order number"),
        ("123", "Enter the purchase order number as it is printed on the order"),
        ("PO-2027-123", "Enter the purchase order number as it is printed on the order"),
        ("PO 2027 000123", "Enter the purchase order number as it is printed on the order"),
        ("PO-2027-000999 revision", "Enter the purchase order number as it is printed on the order"),
        ("PO-1999-000001", "There is no purchase order PO-1999-000001"),
    ],
)
def test_a_bad_order_number_is_a_form_error(client, finance_officer, person, typed, error):
    order_for(person)
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:record"), form(typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert 'href="#id_purchase_order"' in page
    assert not Invoice.objects.exists()


def test_a_revision_that_does_not_exist_is_a_form_error(client, finance_officer, person):
    order = order_for(person)
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:record"), form(f"{order.number} revision 4"))
    assert f"Purchase order {order.number} has no revision 4" in response.content.decode()


def test_the_same_invoice_twice_from_the_form_is_an_error_on_its_number(client, finance_officer, person):
    order = order_for(person)
    client.force_login(finance_officer)
    assert client.post(reverse("invoices:record"), form(order.number)).status_code == 302
    response = client.post(reverse("invoices:record"), form(order.number, number="inv-77"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "is already recorded" in page and 'href="#id_number"' in page
    assert Invoice.objects.count() == 1


def test_a_home_care_order_is_refused_on_the_form(client, finance_officer, person):
    order = order_for(person, service_type="home_care")
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:record"), form(order.number))
    assert "Home care is paid from call monitoring, not invoices." in response.content.decode()
    assert not Invoice.objects.exists()


def test_the_form_says_what_is_missing_or_wrong(client, finance_officer, person):
    order = order_for(person)
    client.force_login(finance_officer)
    data = form(order.number, first=day(7), last=day(1), amount="-3")
    data["number"] = ""
    page = client.post(reverse("invoices:record"), data).content.decode()
    assert "Enter the provider&#x27;s invoice number" in page
    assert "The period must end on or after the day it starts" in page
    assert "The amount must be more than £0" in page


def test_the_page_shows_the_checks_in_words_and_the_steps_the_machine_offers(client, finance_officer, person):
    order = order_for(person)
    suspend(with_package(order), valid_from=day(12), valid_to=day(15))
    invoice = record(order, finance_officer, first=day(8), last=day(14), amount="700.00")
    client.force_login(finance_officer)
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "3 days of this period the package was suspended: 12 to 14 March 2027." in page
    assert "The amount invoiced, £700.00, is £300.00 more than the order pays for this period, £400.00." in page
    assert "Approve for payment" in page and "Query with the provider" in page and "Reject the invoice" in page
    assert "Record the provider" not in page  # answering is for a queried invoice
    assert "How a provider&#x27;s invoice is checked" in page or "How a provider's invoice is checked" in page


def test_approving_a_flagged_invoice_from_the_page_needs_a_note(client, finance_officer, person):
    invoice = record(order_for(person), finance_officer, amount="800.00")
    client.force_login(finance_officer)
    url = reverse("invoices:step", args=[invoice.pk, "approve"])
    response = client.post(url, {"approve-note": ""}, follow=True)
    assert "The check flagged this invoice: say why it is approved all the same." in response.content.decode()
    assert Invoice.objects.get().state == State.RECEIVED
    response = client.post(url, {"approve-note": "Extra night agreed."}, follow=True)
    assert "The invoice is approved for payment." in response.content.decode()
    assert Invoice.objects.get().state == State.APPROVED
    assert "Extra night agreed." in response.content.decode()  # in its history


def test_a_query_without_a_note_comes_back_with_the_error(client, finance_officer, person):
    invoice = record(order_for(person), finance_officer)
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:step", args=[invoice.pk, "query"]), {"query-note": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter what the provider is asked about the invoice" in page and 'href="#id_query-note"' in page
    assert not InvoiceTransition.objects.exists()


def test_query_then_answer_with_a_correction_from_the_page(client, finance_officer, person):
    invoice = record(order_for(person), finance_officer, amount="800.00")
    client.force_login(finance_officer)
    client.post(reverse("invoices:step", args=[invoice.pk, "query"]), {"query-note": "Why £800?"})
    page = client.get(invoice.get_absolute_url()).content.decode()
    assert "Record the provider" in page and "Approve for payment" not in page
    response = client.post(
        reverse("invoices:step", args=[invoice.pk, "answer"]),
        {"answer-note": "Typo: £700.", "answer-amount": "700.00"},
        follow=True,
    )
    assert "checked again" in response.content.decode()
    invoice = Invoice.objects.get()
    assert (invoice.state, invoice.amount, invoice.over_value) == (State.RECEIVED, Decimal("700.00"), False)


def test_a_refused_step_says_why_and_changes_nothing(client, finance_officer, person):
    invoice = record(order_for(person), finance_officer)
    services.approve_invoice(invoice, acting_user=finance_officer)
    client.force_login(finance_officer)
    response = client.post(reverse("invoices:step", args=[invoice.pk, "reject"]), {"reject-note": "No"}, follow=True)
    assert "An invoice that is “approved for payment” cannot do this." in response.content.decode()
    assert Invoice.objects.get().state == State.APPROVED


def test_unknown_ids_and_steps_are_not_found(client, finance_officer, person):
    invoice = record(order_for(person), finance_officer)
    client.force_login(finance_officer)
    assert client.get(reverse("invoices:detail", args=[invoice.pk + 1000])).status_code == 404
    assert client.post(reverse("invoices:step", args=[invoice.pk + 1000, "approve"])).status_code == 404
    assert client.post(reverse("invoices:step", args=[invoice.pk, "pay"])).status_code == 404
    assert client.get(reverse("invoices:step", args=[invoice.pk, "approve"])).status_code == 405


def test_the_waiting_list_filters_by_provider_and_period(client, finance_officer, person):
    first = record(order_for(person), finance_officer, number="A", received_on=day(12))
    second = record(order_for(person), finance_officer, number="B", first=day(15), last=day(21), received_on=day(11))
    decided = record(order_for(person), finance_officer, number="C")
    services.reject_invoice(decided, acting_user=finance_officer, note="Duplicate of A")
    client.force_login(finance_officer)
    url = reverse("invoices:waiting")
    page = client.get(url).content.decode()
    assert page.index(">B</a>") < page.index(">A</a>") and ">C</a>" not in page  # oldest received first
    page = client.get(url, {"provider": first.provider_id}).content.decode()
    assert ">A</a>" in page and ">B</a>" not in page
    after = {"period_from_day": "14", "period_from_month": "3", "period_from_year": "2027"}
    page = client.get(url, after).content.decode()
    assert ">B</a>" in page and ">A</a>" not in page
    response = client.get(url, {"period_from_day": "31", "period_from_month": "2", "period_from_year": "2027"})
    assert response.status_code == 400 and "must be a real date" in response.content.decode()
    assert second.state == State.RECEIVED


def test_the_finance_officers_home_page_links_to_invoices(client, finance_officer):
    client.force_login(finance_officer)
    assert reverse("invoices:waiting") in client.get(reverse("home")).content.decode()


def test_only_a_finance_officer_records_or_decides_an_invoice_whatever_their_role(client, person, finance_officer):
    """The POST side of the permission matrix: every other role is turned away, and nothing changes."""
    from accounts.tests.factories import UserFactory
    from core.tests.matrix import ROLES
    from providers.tests.factories import ProviderFactory

    order = order_for(person)
    invoice = record(order, finance_officer, number="KEEP")
    for role, (groups, team) in sorted(ROLES.items(), key=lambda item: item[0] == "finance"):  # finance last
        provider = ProviderFactory() if role == "provider" else None
        client.force_login(UserFactory(roles=groups, team=team, provider=provider))
        recorded = client.post(reverse("invoices:record"), form(order.number, number=f"N-{role}"))
        approved = client.post(reverse("invoices:step", args=[invoice.pk, "approve"]), {"approve-note": ""})
        expected = 302 if role == "finance" else 403
        assert (role, recorded.status_code, approved.status_code) == (role, expected, expected)
        if role != "finance":
            assert Invoice.objects.count() == 1 and Invoice.objects.get().state == State.RECEIVED
    assert Invoice.objects.get(number="KEEP").state == State.APPROVED
    client.logout()
    assert client.post(reverse("invoices:record"), form(order.number, number="ANON")).status_code == 302  # to sign in
    assert not Invoice.objects.filter(number="ANON").exists()
