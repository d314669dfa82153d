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
from .models import CallMonitoringImport, PlannedVisit, PlannedVisitRun

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
    a change of terms recorded since) are taken away unless already matched to an actual visit."""
    refuse_unless_finance(acting_user)
    if period_to < period_from:
        raise ActionRefused("The period's last day must be on or after its first day.")
    if period_to - period_from >= LONGEST_PERIOD:
        raise ActionRefused("Generate planned visits for at most 92 days at a time.")
    scheduled, params = scheduled_visits_sql(period_from, period_to)
    table = PlannedVisit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VISITS_LOCK])
        cursor.execute(
            f"""
            WITH scheduled AS MATERIALIZED ({scheduled}),
            removed AS (
                DELETE FROM {table} pv
                WHERE pv.day BETWEEN %(first)s AND %(last)s AND pv.matched_to_id IS NULL
                  AND NOT EXISTS (
                      SELECT 1 FROM scheduled s
                      WHERE s.package_id = pv.package_id AND s.planned_start = pv.planned_start
                        AND s.slot_id = pv.slot_id
                  )
                RETURNING 1
            ),
            added AS (
                INSERT INTO {table} (package_id, version_id, slot_id, agreement_id, provider_id, person_id, day,
                                     planned_start, minutes, carers)
                SELECT package_id, version_id, slot_id, agreement_id, provider_id, person_id, day, planned_start,
                       minutes, carers
                FROM scheduled
                ON CONFLICT (package_id, planned_start, slot_id) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM added), (SELECT count(*) FROM removed), (SELECT count(*) FROM scheduled)
            """,
            params,
        )
        added, removed, in_force = cursor.fetchone()
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
