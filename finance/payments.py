"""Payment runs: everything payable in a period, paid once, a statement per provider (issue 16).

What a run pays, for the days of its period: each reconciled visit that is payable (matched) or accepted, and
each approved invoice whose period ends in it, that no earlier run paid. Amounts are integer pence from end to
end, so a statement's total is the sum of its lines exactly, and the run's the sum of its statements.

Nothing is paid twice: a payment line points at what it pays, and each thing can be pointed at once (a unique
constraint). Two runs started at the same moment queue on one lock; the second then finds nothing left to pay
and is refused, with nothing changed."""

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from audit.services import record_change
from core.exceptions import ActionRefused
from core.tasks import enqueue
from packages.selectors import reference_sql

from .models import PaymentLine, PaymentRun, PlannedVisit, ProviderStatement, VisitLine
from .selectors import payable_invoices
from .services import LONGEST_PERIOD, long_date, pounds, refuse_unless_finance
from .workflows import PAYABLE_STATES

_PAYMENT_LOCK = 160_018  # pg_advisory_xact_lock key: one payment run at a time


def _payable_visits_sql() -> str:
    line, paid = VisitLine._meta.db_table, PaymentLine._meta.db_table
    states = ", ".join(f"'{state}'" for state in PAYABLE_STATES)
    # What the statement says of each visit: the package's reference, its day and planned time, the minutes paid.
    return f"""
        SELECT l.id AS visit_line_id, l.provider_id, l.day, l.amount_pence,
               {reference_sql("l.package_id")} || ' ' || to_char(l.day, 'DD/MM/YYYY')
               || COALESCE(' ' || to_char(pv.planned_start AT TIME ZONE 'Europe/London', 'HH24:MI'), '')
               || ': ' || l.payable_minutes || ' min, ' || l.outcome AS description
        FROM {line} l LEFT JOIN {PlannedVisit._meta.db_table} pv ON pv.id = l.planned_id
        WHERE l.day BETWEEN %(first)s AND %(last)s AND l.state IN ({states})
          AND NOT EXISTS (SELECT 1 FROM {paid} p WHERE p.visit_line_id = l.id)
    """


@transaction.atomic
def make_payment_run(period_from: date, period_to: date, *, acting_user) -> PaymentRun:
    refuse_unless_finance(acting_user)
    if period_to < period_from:
        raise ActionRefused("The period's last day must be on or after its first day.")
    if period_to - period_from >= LONGEST_PERIOD:
        raise ActionRefused("Pay at most 92 days at a time.")
    if period_to >= timezone.localdate():
        raise ActionRefused("Pay for days that are over: the last day must be before today.")
    period = {"first": period_from, "last": period_to}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PAYMENT_LOCK])
        run = PaymentRun.objects.create(first_day=period_from, last_day=period_to, total_pence=0, made_by=acting_user)
        statements, lines = ProviderStatement._meta.db_table, PaymentLine._meta.db_table
        invoices_sql, invoices_params = payable_invoices(period_from, period_to).query.sql_with_params()
        cursor.execute("DROP TABLE IF EXISTS pay_due, pay_invoice_due")  # a second run in one transaction (tests)
        cursor.execute(f"CREATE TEMP TABLE pay_invoice_due ON COMMIT DROP AS {invoices_sql}", invoices_params)
        cursor.execute(
            f"""CREATE TEMP TABLE pay_due ON COMMIT DROP AS {_payable_visits_sql()};
                INSERT INTO {statements} (run_id, provider_id, visits, invoices, total_pence, pdf)
                SELECT %(run)s, provider_id, count(visit_line_id), count(invoice_id), sum(amount_pence), ''
                FROM (SELECT provider_id, visit_line_id, NULL::bigint AS invoice_id, amount_pence FROM pay_due
                      UNION ALL
                      SELECT provider_id, NULL, id, pence FROM pay_invoice_due) due
                GROUP BY provider_id;
                INSERT INTO {lines} (statement_id, visit_line_id, invoice_id, day, description, amount_pence)
                SELECT s.id, d.visit_line_id, NULL, d.day, d.description, d.amount_pence
                FROM pay_due d JOIN {statements} s ON s.run_id = %(run)s AND s.provider_id = d.provider_id
                UNION ALL
                SELECT s.id, NULL, i.id, i.period_end, i.description, i.pence
                FROM pay_invoice_due i JOIN {statements} s ON s.run_id = %(run)s AND s.provider_id = i.provider_id""",
            {**period, "run": run.pk},
        )
    totals = [s.total_pence for s in run.statements.all()]
    if not totals:
        raise ActionRefused(
            f"Nothing is left to pay from {long_date(period_from)} to {long_date(period_to)}: "
            "everything payable in it has been paid."
        )
    run.total_pence = sum(totals)
    run.save(update_fields=["total_pence"])
    record_change(
        actor=acting_user,
        obj=run,
        summary=(
            f"Payment run {run.reference} for {long_date(period_from)} to {long_date(period_to)}: "
            f"{pounds(run.total_pence)} to {len(totals)} providers"
        ),
        changes={"total_pence": run.total_pence, "statements": len(totals)},
        created=True,
    )
    from .tasks import render_statement

    for statement_id in run.statements.values_list("pk", flat=True):
        enqueue(render_statement, statement_id)
    return run


def render_statement(statement_id: int) -> bool:
    """Render and keep a statement's PDF unless it has one. True if this call stored it."""
    from .pdf import render_statement_pdf

    statement = ProviderStatement.objects.select_related("run", "provider").get(pk=statement_id)
    if statement.pdf:
        return False
    return _store_statement(statement.pk, render_statement_pdf(statement))


@transaction.atomic
def _store_statement(statement_id: int, pdf_bytes: bytes) -> bool:
    from django.core.files.base import ContentFile

    statement = ProviderStatement.objects.select_for_update().select_related("run").get(pk=statement_id)
    if statement.pdf:
        return False
    statement.pdf.save(f"{statement.reference}.pdf", ContentFile(pdf_bytes), save=False)
    statement.pdf_rendered_at = timezone.now()
    statement.save(update_fields=["pdf", "pdf_rendered_at"])
    return True


CSV_HEADER = [
    "run",
    "statement",
    "provider_id",
    "provider",
    "day",
    "description",
    "amount_pence",
    "amount",
]


def csv_rows(run):
    """The run's lines for the council's finance system, a row each, statement by statement: amounts in pence
    and in pounds (text, exact). Read in chunks, so a county's week is never all in memory."""
    from core.spreadsheets import safe_cell

    lines = (
        PaymentLine.objects.filter(statement__run=run)
        .select_related("statement__provider")
        .order_by("statement__provider__name", "statement_id", "day", "id")
    )
    yield CSV_HEADER
    for line in lines.iterator(chunk_size=5000):
        statement = line.statement
        yield [
            run.reference,
            statement.reference,
            statement.provider_id,
            safe_cell(statement.provider.name),
            line.day.isoformat(),
            safe_cell(line.description),
            line.amount_pence,
            f"{line.amount_pence // 100}.{line.amount_pence % 100:02d}",
        ]
