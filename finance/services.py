"""Finance's actions: generating the planned visits of a period, and taking in a call monitoring file. Each takes
the acting user, refuses with ActionRefused (nothing changed) and is audited."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction

from accounts.roles import Role
from audit.services import record_change
from core.exceptions import ActionRefused
from core.tasks import enqueue
from packages.selectors import scheduled_visits_sql

from .importing import MAX_BYTES, check_header
from .models import CallMonitoringImport, PaymentLine, PlannedVisit, PlannedVisitRun, VisitLine

LONGEST_PERIOD = timedelta(days=92)  # a quarter: a longer period is a mistake, not a plan
VISITS_LOCK = 160_016  # pg_advisory_xact_lock key: one generation or reconciliation at a time


def refuse_unless_finance(user) -> None:
    if not user.has_role(Role.FINANCE_OFFICER):
        raise ActionRefused("Only a finance officer can do this.")


def pounds(pence: int) -> str:
    """Pence as pounds for people, exactly (Decimal, never a float): 123456 is £1,234.56."""
    return f"£{Decimal(pence) / 100:,.2f}"


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


@transaction.atomic
def generate_planned_visits(period_from: date, period_to: date, *, acting_user) -> PlannedVisitRun:
    """The visits every home care package plans on each day from `period_from` to `period_to` (both included), as
    the terms in force each day have them (packages.selectors.SCHEDULED_VISITS_SQL), in one statement: the visits
    not yet there are added, those there already are left as they are, and those no longer in force (a suspension,
    a change of terms recorded since) are taken away with their reconciliation, unless finance has decided it or
    paid it (then the visit stays, as the record of what was paid or refused)."""
    refuse_unless_finance(acting_user)
    if period_to < period_from:
        raise ActionRefused("The period's last day must be on or after its first day.")
    if period_to - period_from >= LONGEST_PERIOD:
        raise ActionRefused("Generate planned visits for at most 92 days at a time.")
    scheduled, params = scheduled_visits_sql(period_from, period_to)
    table, lines, paid = PlannedVisit._meta.db_table, VisitLine._meta.db_table, PaymentLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VISITS_LOCK])
        # The period's visits, scheduled and existing, are compared once, in memory (the default 4 MB spills the
        # hash join and the sort to disk): for this statement only, not every connection.
        cursor.execute("SELECT current_setting('work_mem')")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # One join finds both what to add and what to take away. Only a generation writes planned visits, one at a
        # time (the lock), and a visit's day follows from its start, so a visit not among the period's existing
        # ones is new: a plain INSERT, cheaper than ON CONFLICT's check of the unique index a row at a time. The
        # rows go in in the unique index's order.
        cursor.execute(
            f"""
            WITH scheduled AS ({scheduled}),
            compared AS MATERIALIZED (
                SELECT s.*, pv.id AS existing_id, pv.kept
                FROM scheduled s
                FULL JOIN (
                    SELECT id, package_id, planned_start, slot_id, EXISTS (
                        SELECT 1 FROM {lines} l
                        WHERE l.planned_id = p.id AND (l.state IN ('accepted', 'rejected')
                              OR EXISTS (SELECT 1 FROM {paid} pl WHERE pl.visit_line_id = l.id))
                    ) AS kept
                    FROM {table} p WHERE day BETWEEN %(first)s AND %(last)s
                ) pv ON pv.package_id = s.package_id AND pv.planned_start = s.planned_start AND pv.slot_id = s.slot_id
            ),
            gone AS (  -- no longer planned, and nothing decided or paid holds it
                SELECT existing_id AS id FROM compared WHERE package_id IS NULL AND NOT kept
            ),
            undecided AS (  -- its reconciliation, remade by the next one (run, as WITH's changes are, unread)
                DELETE FROM {lines} l USING gone g WHERE l.planned_id = g.id
            ),
            removed AS (
                DELETE FROM {table} pv USING gone g
                WHERE pv.day BETWEEN %(first)s AND %(last)s  -- the period's rows only, however long the table
                  AND pv.id = g.id
                RETURNING 1
            ),
            added AS (
                INSERT INTO {table} (package_id, version_id, slot_id, agreement_id, provider_id, person_id, day,
                                     planned_start, minutes, carers)
                SELECT package_id, version_id, slot_id, agreement_id, provider_id, person_id, day, planned_start,
                       minutes, carers
                FROM compared WHERE existing_id IS NULL
                ORDER BY package_id, planned_start, slot_id
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM removed),
                   (SELECT count(*) FROM compared WHERE package_id IS NOT NULL)
            """,
            params,
        )
        added, removed, in_force = cursor.fetchone()
        cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
    run = PlannedVisitRun.objects.create(
        first_day=period_from,
        last_day=period_to,
        added=added,
        removed=removed,
        in_force=in_force,
        run_by=acting_user,
    )
    record_change(
        actor=acting_user,
        obj=run,
        summary=f"Planned visits from {long_date(period_from)} to {long_date(period_to)}: {added} added, {removed} removed",
        changes={"first_day": period_from, "last_day": period_to, "added": added, "removed": removed},
        created=True,
    )
    return run


# Call monitoring files ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Upload:
    call_monitoring_import: CallMonitoringImport
    already: bool  # the same file was imported (or is being imported) before: nothing new was started


def max_upload_bytes() -> int:
    return MAX_BYTES


def upload_call_monitoring_file(content: bytes, *, file_name: str, acting_user) -> Upload:
    """Take a call monitoring file in: it is checked and loaded in the background (tasks.run_import). The same
    content again is not imported twice: the earlier import is returned, and nothing changes."""
    from .tasks import run_import

    refuse_unless_finance(acting_user)
    check_header(content)  # the file as a whole: empty, too large, not a CSV of ours (ActionRefused)
    digest = hashlib.sha256(content).hexdigest()
    earlier = CallMonitoringImport.objects.exclude(status__in=["rejected", "failed"]).filter(sha256=digest).first()
    if earlier is not None:
        return Upload(earlier, already=True)
    try:
        with transaction.atomic():
            found = CallMonitoringImport.objects.create(
                file_name=file_name[:255],
                sha256=digest,
                size=len(content),
                content=content,
                uploaded_by=acting_user,
            )
            record_change(
                actor=acting_user,
                obj=found,
                summary=f"Uploaded the call monitoring file {file_name[:200]}",
                changes={"sha256": digest, "size": len(content)},
                created=True,
            )
            enqueue(run_import, found.pk)
    except IntegrityError:  # the same file uploaded at the same moment: the other upload imports it
        earlier = CallMonitoringImport.objects.exclude(status__in=["rejected", "failed"]).get(sha256=digest)
        return Upload(earlier, already=True)
    return Upload(found, already=False)
