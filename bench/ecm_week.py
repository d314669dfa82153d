"""A large county's week of home care, planned, logged and matched: how fast are planned visits generated, a call
monitoring file imported, the week reconciled and paid?

    .venv/bin/python bench/ecm_week.py        (or `make bench`)

Builds, inside PostgreSQL (INSERT ... SELECT generate_series) in a throwaway database, `brokerage_ecm_week`, on the
server DATABASE_URL names (the embedded one in .pgdata/ unless it is set), dropped at the end: 7,000 active home
care packages with 150 providers, each with three visits a day (21 a week: morning, lunch, evening). Every tenth
package's terms change on the Thursday (a reduction: no lunch visit), every fiftieth of those moves to another
provider that day, every hundredth has a temporary increase from the Wednesday that reverts on the Saturday (its
reversion not yet recorded), every 33rd is suspended from the Thursday to the Sunday, and a quarter's lunch visit
is not made on bank holidays (the week ends on the summer bank holiday Monday, 30 August 2027).

Then it times, with a finance officer as the acting user:
  1. generating the week's planned visits (finance.services.generate_planned_visits: one statement), and again
     (nothing changes: the second run's figure);
  2. importing the week's call monitoring file (finance.services.upload_call_monitoring_file, its task run at
     once in this process as the tests run it): a CSV with a row for each visit made, built from the planned
     visits with realistic faults: 3% missed (no row), 5% late (40 minutes), 5% short (two thirds of the time),
     carers checking in up to 9 minutes either side of the time, 1% unplanned extra visits, a tenth logged by
     phone and a twentieth entered by hand, 0.5% duplicates (the carer checks in again inside the visit); and the
     same file again (told it was imported: nothing changes);
  3. reconciling the week (finance.reconciliation.reconcile: matched, short, late, missed, unplanned, duplicate);
  4. a payment run of the week, with its exceptions open (finance.payments.make_payment_run: statements and lines).
`ecm_week_total` is the first generation, the import and the reconciliation: the week, planned, logged and matched.
The last two run as on the Monday after the week (time-machine): only days that are over are reconciled and paid.

Progress goes to stderr. The figures are printed last, one per line:
    ecm_week_planned_visits: N rows, ecm_week_generate: N s, ecm_week_generate_rate: N rows/s,
    ecm_week_generate_again: N s, ecm_week_file: N rows, ecm_week_file_size: N MB, ecm_week_import: N s,
    ecm_week_import_rate: N rows/s, ecm_week_reimport: N s, ecm_week_reconcile: N s, ecm_week_reconcile_rate: N
    rows/s, ecm_week_matched: N rows, ecm_week_exceptions: N rows, ecm_week_pay: N s, ecm_week_pay_rate: N rows/s,
    ecm_week_statement_pdf_lines: N rows, ecm_week_statement_pdf: N s (the largest provider's statement, made in
    the background), ecm_week_total: N s, ecm_week_peak_memory: N MB
BENCH_KEEP=1 leaves the database in place, to look at it; BENCH_DB names it (two worktrees' benches at once).
"""

import io
import os
import resource
import sys
import time
import warnings
from datetime import date, datetime
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: collectstatic is not needed here

import django  # noqa: E402

django.setup()

from _throwaway_db import create_bench_database, drop_bench_database  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

BENCH_DB = os.environ.get("BENCH_DB", "brokerage_ecm_week")  # another name, to run beside another worktree's bench
PACKAGES = 7_000
PROVIDERS = 150
FIRST = date(2027, 8, 24)  # Tuesday
LAST = date(2027, 8, 30)  # Monday, the summer bank holiday
BEGAN = date(2027, 6, 1)


def log(message: str) -> None:
    print(f"bench/ecm_week: {message}", file=sys.stderr, flush=True)


def sql(statement: str, **params) -> int:
    """Run one statement; " % " in it is SQL's modulo, not a parameter."""
    with connection.cursor() as cursor:
        cursor.execute(statement.replace(" % ", " %% "), params)
        return cursor.rowcount


def load() -> None:
    from django.contrib.auth.models import Group

    groups = dict(Group.objects.values_list("name", "pk"))
    p = {"K": PACKAGES, "PROV": PROVIDERS, "began": BEGAN, "thu": date(2027, 8, 26), "wed": date(2027, 8, 25)}
    p |= {"sat": date(2027, 8, 28), "sun": date(2027, 8, 29), "g_fin": groups["finance_officer"]}
    p |= {"g_sw": groups["social_worker"]}
    log("staff, teams, areas, providers")
    sql("INSERT INTO catalogue_team (code, name, email) VALUES ('east', 'East', ''), ('west', 'West', '')")
    sql("INSERT INTO brokerage_area (id, name, team) VALUES (1, 'Eastbrook', 'east'), (2, 'Westgate', 'west')")
    sql(
        """INSERT INTO accounts_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, team)
            VALUES (1, '!', false, 'finance.officer', 'Fiona', 'Grant', 'f@council.example', false, true, now(), NULL),
                   (2, '!', false, 'social.worker', 'Sam', 'Worker', 's@council.example', false, true, now(), NULL),
                   (3, '!', false, 'officer.east', 'Olu', 'Officer', 'o@council.example', false, true, now(), 'east')"""
    )
    sql("INSERT INTO accounts_user_groups (user_id, group_id) VALUES (1, %(g_fin)s), (2, %(g_sw)s)", **p)
    sql(
        """INSERT INTO providers_provider (id, created_at, modified_at, name, description, cqc_registration_number,
                cqc_rating, contact_name, email, phone, website, address, postcode, active, in_house)
            SELECT n, now(), now(), 'Provider ' || n || ' Care Ltd', '', '1-' || (100000000 + n), 'good', '',
                'office@provider' || n || '.example.com', '', '', '', '', true, false
            FROM generate_series(1, %(PROV)s) n""",
        **p,
    )
    log(f"{PACKAGES:,} people, referrals, agreements and home care packages")
    sql(
        """INSERT INTO people_person (id, created_at, modified_at, first_name, last_name, date_of_birth, nhs_number,
                address_line_1, address_line_2, town, postcode, phone, representative_name,
                representative_relationship, representative_phone, allocated_worker_id, area_id)
            SELECT n, now(), now(), 'Person', n::text, date '1940-01-01' + n % 9000, '', n || ' Road', '',
                'Riverside', 'E1 6AN', '', '', '', '', 2, 1 + n % 2
            FROM generate_series(1, %(K)s) n""",
        **p,
    )
    sql(
        """INSERT INTO referrals_referral (id, created_at, modified_at, state, kind, change, service_type, details,
                urgent, puts_person_at_risk, risk_strategies, referred_on_to, team, sourcing_options, person_id,
                referred_by_id, allocated_to_id)
            SELECT n, now(), now(), 'active', 'support_plan', '', 'home_care', 'Needs support at home', false,
                false, '', '', 'east', '', 1 + (n - 1) % %(K)s, 2, 3
            FROM generate_series(1, %(K)s * 2) n""",
        **p,
    )
    # Agreement k for package k; agreement K + k for the new provider of every 500th package, from Thursday.
    sql(
        """INSERT INTO brokerage_serviceagreement (id, created_at, modified_at, referral_id, person_id, provider_id,
                spot_contract_reason, service_type, start_date, weekly_hours, visit_schedule, hourly_rate,
                weekly_cost, status)
            SELECT n, now(), now(), n, 1 + (n - 1) % %(K)s, 1 + n % %(PROV)s, 'Bench data', 'home_care',
                CASE WHEN n > %(K)s THEN %(thu)s ELSE %(began)s END, 10, '[]', 25, 250, 'active'
            FROM generate_series(1, %(K)s * 2) n WHERE n <= %(K)s OR (n - %(K)s) % 500 = 0""",
        **p,
    )
    sql(
        """INSERT INTO packages_carepackage (id, created_at, modified_at, state, person_id, referral_id,
                service_type, team)
            SELECT n, now(), now(), 'active', n, n, 'home_care', CASE WHEN n % 2 = 1 THEN 'west' ELSE 'east' END
            FROM generate_series(1, %(K)s) n""",
        **p,
    )
    sql(
        """INSERT INTO packages_packageagreement (package_id, agreement_id, valid_from, valid_to)
            SELECT n, n, %(began)s, CASE WHEN n % 500 = 0 THEN %(thu)s END FROM generate_series(1, %(K)s) n
            UNION ALL
            SELECT n, %(K)s + n, %(thu)s, NULL FROM generate_series(1, %(K)s) n WHERE n % 500 = 0""",
        **p,
    )
    # Version k: from the start, to Thursday for every tenth (then version K + k, a reduction) and to Wednesday for
    # every hundredth-and-one (then version 2K + k, a temporary increase reverting on Saturday, not yet reverted).
    sql(
        """INSERT INTO packages_packageversion (id, package_id, agreement_id, valid_from, valid_to, weekly_hours,
                hourly_rate, weekly_cost, reason, reverts_on, created_at, created_by_id)
            SELECT n, n, n, %(began)s,
                CASE WHEN n % 10 = 0 THEN %(thu)s WHEN n % 100 = 1 THEN %(wed)s END, 12.25, 25, 306.25, 'Commissioned',
                NULL::date, now(), 2
            FROM generate_series(1, %(K)s) n
            UNION ALL
            SELECT %(K)s + n, n, CASE WHEN n % 500 = 0 THEN %(K)s + n ELSE n END, %(thu)s, NULL, 8.75, 25, 218.75,
                'Reduced', NULL::date, now(), 2
            FROM generate_series(1, %(K)s) n WHERE n % 10 = 0
            UNION ALL
            SELECT 2 * %(K)s + n, n, n, %(wed)s, NULL, 15.75, 25, 393.75, 'Temporary increase', %(sat)s, now(), 2
            FROM generate_series(1, %(K)s) n WHERE n % 100 = 1""",
        **p,
    )
    sql(
        """INSERT INTO packages_visitslot (version_id, day, time, minutes, carers, on_bank_holidays)
            SELECT v.id, d, t.at, t.minutes, CASE WHEN t.at = time '08:00' AND v.package_id % 7 = 0 THEN 2 ELSE 1 END,
                NOT (t.at = time '12:30' AND v.package_id % 4 = 0)
            FROM packages_packageversion v
            CROSS JOIN generate_series(1, 7) d
            CROSS JOIN (VALUES (time '08:00', 30), (time '12:30', 30), (time '18:00', 45), (time '21:00', 30)) t (at, minutes)
            WHERE (t.at <> time '21:00' OR v.reason = 'Temporary increase')
              AND (t.at <> time '12:30' OR v.reason <> 'Reduced')""",
    )
    sql(
        """INSERT INTO packages_packagesuspension (package_id, valid_from, valid_to, reason, detail, created_by_id,
                created_at)
            SELECT n, %(thu)s, %(sun)s, 'hospital', '', 2, now() FROM generate_series(1, %(K)s) n WHERE n % 33 = 0""",
        **p,
    )
    sql("INSERT INTO core_bankholiday (date, name) VALUES ('2027-08-30', 'Summer bank holiday')")
    with connection.cursor() as cursor:
        for table in (
            "accounts_user",
            "providers_provider",
            "people_person",
            "referrals_referral",
            "brokerage_serviceagreement",
            "packages_carepackage",
            "packages_packageversion",
        ):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        log("VACUUM ANALYZE")
        cursor.execute("VACUUM ANALYZE")


def week_file() -> bytes:
    """The call monitoring system's export of the week: a row a visit made, from the planned visits, with faults."""
    out = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            """COPY (
                SELECT provider_id, 'CP-' || lpad(package_id::text, 6, '0'), 'C' || (package_id * 7 + c) % 4001,
                    to_char(check_in AT TIME ZONE 'Europe/London', 'YYYY-MM-DD"T"HH24:MI:SS') || '+01:00',
                    to_char((check_in + minutes * interval '1 minute') AT TIME ZONE 'Europe/London',
                            'YYYY-MM-DD"T"HH24:MI:SS') || '+01:00',
                    CASE WHEN id % 10 = 0 THEN 'phone' WHEN id % 20 = 1 THEN 'manual' ELSE 'app' END
                FROM (
                    SELECT pv.id, pv.provider_id, pv.package_id, c,
                        pv.planned_start + ((pv.id % 19) - 9) * interval '1 minute'
                            + CASE WHEN pv.id % 100 BETWEEN 3 AND 7 THEN interval '40 minutes' ELSE interval '0' END
                            AS check_in,
                        CASE WHEN pv.id % 100 BETWEEN 8 AND 12 THEN pv.minutes * 2 / 3 ELSE pv.minutes END AS minutes
                    FROM finance_plannedvisit pv CROSS JOIN LATERAL generate_series(1, pv.carers) c
                    WHERE pv.id % 100 >= 3  -- 3% missed
                    UNION ALL  -- 1% unplanned: an extra visit in the afternoon
                    SELECT pv.id, pv.provider_id, pv.package_id, 9, pv.planned_start + interval '6 hours', 30
                    FROM finance_plannedvisit pv WHERE pv.id % 100 = 50
                    UNION ALL  -- 0.5% duplicates: the first carer checks in again 11 minutes after the planned start
                    SELECT pv.id, pv.provider_id, pv.package_id, 1, pv.planned_start + interval '11 minutes', 20
                    FROM finance_plannedvisit pv WHERE pv.id % 200 = 77
                ) visits
                ORDER BY check_in, package_id, c
            ) TO STDOUT WITH (FORMAT csv)""",
            out,
        )
    return b"provider_id,package_reference,carer_id,check_in,check_out,method\n" + out.getvalue()


def main() -> int:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("bench/ecm_week: %(message)s"))
    logging.getLogger("finance").addHandler(handler)
    logging.getLogger("finance").setLevel(logging.INFO)
    logging.getLogger("finance").propagate = False
    from accounts.models import User
    from finance.models import ActualVisit, CallMonitoringImport, PaymentLine, PlannedVisit
    from finance.payments import make_payment_run, render_statement
    from finance.reconciliation import reconcile
    from finance.services import generate_planned_visits, upload_call_monitoring_file

    create_bench_database(BENCH_DB)
    try:
        log("migrate")
        call_command("migrate", verbosity=0)
        load()
        officer = User.objects.get(username="finance.officer")

        log("generating the week's planned visits")
        started = time.perf_counter()
        run = generate_planned_visits(FIRST, LAST, acting_user=officer)
        generate = time.perf_counter() - started
        planned = PlannedVisit.objects.count()
        assert run.added == planned == run.in_force, (run.added, planned, run.in_force)
        started = time.perf_counter()
        again = generate_planned_visits(FIRST, LAST, acting_user=officer)
        generate_again = time.perf_counter() - started
        assert (again.added, again.removed) == (0, 0)
        log(f"{planned:,} planned visits in {generate:.2f} s; again in {generate_again:.2f} s")

        content = week_file()
        rows = content.count(b"\n") - 1
        log(f"the call monitoring file: {rows:,} rows, {len(content) / 2**20:.1f} MB; importing")
        started = time.perf_counter()
        upload = upload_call_monitoring_file(content, file_name="ecm-week.csv", acting_user=officer)
        imported_in = time.perf_counter() - started
        found = CallMonitoringImport.objects.get(pk=upload.call_monitoring_import.pk)
        if found.status != "imported":
            problems = list(found.problems.values_list("line", "reason")[:5])
            log(f"import {found.status}: {found.failure} {problems}")
            return 1
        assert ActualVisit.objects.count() == rows
        started = time.perf_counter()
        assert upload_call_monitoring_file(content, file_name="ecm-week.csv", acting_user=officer).already
        reimport = time.perf_counter() - started

        with time_machine.travel(datetime(2027, 9, 6, 9, 0, tzinfo=ZoneInfo("Europe/London"))):
            log("reconciling the week")
            started = time.perf_counter()
            reconciled = reconcile(FIRST, LAST, acting_user=officer)
            reconcile_in = time.perf_counter() - started
            lines = reconciled.matched + reconciled.exceptions
            log(f"{reconciled.matched:,} matched, {reconciled.exceptions:,} exceptions in {reconcile_in:.2f} s")
            # The statements' PDFs are made in the background (core.tasks.enqueue), not in the run: held back here,
            # and the largest made once on its own, to say how long a provider waits for its statement.
            with mock.patch("finance.payments.enqueue") as queued:
                started = time.perf_counter()
                paid = make_payment_run(FIRST, LAST, acting_user=officer)
                pay_in = time.perf_counter() - started
            assert queued.call_count == paid.statements.count()
            largest = paid.statements.order_by("-visits").first()
            started = time.perf_counter()
            render_statement(largest.pk)
            statement_pdf = time.perf_counter() - started
            paid_lines = PaymentLine.objects.count()
            assert paid.total_pence == sum(paid.statements.values_list("total_pence", flat=True))
            log(f"payment run: {paid_lines:,} lines, {paid.statements.count()} statements in {pay_in:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    finally:
        if os.environ.get("BENCH_KEEP"):
            log(f"kept the database {BENCH_DB}")
        else:
            drop_bench_database(BENCH_DB)
    print(f"ecm_week_planned_visits: {planned} rows")
    print(f"ecm_week_generate: {generate:.2f} s")
    print(f"ecm_week_generate_rate: {planned / generate:.0f} rows/s")
    print(f"ecm_week_generate_again: {generate_again:.2f} s")
    print(f"ecm_week_file: {rows} rows")
    print(f"ecm_week_file_size: {len(content) / 2**20:.1f} MB")
    print(f"ecm_week_import: {imported_in:.2f} s")
    print(f"ecm_week_import_rate: {rows / imported_in:.0f} rows/s")
    print(f"ecm_week_reimport: {reimport:.3f} s")
    print(f"ecm_week_reconcile: {reconcile_in:.2f} s")
    print(f"ecm_week_reconcile_rate: {lines / reconcile_in:.0f} rows/s")
    print(f"ecm_week_matched: {reconciled.matched} rows")
    print(f"ecm_week_exceptions: {reconciled.exceptions} rows")
    print(f"ecm_week_pay: {pay_in:.2f} s")
    print(f"ecm_week_pay_rate: {paid_lines / pay_in:.0f} rows/s")
    print(f"ecm_week_statement_pdf_lines: {largest.visits} rows")
    print(f"ecm_week_statement_pdf: {statement_pdf:.2f} s")
    print(f"ecm_week_total: {generate + imported_in + reconcile_in:.2f} s")
    print(f"ecm_week_peak_memory: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
