"""Matching a period's planned visits to the visits carers logged, set-based in PostgreSQL (issue 16).

Each carer's part of a planned visit (a visit for two carers is two parts) is matched to at most one logged visit
of the same package on the same day, and each logged visit to at most one part. Matching goes in rounds of
"mutual nearest": a pair is matched when each is the other's nearest start time (ties broken by id, so the
result does not depend on the order rows are read); the nearest pair left is always mutual, so every round
matches some, and most periods need two or three. First within the start tolerance, then, for what is left,
within the wider late window: those are late.

What comes of it, one line each (models.VisitLine):
- matched: started within tolerance, lasted at least the share of planned time finance asks: payable;
- short: started within tolerance, too short;       late: started outside tolerance, inside the late window;
- missed: a planned part nobody logged;
- duplicate: a logged visit overlapping one of the same carer's on that package, or one already matched;
- unplanned: any other logged visit.
All but matched are exceptions for finance to accept or reject.

Lines already decided or paid are kept as they are, with the visits they hold; the rest of the period is made
again, so reconciling again after a late file or a change of rules gives the same answer as doing it once."""

from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from audit.services import record_change
from core.exceptions import ActionRefused
from packages.selectors import VERSIONS_TABLE, hourly_rate_sql

from .models import ActualVisit, PaymentLine, PlannedVisit, ReconciliationRun, Tolerances, VisitLine
from .services import LONGEST_PERIOD, VISITS_LOCK, long_date, refuse_unless_finance


def current_tolerances() -> Tolerances:
    """The rules in force: the latest set, or the defaults until finance sets them."""
    found = Tolerances.objects.first()
    return found if found is not None else Tolerances.objects.create()


def set_tolerances(*, start_minutes, late_window_minutes, min_duration_percent, pay_basis, acting_user) -> Tolerances:
    refuse_unless_finance(acting_user)
    if late_window_minutes < start_minutes:
        raise ActionRefused("The late window must be at least as wide as the start tolerance.")
    before = current_tolerances()
    found = Tolerances.objects.create(
        start_minutes=start_minutes,
        late_window_minutes=late_window_minutes,
        min_duration_percent=min_duration_percent,
        pay_basis=pay_basis,
        set_by=acting_user,
    )
    record_change(
        actor=acting_user,
        obj=found,
        summary=f"Matching rules set: {found}",
        changes={
            "start_minutes": (before.start_minutes, start_minutes),
            "late_window_minutes": (before.late_window_minutes, late_window_minutes),
            "min_duration_percent": (before.min_duration_percent, min_duration_percent),
            "pay_basis": (before.pay_basis, pay_basis),
        },
        created=True,
    )
    return found


def _tables() -> dict:
    return {
        "versions": VERSIONS_TABLE,
        "line": VisitLine._meta.db_table,
        "paid": PaymentLine._meta.db_table,
        "planned": PlannedVisit._meta.db_table,
        "actual": ActualVisit._meta.db_table,
    }


_RATE = hourly_rate_sql("v")  # of the package version aliased v
# Pence for `minutes` at `rate` pounds an hour, rounded half up (numeric, exact): never a float.
_PENCE = "round({minutes} * {rate} * 100 / 60)::integer"


@transaction.atomic
def reconcile(period_from: date, period_to: date, *, acting_user) -> ReconciliationRun:
    refuse_unless_finance(acting_user)
    if period_to < period_from:
        raise ActionRefused("The period's last day must be on or after its first day.")
    if period_to - period_from >= LONGEST_PERIOD:
        raise ActionRefused("Reconcile at most 92 days at a time.")
    if period_to >= timezone.localdate():
        raise ActionRefused("Reconcile days that are over: the last day must be before today.")
    rules = current_tolerances()
    run = ReconciliationRun.objects.create(
        first_day=period_from, last_day=period_to, tolerances=rules, matched=0, exceptions=0, kept=0, run_by=acting_user
    )
    t = _tables()
    period = {"first": period_from, "last": period_to}
    with connection.cursor() as cursor:
        # One generation or reconciliation at a time: the planned visits must not change under the match.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [VISITS_LOCK])
        cursor.execute(
            f"""DELETE FROM {t["line"]} l WHERE l.day BETWEEN %(first)s AND %(last)s AND l.state IN ('payable', 'open')
                AND NOT EXISTS (SELECT 1 FROM {t["paid"]} p WHERE p.visit_line_id = l.id)""",
            period,
        )
        cursor.execute(f"SELECT count(*) FROM {t['line']} WHERE day BETWEEN %(first)s AND %(last)s", period)
        (kept,) = cursor.fetchone()
        # Dropped at commit; dropped here too for a second reconciliation in one transaction (a test's).
        cursor.execute("DROP TABLE IF EXISTS recon_part, recon_actual, recon_pair, recon_match")
        cursor.execute(
            f"""CREATE TEMP TABLE recon_part ON COMMIT DROP AS
                SELECT pv.id AS planned_id, n AS carer_number, pv.package_id, pv.provider_id, pv.person_id, pv.day,
                       pv.planned_start, pv.minutes, pv.version_id
                FROM {t["planned"]} pv CROSS JOIN LATERAL generate_series(1, pv.carers) n
                WHERE pv.day BETWEEN %(first)s AND %(last)s
                  AND NOT EXISTS (SELECT 1 FROM {t["line"]} l WHERE l.planned_id = pv.id AND l.carer_number = n)""",
            period,
        )
        cursor.execute(
            f"""CREATE TEMP TABLE recon_actual ON COMMIT DROP AS
                SELECT av.id, av.package_id, av.provider_id, av.person_id, av.day, av.check_in, av.check_out,
                       (extract(epoch FROM av.check_out - av.check_in) / 60)::integer AS minutes,
                       EXISTS (
                           SELECT 1 FROM {t["actual"]} o
                           WHERE o.package_id = av.package_id AND o.carer = av.carer AND o.id <> av.id
                             AND o.check_in < av.check_out AND av.check_in < o.check_out
                             AND (o.check_in, o.id) < (av.check_in, av.id)
                       ) AS same_carer_again
                FROM {t["actual"]} av
                WHERE av.day BETWEEN %(first)s AND %(last)s
                  AND NOT EXISTS (SELECT 1 FROM {t["line"]} l WHERE l.actual_id = av.id)""",
            period,
        )
        cursor.execute("ANALYZE recon_part; ANALYZE recon_actual")
        cursor.execute(
            """CREATE TEMP TABLE recon_pair ON COMMIT DROP AS
               SELECT p.planned_id, p.carer_number, a.id AS actual_id,
                      abs(extract(epoch FROM a.check_in - p.planned_start))::integer AS distance
               FROM recon_part p JOIN recon_actual a ON a.package_id = p.package_id AND a.day = p.day
               WHERE NOT a.same_carer_again
                 AND abs(extract(epoch FROM a.check_in - p.planned_start)) <= %(window)s;
               CREATE TEMP TABLE recon_match (planned_id bigint, carer_number integer, actual_id bigint, late boolean,
                                              round integer)
               ON COMMIT DROP""",
            {"window": rules.late_window_minutes * 60},
        )
        rounds = 0
        for late, within in ((False, rules.start_minutes * 60), (True, rules.late_window_minutes * 60)):
            while True:
                rounds += 1
                cursor.execute(
                    """INSERT INTO recon_match
                       SELECT planned_id, carer_number, actual_id, %(late)s, %(round)s FROM (
                           SELECT c.*, row_number() OVER (PARTITION BY planned_id, carer_number
                                                          ORDER BY distance, actual_id) AS part_rank,
                                       row_number() OVER (PARTITION BY actual_id
                                                          ORDER BY distance, planned_id, carer_number) AS actual_rank
                           FROM recon_pair c WHERE distance <= %(within)s
                       ) ranked
                       WHERE part_rank = 1 AND actual_rank = 1""",
                    {"within": within, "late": late, "round": rounds},
                )
                if not cursor.rowcount:
                    break
                # What this round matched is no longer free: its pairs go (two equality joins, each a hash join).
                cursor.execute(
                    """DELETE FROM recon_pair c USING recon_match m
                       WHERE m.round = %(round)s AND c.planned_id = m.planned_id AND c.carer_number = m.carer_number;
                       DELETE FROM recon_pair c USING recon_match m
                       WHERE m.round = %(round)s AND c.actual_id = m.actual_id""",
                    {"round": rounds},
                )
        params = {
            "run": run.pk,
            "percent": rules.min_duration_percent,
            "planned_basis": rules.pay_basis == "planned",
        }
        pay_minutes = "CASE WHEN %(planned_basis)s THEN p.minutes ELSE LEAST(a.minutes, p.minutes) END"
        cursor.execute(
            f"""INSERT INTO {t["line"]} (run_id, provider_id, package_id, person_id, day, planned_id, carer_number,
                                         actual_id, outcome, state, planned_minutes, actual_minutes, start_difference,
                                         payable_minutes, hourly_rate, amount_pence, note)
                SELECT %(run)s, p.provider_id, p.package_id, p.person_id, p.day, p.planned_id, p.carer_number,
                       a.id, o.outcome, CASE o.outcome WHEN 'matched' THEN 'payable' ELSE 'open' END,
                       p.minutes, a.minutes, round(extract(epoch FROM a.check_in - p.planned_start) / 60)::integer,
                       {pay_minutes}, {_RATE}, {_PENCE.format(minutes=pay_minutes, rate=_RATE)}, ''
                FROM recon_match m
                JOIN recon_part p ON p.planned_id = m.planned_id AND p.carer_number = m.carer_number
                JOIN recon_actual a ON a.id = m.actual_id
                JOIN {t["versions"]} v ON v.id = p.version_id
                CROSS JOIN LATERAL (SELECT CASE WHEN m.late THEN 'late'
                                                WHEN a.minutes * 100 < p.minutes * %(percent)s THEN 'short'
                                                ELSE 'matched' END AS outcome) o
                UNION ALL
                SELECT %(run)s, p.provider_id, p.package_id, p.person_id, p.day, p.planned_id, p.carer_number,
                       NULL, 'missed', 'open', p.minutes, NULL, NULL, p.minutes, {_RATE},
                       {_PENCE.format(minutes="p.minutes", rate=_RATE)}, ''
                FROM recon_part p JOIN {t["versions"]} v ON v.id = p.version_id
                WHERE NOT EXISTS (SELECT 1 FROM recon_match m
                                  WHERE m.planned_id = p.planned_id AND m.carer_number = p.carer_number)
                UNION ALL
                SELECT %(run)s, a.provider_id, a.package_id, a.person_id, a.day, NULL, NULL, a.id,
                       CASE WHEN a.same_carer_again OR EXISTS (
                                SELECT 1 FROM {t["actual"]} o
                                WHERE o.package_id = a.package_id AND o.id <> a.id
                                  AND o.check_in < a.check_out AND a.check_in < o.check_out
                                  AND (EXISTS (SELECT 1 FROM recon_match m WHERE m.actual_id = o.id)
                                       OR EXISTS (SELECT 1 FROM {t["line"]} l
                                                  WHERE l.actual_id = o.id AND l.planned_id IS NOT NULL))
                            ) THEN 'duplicate' ELSE 'unplanned' END,
                       'open', NULL, a.minutes, NULL, a.minutes, COALESCE(r.rate, 0),
                       {_PENCE.format(minutes="a.minutes", rate="COALESCE(r.rate, 0)")}, ''
                FROM recon_actual a
                LEFT JOIN LATERAL (
                    SELECT {_RATE} AS rate FROM {t["versions"]} v
                    WHERE v.package_id = a.package_id AND v.valid_from <= a.day
                      AND (v.valid_to IS NULL OR v.valid_to > a.day)
                    ORDER BY v.valid_from DESC LIMIT 1
                ) r ON true
                WHERE NOT EXISTS (SELECT 1 FROM recon_match m WHERE m.actual_id = a.id)""",
            params,
        )
        cursor.execute(
            f"""SELECT count(*) FILTER (WHERE outcome = 'matched'), count(*) FILTER (WHERE outcome <> 'matched')
                FROM {t["line"]} WHERE run_id = %s""",
            [run.pk],
        )
        matched, exceptions = cursor.fetchone()
    run.matched, run.exceptions, run.kept = matched, exceptions, kept
    run.save(update_fields=["matched", "exceptions", "kept"])
    record_change(
        actor=acting_user,
        obj=run,
        summary=(
            f"Reconciled {long_date(period_from)} to {long_date(period_to)}: {matched} matched, "
            f"{exceptions} exceptions, {kept} kept as decided or paid"
        ),
        changes={"tolerances": str(rules), "matched": matched, "exceptions": exceptions, "kept": kept},
        created=True,
    )
    return run


# Working the exceptions ---------------------------------------------------------------------------------------
DECISIONS = ("accept", "reject")


@transaction.atomic
def decide_exception(line_id: int, decision: str, *, note: str, acting_user) -> VisitLine:
    """Accept (pay) or reject (do not pay) an exception, with a note saying why. A decided line stays decided:
    the next reconciliation keeps it, and a payment run pays an accepted one once."""
    from .models import VISIT_LINE_MACHINE

    if decision not in DECISIONS:
        raise ActionRefused("Choose whether to accept or reject the visit.")
    line = VisitLine.objects.select_for_update().get(pk=line_id)
    line.note, line.decided_by, line.decided_at = note.strip()[:500], acting_user, timezone.now()
    return VISIT_LINE_MACHINE.apply(line, decision, acting_user=acting_user, note=line.note)
