"""The invoice's machine (invoices.workflows) and finance's actions on it (invoices.services): each step taken by a
finance officer from its state, and refused, with its reason and nothing changed, to anyone else, from another
state, or without the note it needs. Then recording: the same invoice twice, a home care order."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from invoices import services
from invoices.models import INVOICE_MACHINE, Invoice, InvoiceTransition
from invoices.workflows import State
from packages.tests.factories import suspend

from .factories import day, order_for, record, with_package

pytestmark = pytest.mark.django_db


def fresh(invoice) -> Invoice:
    return Invoice.objects.get(pk=invoice.pk)


def assert_refused(action, message: str) -> None:
    """`action()` is refused with `message` and nothing at all has changed."""

    def world():
        return list(Invoice.objects.order_by("pk").values()), InvoiceTransition.objects.count()

    before = world()
    with pytest.raises(ActionRefused, match=re.escape(message)):
        action()
    assert world() == before


@pytest.fixture
def invoice(person, finance_officer):
    return record(order_for(person), finance_officer)


@pytest.fixture
def flagged(person, finance_officer):
    return record(order_for(person), finance_officer, amount="700.01")


@pytest.fixture
def queried(invoice, finance_officer):
    return services.query_invoice(invoice, acting_user=finance_officer, note="Which week is this for?")


def last_step(invoice) -> tuple:
    step = InvoiceTransition.objects.filter(invoice=invoice).last()
    return step.name, step.source, step.target, step.by, step.note


# approve -----------------------------------------------------------------------------------------------------
def test_a_finance_officer_approves_a_clean_invoice(invoice, finance_officer):
    approved = services.approve_invoice(invoice, acting_user=finance_officer)
    approved = fresh(approved)
    assert (approved.state, approved.decided_by) == (State.APPROVED, finance_officer)
    assert approved.decided_at is not None
    assert last_step(approved) == ("approve", State.RECEIVED, State.APPROVED, finance_officer, "")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITIONED, object_id=str(invoice.pk)).exists()


def test_a_flagged_invoice_is_approved_with_a_note_saying_why(flagged, finance_officer):
    services.approve_invoice(flagged, acting_user=finance_officer, note="Agreed a one-off extra with the home.")
    assert fresh(flagged).state == State.APPROVED
    assert last_step(flagged)[4] == "Agreed a one-off extra with the home."


def test_a_flagged_invoice_is_not_approved_without_a_note(flagged, finance_officer):
    assert_refused(
        lambda: services.approve_invoice(flagged, acting_user=finance_officer, note="  "),
        "The check flagged this invoice: say why it is approved all the same.",
    )


def test_approval_is_refused_to_anyone_but_finance(invoice, officer_east, head_of_service):
    for user in (officer_east, head_of_service):
        assert_refused(
            lambda user=user: services.approve_invoice(invoice, acting_user=user),
            "Only a finance officer checks, approves, queries or rejects invoices.",
        )


def test_an_invoice_is_approved_only_once_and_not_while_queried(invoice, finance_officer):
    services.query_invoice(invoice, acting_user=finance_officer, note="Which week?")
    assert_refused(
        lambda: services.approve_invoice(invoice, acting_user=finance_officer),
        "An invoice that is “queried with the provider” cannot do this.",
    )
    services.answer_query(invoice, acting_user=finance_officer)
    services.approve_invoice(invoice, acting_user=finance_officer)
    assert_refused(
        lambda: services.approve_invoice(invoice, acting_user=finance_officer),
        "An invoice that is “approved for payment” cannot do this.",
    )


# query -------------------------------------------------------------------------------------------------------
def test_a_finance_officer_queries_an_invoice_with_a_note(invoice, finance_officer):
    services.query_invoice(invoice, acting_user=finance_officer, note="Which week is this for?")
    assert fresh(invoice).state == State.QUERIED
    assert last_step(invoice) == ("query", State.RECEIVED, State.QUERIED, finance_officer, "Which week is this for?")


def test_a_query_needs_a_note_and_a_finance_officer(invoice, finance_officer, officer_east):
    assert_refused(
        lambda: services.query_invoice(invoice, acting_user=finance_officer, note=""),
        "Say what the provider is asked about the invoice.",
    )
    assert_refused(
        lambda: services.query_invoice(invoice, acting_user=officer_east, note="Why?"),
        "Only a finance officer checks, approves, queries or rejects invoices.",
    )


def test_a_decided_invoice_is_not_queried(invoice, finance_officer):
    services.approve_invoice(invoice, acting_user=finance_officer)
    assert_refused(
        lambda: services.query_invoice(invoice, acting_user=finance_officer, note="Why?"),
        "An invoice that is “approved for payment” cannot do this.",
    )


# answer ------------------------------------------------------------------------------------------------------
def test_the_providers_answer_records_a_correction_and_checks_again(person, finance_officer):
    order = order_for(person)
    invoice = record(order, finance_officer, last=day(8), amount="800.00")
    assert (invoice.days_outside_order, invoice.over_value) == (0, False)
    suspend(with_package(order), valid_from=day(8), valid_to=day(9))  # recorded since
    services.query_invoice(invoice, acting_user=finance_officer, note="The 8th: was she in hospital?")
    answered = services.answer_query(
        invoice,
        acting_user=finance_officer,
        note="Corrected invoice to the 7th.",
        amount=Decimal("700.00"),
        period_end=day(7),
    )
    answered = fresh(answered)
    assert (answered.state, answered.amount, answered.period_end) == (State.RECEIVED, Decimal("700.00"), day(7))
    assert (answered.expected_amount, answered.is_flagged) == (Decimal("700.00"), False)
    assert last_step(answered) == (
        "answer",
        State.QUERIED,
        State.RECEIVED,
        finance_officer,
        "Corrected invoice to the 7th.",
    )


def test_an_answer_with_nothing_corrected_checks_again_what_has_changed_since(person, finance_officer):
    order = order_for(person)
    invoice = record(order, finance_officer)
    suspend(with_package(order), valid_from=day(7), valid_to=day(8))
    services.query_invoice(invoice, acting_user=finance_officer, note="The 7th?")
    answered = fresh(services.answer_query(invoice, acting_user=finance_officer))
    assert (answered.suspended_days, answered.expected_amount, answered.over_value) == (1, Decimal("600.00"), True)


def test_only_a_queried_invoice_is_answered_and_only_by_finance(invoice, finance_officer, officer_east):
    assert_refused(
        lambda: services.answer_query(invoice, acting_user=finance_officer),
        "An invoice that is “received: to check” cannot do this.",
    )
    services.query_invoice(invoice, acting_user=finance_officer, note="Which week?")
    assert_refused(
        lambda: services.answer_query(invoice, acting_user=officer_east),
        "Only a finance officer checks, approves, queries or rejects invoices.",
    )


def test_an_answer_with_a_period_backwards_is_refused(queried, finance_officer):
    assert_refused(
        lambda: services.answer_query(queried, acting_user=finance_officer, period_start=day(9)),
        "The invoice's period must end on or after the day it starts.",
    )


# reject ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["received", "queried"])
def test_a_finance_officer_rejects_an_invoice_with_a_note(invoice, finance_officer, source):
    if source == "queried":
        services.query_invoice(invoice, acting_user=finance_officer, note="Which week?")
    services.reject_invoice(invoice, acting_user=finance_officer, note="Not our order.")
    rejected = fresh(invoice)
    assert (rejected.state, rejected.decided_by) == (State.REJECTED, finance_officer)
    assert last_step(rejected)[2:] == (State.REJECTED, finance_officer, "Not our order.")


def test_a_rejection_needs_a_note_and_a_finance_officer(invoice, finance_officer, officer_east):
    assert_refused(
        lambda: services.reject_invoice(invoice, acting_user=finance_officer, note=" "),
        "Say why the invoice is rejected.",
    )
    assert_refused(
        lambda: services.reject_invoice(invoice, acting_user=officer_east, note="No."),
        "Only a finance officer checks, approves, queries or rejects invoices.",
    )


def test_a_decided_invoice_is_not_rejected(invoice, finance_officer):
    services.approve_invoice(invoice, acting_user=finance_officer)
    assert_refused(
        lambda: services.reject_invoice(invoice, acting_user=finance_officer, note="No."),
        "An invoice that is “approved for payment” cannot do this.",
    )


def test_the_state_moves_only_by_a_step(invoice):
    with pytest.raises(AttributeError):
        invoice.state = State.APPROVED


MACHINE = INVOICE_MACHINE
STEP_TESTS = {
    "approve": (
        [
            "test_a_finance_officer_approves_a_clean_invoice",
            "test_a_flagged_invoice_is_approved_with_a_note_saying_why",
        ],
        [
            "test_a_flagged_invoice_is_not_approved_without_a_note",
            "test_approval_is_refused_to_anyone_but_finance",
            "test_an_invoice_is_approved_only_once_and_not_while_queried",
        ],
    ),
    "query": (
        ["test_a_finance_officer_queries_an_invoice_with_a_note"],
        ["test_a_query_needs_a_note_and_a_finance_officer", "test_a_decided_invoice_is_not_queried"],
    ),
    "answer": (
        [
            "test_the_providers_answer_records_a_correction_and_checks_again",
            "test_an_answer_with_nothing_corrected_checks_again_what_has_changed_since",
        ],
        [
            "test_only_a_queried_invoice_is_answered_and_only_by_finance",
            "test_an_answer_with_a_period_backwards_is_refused",
        ],
    ),
    "reject": (
        [
            "test_a_finance_officer_rejects_an_invoice_with_a_note[received]",
            "test_a_finance_officer_rejects_an_invoice_with_a_note[queried]",
        ],
        ["test_a_rejection_needs_a_note_and_a_finance_officer", "test_a_decided_invoice_is_not_rejected"],
    ),
}


# Recording ---------------------------------------------------------------------------------------------------
def test_recording_is_audited_and_starts_received(invoice, finance_officer):
    assert (invoice.state, invoice.recorded_by, invoice.provider) == (
        State.RECEIVED,
        finance_officer,
        invoice.purchase_order.provider,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATED, summary__startswith="Recorded invoice INV-1")
    assert event.object_id == str(invoice.pk)
    assert event.person_id == invoice.purchase_order.agreement.person_id


def test_the_same_invoice_number_from_the_same_provider_is_refused_whatever_its_case(invoice, finance_officer):
    order = invoice.purchase_order
    assert_refused(
        lambda: record(order, finance_officer, number=" inv-1 "),
        f"Invoice INV-1 from {order.provider} is already recorded ({invoice.reference}, received 10 March 2027): "
        "the same invoice is not recorded twice.",
    )


def test_another_provider_may_use_the_same_invoice_number(invoice, person, finance_officer):
    other = record(order_for(person), finance_officer, number="INV-1")
    assert other.provider != invoice.provider


def test_the_same_invoice_recorded_at_the_same_moment_is_refused_by_the_database(invoice, finance_officer, monkeypatch):
    """The service's own look finds nothing (the other was not committed yet): the unique constraint refuses it."""
    real = services._already
    calls = []

    def not_seen_at_first(provider, number):
        calls.append(number)
        return None if len(calls) == 1 else real(provider, number)

    monkeypatch.setattr(services, "_already", not_seen_at_first)
    assert_refused(lambda: record(invoice.purchase_order, finance_officer, number="Inv-1"), "is already recorded")
    assert len(calls) == 2


def test_a_home_care_order_is_not_invoiced(person, finance_officer):
    order = order_for(person, service_type="home_care")
    assert_refused(lambda: record(order, finance_officer), "Home care is paid from call monitoring, not invoices.")


def test_only_a_finance_officer_records_an_invoice(person, officer_east):
    order = order_for(person)
    assert_refused(lambda: record(order, officer_east), "Only a finance officer records invoices.")


def test_a_period_backwards_or_an_amount_of_nothing_is_refused(person, finance_officer):
    order = order_for(person)
    assert_refused(
        lambda: record(order, finance_officer, first=day(7), last=day(1)),
        "The invoice's period must end on or after the day it starts.",
    )
    assert_refused(lambda: record(order, finance_officer, amount="0"), "The amount invoiced must be more than £0.")


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"period_start": day(7), "period_end": day(1)}, "invoice_period_in_order"),
        ({"amount": Decimal("0")}, "invoice_amount_positive"),
        ({"number": "inv-1"}, "invoice_number_unique_per_provider"),
    ],
)
def test_the_database_keeps_the_rules(invoice, fields, constraint):
    row = {
        "provider": invoice.provider,
        "purchase_order": invoice.purchase_order,
        "number": "INV-2",
        "period_start": day(1),
        "period_end": day(7),
        "amount": Decimal("1"),
        "received_on": day(10),
        "recorded_by": invoice.recorded_by,
        **fields,
    }
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Invoice.objects.create(**row)
