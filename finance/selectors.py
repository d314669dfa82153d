"""Reading finance's records for its pages."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import CharField, Count, Exists, F, Func, IntegerField, OuterRef, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat

from invoices.selectors import approved_for_payment

from .models import (
    CallMonitoringImport,
    PaymentLine,
    PaymentRun,
    PlannedVisit,
    PlannedVisitRun,
    ProviderStatement,
    ReconciliationRun,
    VisitLine,
)
from .workflows import PAYABLE_STATES, LineState, Outcome


def recent_runs(limit: int = 10):
    return PlannedVisitRun.objects.select_related("run_by")[:limit]


def planned_by_day(first, last):
    """Visits and hours planned on each day of a period."""
    return (
        PlannedVisit.objects.filter(day__range=(first, last))
        .values("day")
        .annotate(visits=Count("id"), minutes=Sum("minutes"))
        .order_by("day")
    )


def recent_imports(limit: int = 20):
    return CallMonitoringImport.objects.defer("content").select_related("uploaded_by")[:limit]


def get_import(import_id: int) -> CallMonitoringImport:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CallMonitoringImport.objects.defer("content").select_related("uploaded_by"), pk=import_id)


# Reconciliation -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProviderSummary:
    """A provider's reconciliation for a period: hours planned and matched, exceptions, what is payable."""

    provider_id: int
    provider_name: str
    planned_minutes: int
    matched_minutes: int
    exceptions: int
    open_exceptions: int
    payable_pence: int
    paid_pence: int

    @property
    def planned_hours(self) -> Decimal:
        return (Decimal(self.planned_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def matched_hours(self) -> Decimal:
        return (Decimal(self.matched_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def matched_percent(self) -> int:
        return self.matched_minutes * 100 // self.planned_minutes if self.planned_minutes else 0


def reconciliation_by_provider(first: date, last: date, *, provider_id: int | None = None) -> list[ProviderSummary]:
    """Each provider's reconciled visits of the period, in one query: planned and matched hours (a visit's
    planned time, when matched), exceptions (all, and still to decide), and pence payable and already paid."""
    lines = VisitLine.objects.filter(day__range=(first, last))
    if provider_id is not None:
        lines = lines.filter(provider_id=provider_id)
    paid = Exists(PaymentLine.objects.filter(visit_line=OuterRef("pk")))
    rows = (
        lines.values("provider_id", "provider__name")
        .annotate(
            planned=Coalesce(Sum("planned_minutes"), 0),
            matched=Coalesce(Sum("planned_minutes", filter=Q(outcome=Outcome.MATCHED)), 0),
            exceptions=Count("id", filter=~Q(outcome=Outcome.MATCHED)),
            open=Count("id", filter=Q(state=LineState.OPEN)),
            payable=Coalesce(Sum("amount_pence", filter=Q(state__in=PAYABLE_STATES)), 0),
            paid=Coalesce(Sum("amount_pence", filter=paid), 0),
        )
        .order_by("provider__name")
    )
    return [
        ProviderSummary(
            r["provider_id"],
            r["provider__name"],
            r["planned"],
            r["matched"],
            r["exceptions"],
            r["open"],
            r["payable"],
            r["paid"],
        )
        for r in rows
    ]


def exceptions(*, first: date | None, last: date | None, provider_id=None, outcome="", state="open"):
    """Exceptions to work, oldest day first, filtered as the list's form says."""
    found = VisitLine.objects.exclude(outcome=Outcome.MATCHED).select_related("provider", "planned", "actual")
    if first and last:
        found = found.filter(day__range=(first, last))
    if provider_id:
        found = found.filter(provider_id=provider_id)
    if outcome:
        found = found.filter(outcome=outcome)
    if state == "open":
        found = found.filter(state=LineState.OPEN)
    elif state == "decided":
        found = found.exclude(state=LineState.OPEN)
    return found.order_by("day", "provider__name", "id")


def get_line(line_id: int, *, provider=None) -> VisitLine:
    """One reconciled visit; for a provider's user, only its own provider's (another's is not found)."""
    from django.shortcuts import get_object_or_404

    found = VisitLine.objects.select_related("provider", "planned", "actual", "package", "decided_by")
    if provider is not None:
        found = found.filter(provider=provider)
    return get_object_or_404(found, pk=line_id)


def reconciliation_runs(limit: int = 10):
    return ReconciliationRun.objects.select_related("run_by", "tolerances")[:limit]


def payment_runs(limit: int = 20):
    return PaymentRun.objects.select_related("made_by").annotate(providers=Count("statements"))[:limit]


def get_payment_run(run_id: int) -> PaymentRun:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PaymentRun.objects.select_related("made_by"), pk=run_id)


def statements_of(run):
    return run.statements.select_related("provider").order_by("provider__name")


def statements_for_provider(provider, limit: int = 20):
    return (
        ProviderStatement.objects.filter(provider=provider)
        .select_related("run")
        .order_by("-run__made_at", "-id")[:limit]
    )


def payable_invoices(first: date, last: date):
    """Approved invoices (the invoices app says which) whose period ends in the run's, not paid before: in pence
    (the amount's two decimal places times 100, exact), with what the statement says of each."""
    return (
        approved_for_payment()
        .filter(period_end__range=(first, last))
        .exclude(Exists(PaymentLine.objects.filter(invoice=OuterRef("pk"))))
        .annotate(
            pence=Cast(F("amount") * 100, IntegerField()),
            description=Concat(
                Value("Invoice "),
                F("number"),
                Value(", "),
                Func(F("period_start"), Value("DD/MM/YYYY"), function="to_char", output_field=CharField()),
                Value(" to "),
                Func(F("period_end"), Value("DD/MM/YYYY"), function="to_char", output_field=CharField()),
                Value(", PO-"),
                Cast(F("purchase_order__year"), CharField()),
                Value("-"),
                Func(
                    Cast(F("purchase_order__sequence"), CharField()),
                    Value(6),
                    Value("0"),
                    function="lpad",
                    output_field=CharField(),
                ),
                output_field=CharField(),
            ),
        )
        .values("id", "provider_id", "period_end", "pence", "description")
    )


def payable_by_provider(first: date, last: date) -> list[dict]:
    """What a payment run of the period would pay each provider now: payable and accepted visits, and approved
    invoices ending in it, not yet paid. Two grouped queries, put together by provider."""
    rows: dict[int, dict] = {}
    visits = (
        VisitLine.objects.filter(day__range=(first, last), state__in=PAYABLE_STATES)
        .exclude(Exists(PaymentLine.objects.filter(visit_line=OuterRef("pk"))))
        .values("provider_id", "provider__name")
        .annotate(count=Count("id"), pence=Sum("amount_pence"))
    )
    invoices = (
        payable_invoices(first, last)
        .values("provider_id", "provider__name")
        .annotate(count=Count("id"), total=Sum("pence"))
        .values("provider_id", "provider__name", "count", "total")
    )
    for kind, found in (("visits", visits), ("invoices", invoices)):
        for r in found:
            row = rows.setdefault(
                r["provider_id"], {"provider__name": r["provider__name"], "visits": 0, "invoices": 0, "pence": 0}
            )
            row[kind] = r["count"]
            row["pence"] += r["pence"] if kind == "visits" else r["total"]
    return sorted(rows.values(), key=lambda row: row["provider__name"])


def statements_paying(invoice_ids) -> dict[int, ProviderStatement]:
    """For each of these invoices a payment run has paid, the statement it was paid on. One query."""
    lines = PaymentLine.objects.filter(invoice_id__in=list(invoice_ids)).select_related("statement__run")
    return {line.invoice_id: line.statement for line in lines}
