"""Finance's work on providers' invoices. Each action takes the acting user, runs in one transaction under the
invoice's row lock, refuses with a clear message and changes nothing, and is audited (the machine logs and audits
each step; recording and re-checking are audited here)."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.roles import Role
from audit.services import record_change
from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from purchase_orders.selectors import revisions_of

from .checks import check_invoice, in_force_on
from .models import INVOICE_MACHINE, Invoice

HOME_CARE_REFUSAL = "Home care is paid from call monitoring, not invoices."


class RecordingRefused(ActionRefused):
    """A refusal to record an invoice, naming the form field it is about (for the error to link to)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def _refuse_unless_finance(user) -> None:
    if not (user.is_authenticated and user.has_role(Role.FINANCE_OFFICER)):
        raise ActionRefused("Only a finance officer records invoices.")


def _refuse_bad_terms(*, period_start: date, period_end: date, amount: Decimal) -> None:
    if period_end < period_start:
        raise ActionRefused("The invoice's period must end on or after the day it starts.")
    if amount is None or amount <= 0:
        raise ActionRefused("The amount invoiced must be more than £0.")


def _order_for_period(order, period_start: date):
    """The revision of `order`'s number in force on the invoice's first day; the first revision if the period
    starts before the order did, the latest if after it ended."""
    revisions = revisions_of(order)
    in_force = in_force_on(revisions, period_start)
    if in_force is not None:
        return in_force
    return revisions[0] if period_start < revisions[0].period_start else revisions[-1]


def _already(provider, number: str) -> Invoice | None:
    return Invoice.objects.filter(provider=provider, number__iexact=number).first()


def _duplicate(found: Invoice) -> ActionRefused:
    return RecordingRefused(
        f"Invoice {found.number} from {found.provider} is already recorded ({found.reference}, received "
        f"{found.received_on:%-d %B %Y}): the same invoice is not recorded twice.",
        field="number",
    )


def _apply_check(invoice: Invoice) -> None:
    check = check_invoice(
        invoice.purchase_order,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        amount=invoice.amount,
    )
    invoice.expected_amount = check.expected_amount
    invoice.over_value = check.over_value
    invoice.days_outside_order = check.days_outside_order
    invoice.suspended_days = check.suspended_days
    invoice.check_detail = check.as_detail()


def _check_summary(invoice: Invoice) -> dict:
    return {
        "expected_amount": invoice.expected_amount,
        "over_value": invoice.over_value,
        "days_outside_order": invoice.days_outside_order,
        "suspended_days": invoice.suspended_days,
    }


@transaction.atomic
def record_invoice(
    *,
    acting_user,
    purchase_order,
    number: str,
    period_start: date,
    period_end: date,
    amount: Decimal,
    received_on: date,
) -> Invoice:
    """A provider's invoice recorded against its purchase order (any revision of its number: the invoice is held
    against the revision in force on its first day) and checked against it. Refused, changing nothing, for a home care
    order, a period backwards, an amount of £0 or less, or an invoice number the provider has used before."""
    _refuse_unless_finance(acting_user)
    if purchase_order.service_type == ServiceCode.HOME_CARE:
        raise RecordingRefused(HOME_CARE_REFUSAL, field="purchase_order")
    number = " ".join(number.split())
    if not number:
        raise ActionRefused("Enter the provider's invoice number.")
    _refuse_bad_terms(period_start=period_start, period_end=period_end, amount=amount)
    order = _order_for_period(purchase_order, period_start)
    if found := _already(order.provider, number):
        raise _duplicate(found)
    invoice = Invoice(
        provider=order.provider,
        purchase_order=order,
        care_package_id=order.care_package_id,
        number=number,
        period_start=period_start,
        period_end=period_end,
        amount=amount,
        received_on=received_on,
        recorded_by=acting_user,
        created_by=acting_user,
    )
    _apply_check(invoice)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable after the refusal
            invoice.save()
    except IntegrityError as error:
        if "invoice_number_unique_per_provider" not in str(error):
            raise
        # Recorded by someone else at the same moment.
        raise _duplicate(_already(order.provider, number)) from error
    record_change(
        actor=acting_user,
        obj=invoice,
        person=INVOICE_MACHINE.person_of(invoice),
        created=True,
        summary=f"Recorded invoice {invoice.number} from {invoice.provider} against {order.display_number}",
        changes={"amount": invoice.amount, **_check_summary(invoice)},
    )
    return invoice


def _locked(invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("provider", "purchase_order__agreement__person")
        .get(pk=invoice.pk)
    )


def _take(invoice, name: str, *, acting_user, note: str) -> Invoice:
    """The step, refused with the machine's reason (wrong state, wrong role, a note missing), then logged with its
    note."""
    invoice = _locked(invoice)
    invoice.step_note = note.strip()
    INVOICE_MACHINE.ensure_may(invoice, name, acting_user)
    if unmet := INVOICE_MACHINE.unmet_conditions(invoice, name):
        raise ActionRefused(" ".join(unmet))
    return invoice


@transaction.atomic
def approve_invoice(invoice, *, acting_user, note: str = "") -> Invoice:
    """Approved for payment (finance's payment run pays it, once). A flagged invoice needs a note saying why."""
    invoice = _take(invoice, "approve", acting_user=acting_user, note=note)
    invoice.decided_by, invoice.decided_at = acting_user, timezone.now()
    return INVOICE_MACHINE.apply(invoice, "approve", acting_user=acting_user, note=invoice.step_note)


@transaction.atomic
def query_invoice(invoice, *, acting_user, note: str) -> Invoice:
    """The provider is asked about the invoice (the note says what): it waits for the answer."""
    invoice = _take(invoice, "query", acting_user=acting_user, note=note)
    return INVOICE_MACHINE.apply(invoice, "query", acting_user=acting_user, note=invoice.step_note)


@transaction.atomic
def reject_invoice(invoice, *, acting_user, note: str) -> Invoice:
    """Rejected (the note says why): it is not paid."""
    invoice = _take(invoice, "reject", acting_user=acting_user, note=note)
    invoice.decided_by, invoice.decided_at = acting_user, timezone.now()
    return INVOICE_MACHINE.apply(invoice, "reject", acting_user=acting_user, note=invoice.step_note)


@transaction.atomic
def answer_query(
    invoice,
    *,
    acting_user,
    note: str = "",
    amount: Decimal | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
) -> Invoice:
    """The provider answered a query: a corrected amount or period, if it gave one, replaces the invoice's, the check
    runs again, and the invoice is back to be checked."""
    invoice = _take(invoice, "answer", acting_user=acting_user, note=note)
    before = {"amount": invoice.amount, "period_start": invoice.period_start, "period_end": invoice.period_end}
    invoice.amount = amount if amount is not None else invoice.amount
    invoice.period_start = period_start or invoice.period_start
    invoice.period_end = period_end or invoice.period_end
    _refuse_bad_terms(period_start=invoice.period_start, period_end=invoice.period_end, amount=invoice.amount)
    invoice.purchase_order = _order_for_period(invoice.purchase_order, invoice.period_start)
    _apply_check(invoice)
    invoice = INVOICE_MACHINE.apply(invoice, "answer", acting_user=acting_user, note=invoice.step_note)
    after = {"amount": invoice.amount, "period_start": invoice.period_start, "period_end": invoice.period_end}
    record_change(
        actor=acting_user,
        obj=invoice,
        person=INVOICE_MACHINE.person_of(invoice),
        summary=f"Checked invoice {invoice.number} again after the provider's answer",
        changes={
            **{k: [before[k], after[k]] for k in before if before[k] != after[k]},
            **_check_summary(invoice),
        },
    )
    return invoice
