"""Reading a call monitoring file (the format is in the README): streamed a line at a time, each row checked on its
own in Python (fields, timestamps, method), then loaded with COPY into a staging table where the checks that need
the database are made set-based (providers, packages, who delivers which package, the same visit twice in the
file). A file with any bad row imports nothing: every bad row is listed with its line number and reason. A good
file's visits go in with one INSERT ... SELECT."""

import csv
import io
import logging
import re
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from brokerage.models import ServiceAgreement
from core.exceptions import ActionRefused
from packages.models import CarePackage, PackageAgreement
from packages.selectors import reference_sql
from providers.models import Provider

from .models import ActualVisit, CallMonitoringImport, ImportProblem, Method

logger = logging.getLogger(__name__)

HEADER = ["provider_id", "package_reference", "carer_id", "check_in", "check_out", "method"]
MAX_BYTES = getattr(settings, "CALL_MONITORING_MAX_BYTES", 100 * 1024 * 1024)
LONGEST_VISIT = timedelta(hours=12)
CHUNK = 20_000  # rows COPYed, and progress reported, at a time
PACKAGE_REFERENCE = re.compile(r"CP-(\d{6,9})")
METHODS = set(Method.values)
_LOADING_LOCK = 160_017  # pg_advisory_xact_lock key: one import's visits loaded at a time
Status = CallMonitoringImport.Status


def check_header(content: bytes) -> None:
    """The file as a whole, checked when it is uploaded: refused (ActionRefused) if empty, too large, or not
    starting with our header row."""
    if not content.strip():
        raise ActionRefused("The selected file is empty.")
    if len(content) > MAX_BYTES:
        raise ActionRefused(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB.")
    first = content.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf").rstrip(b"\r")
    try:
        header = next(csv.reader([first.decode("utf-8")]))
    except UnicodeDecodeError:
        raise ActionRefused("The selected file is not UTF-8 text: line 1 cannot be read.") from None
    if [name.strip().lower() for name in header] != HEADER:
        raise ActionRefused(f"Line 1 must be the header row: {','.join(HEADER)}.")


def _timestamp(text: str):
    """An ISO 8601 timestamp with its offset from UTC, or None."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def check_row(fields: list[str]) -> tuple[tuple | None, list[str]]:
    """One data row: (provider_id, package_id, carer, check_in, check_out, method) as text for COPY (the
    timestamps written again in ISO 8601's extended format, which PostgreSQL reads) and no reasons, or None and
    every reason it is bad."""
    if len(fields) != 6:
        return None, [f"has {len(fields)} fields, not {len(HEADER)}"]
    provider, package, carer, check_in, check_out, method = [f.strip() for f in fields]
    if not (provider and package and carer and check_in and check_out and method):
        values = (provider, package, carer, check_in, check_out, method)
        return None, [f"{name} is missing" for name, value in zip(HEADER, values, strict=True) if not value]
    reasons = []
    if not provider.isdigit() or len(provider) > 9:
        reasons.append(f"provider_id {provider!r} is not a provider number")
    matched = PACKAGE_REFERENCE.fullmatch(package.upper())
    if matched is None:
        reasons.append(f"package_reference {package!r} is not a care package reference like CP-000123")
    if len(carer) > 50:
        reasons.append("carer_id is longer than 50 characters")
    start, end = _timestamp(check_in), _timestamp(check_out)
    if start is None:
        reasons.append(f"check_in {check_in!r} is not an ISO 8601 timestamp with an offset")
    if end is None:
        reasons.append(f"check_out {check_out!r} is not an ISO 8601 timestamp with an offset")
    if start is not None and end is not None:
        if end <= start:
            reasons.append("check_out is not after check_in")
        elif end - start > LONGEST_VISIT:
            reasons.append("check_out is more than 12 hours after check_in")
    method = method.lower()
    if method not in METHODS:
        reasons.append(f"method {method!r} is not one of {', '.join(sorted(METHODS))}")
    if reasons:
        return None, reasons
    # Written again rather than checked against a pattern: isoformat() is cheaper than a regular expression, and
    # Python reads forms (20270823T0800+0100) that PostgreSQL does not.
    return (provider, matched.group(1), carer, start.isoformat(), end.isoformat(), method), []


def _plain_row(text: str) -> tuple | None:
    """check_row's answer for a line as nearly every file writes it (no quotes, nothing to strip, the timestamps in
    ISO 8601's extended format, which PostgreSQL reads as Python does), found far more cheaply: or None, when the
    line is anything else or bad, for the csv module and check_row to read and say why."""
    matched = _PLAIN_ROW.fullmatch(text)
    if matched is None:
        return None
    provider, package, carer, check_in, check_out, method = matched.groups()
    try:
        length = datetime.fromisoformat(check_out) - datetime.fromisoformat(check_in)
    except ValueError:
        return None
    return (provider, package, carer, check_in, check_out, method) if _NO_TIME < length <= LONGEST_VISIT else None


_STAMP = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}"
_PLAIN_ROW = re.compile(
    r"([0-9]{1,9}),CP-([0-9]{6,9}),([^\s,\"\x00](?:[^\r\n,\"\x00]{0,48}[^\s,\"\x00])?),"
    rf"({_STAMP}),({_STAMP}),({'|'.join(sorted(METHODS))})\r?\n?"
)
_NO_TIME = timedelta(0)


def _lines(content: bytes, problems: list):
    """(line number, text) of each physical line that is UTF-8; those that are not go to `problems`."""
    for number, raw in enumerate(io.BytesIO(content), start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append((number, "is not UTF-8 text"))


def _rows(content: bytes, problems: list):
    """(line, row, None) of each plain good row (_plain_row), (line, None, fields) of each other data row, its
    line the last the row is on; lines that are not UTF-8 go to `problems`."""
    lines = _lines(content, problems)
    header = True
    for number, text in lines:
        row = None if header else _plain_row(text)
        if row is not None:
            yield number, row, None
            continue
        last = number

        def record(first=text):  # this line, and the lines after it while a quoted field runs on
            nonlocal last
            yield first
            for after, more in lines:
                last = after
                yield more

        fields = next(csv.reader(record()), None)  # the reader stops at the end of a row: no line read ahead
        if header:
            header = False  # checked on upload
        elif fields and any(f.strip() for f in fields):  # not a blank line
            yield last, None, fields


def _copy_buffer():
    """A buffer and a csv writer into it, for COPY ... (FORMAT csv): the csv module quotes in C."""
    buffer = io.StringIO()
    return buffer, csv.writer(buffer, lineterminator="\n")


def _progress(found: CallMonitoringImport, **fields) -> None:
    CallMonitoringImport.objects.filter(pk=found.pk).update(progressed_at=Now(), **fields)


def run(import_id: int) -> None:
    """Check and load the file of the import (a background task). Progress is committed as it goes."""
    # Taken by one worker only: a task delivered twice, even at the same moment, does nothing the second time.
    claimed = CallMonitoringImport.objects.filter(pk=import_id, status=Status.QUEUED).update(
        status=Status.CHECKING, progressed_at=Now()
    )
    if not claimed:
        return
    found = CallMonitoringImport.objects.get(pk=import_id)
    try:
        _run(found)
    except Exception as error:  # a failure is told to the finance officer, never lost
        logger.exception("Call monitoring import %s failed", import_id)
        _progress(
            found,
            status=Status.FAILED,
            failure=f"The import failed ({type(error).__name__}); nothing was imported. Upload the file again.",
            finished_at=timezone.now(),
        )


def _run(found: CallMonitoringImport) -> None:
    began = time.perf_counter()
    content = bytes(found.content)
    staging = f"finance_staging_{found.pk}"
    total = max(content.count(b"\n") + (0 if content.endswith(b"\n") else 1) - 1, 0)
    _progress(found, status=Status.CHECKING, rows_total=total)
    problems: list[tuple[int, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"""CREATE TEMP TABLE {staging} (line integer, provider_id bigint, package_id bigint, carer text,
                    check_in timestamptz, check_out timestamptz, method text)"""
        )
        try:
            (buffer, writer), done = _copy_buffer(), 0
            for line, row, fields in _rows(content, problems):
                if fields is None:  # a plain row: nothing in it for csv to quote
                    buffer.write(f"{line},{','.join(row)}\n")
                else:
                    row, reasons = check_row(fields)
                    problems += [(line, reason) for reason in reasons]
                    if row is not None:
                        writer.writerow((line, *row))
                done += 1
                if done % CHUNK == 0:
                    _copy(cursor, staging, buffer)
                    buffer, writer = _copy_buffer()
                    _progress(found, rows_done=done)
            _copy(cursor, staging, buffer)
            read = time.perf_counter()
            _progress(found, rows_done=done, status=Status.LOADING)
            cursor.execute(f"ANALYZE {staging}")
            _finish(found, cursor, staging, problems, done)
            logger.info(
                "Call monitoring import %s: %s rows read in %.2f s, checked and loaded in %.2f s",
                found.pk,
                done,
                read - began,
                time.perf_counter() - read,
            )
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {staging}")


def _copy(cursor, staging: str, buffer: io.StringIO) -> None:
    if buffer.tell():
        buffer.seek(0)
        cursor.cursor.copy_expert(
            f"COPY {staging} (line, provider_id, package_id, carer, check_in, check_out, method) FROM STDIN"
            " WITH (FORMAT csv)",
            buffer,
        )


def _database_problems_sql(staging: str) -> str:
    """The checks that need the database, one SELECT of (line, reason)."""
    provider, package = Provider._meta.db_table, CarePackage._meta.db_table
    link, agreement = PackageAgreement._meta.db_table, ServiceAgreement._meta.db_table
    return f"""
    SELECT s.line, 'provider_id ' || s.provider_id || ' is not a provider we know' AS reason
    FROM {staging} s WHERE NOT EXISTS (SELECT 1 FROM {provider} p WHERE p.id = s.provider_id)
    UNION ALL
    SELECT s.line, 'package_reference ' || {reference_sql("s.package_id")} || ' is not a home care package'
    FROM {staging} s
    WHERE NOT EXISTS (SELECT 1 FROM {package} c WHERE c.id = s.package_id AND c.service_type = 'home_care')
    UNION ALL
    SELECT s.line, 'package_reference ' || {reference_sql("s.package_id")} || ' was not delivered by provider '
        || s.provider_id || ' on ' || to_char((s.check_in AT TIME ZONE 'Europe/London')::date, 'FMDD FMMonth YYYY')
    FROM {staging} s
    WHERE EXISTS (SELECT 1 FROM {provider} p WHERE p.id = s.provider_id)
      AND EXISTS (SELECT 1 FROM {package} c WHERE c.id = s.package_id AND c.service_type = 'home_care')
      AND NOT EXISTS (
          SELECT 1 FROM {link} pa JOIN {agreement} a ON a.id = pa.agreement_id
          WHERE pa.package_id = s.package_id AND a.provider_id = s.provider_id
            AND daterange(pa.valid_from, pa.valid_to, '[)') @> (s.check_in AT TIME ZONE 'Europe/London')::date
      )
    UNION ALL
    SELECT line, 'the same visit as line ' || first_line FROM (
        SELECT line, min(line) OVER (PARTITION BY package_id, carer, check_in) AS first_line FROM {staging}
    ) d WHERE line > first_line
    """


def _finish(found, cursor, staging: str, problems: list, rows: int) -> None:
    problem_table = ImportProblem._meta.db_table
    with transaction.atomic():
        # A file's checks sort and hash its rows: in memory (the default 4 MB spills to disk). The task's own
        # transaction, so until it ends.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        if problems:
            buffer, writer = _copy_buffer()
            writer.writerows((found.pk, line, reason[:300]) for line, reason in problems)
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {problem_table} (call_monitoring_import_id, line, reason) FROM STDIN WITH (FORMAT csv)", buffer
            )
        cursor.execute(
            f"""INSERT INTO {problem_table} (call_monitoring_import_id, line, reason)
                SELECT %s, line, left(reason, 300) FROM ({_database_problems_sql(staging)}) found""",
            [found.pk],
        )
        problem_count = len(problems) + cursor.rowcount
        if problem_count or not rows:
            _progress(
                found,
                status=Status.REJECTED,
                problem_count=problem_count,
                failure="" if rows else "The file has a header row and no visits.",
                content=None,
                finished_at=timezone.now(),
            )
            return
        # A visit imported already (from an earlier file) is left out by a join rather than ON CONFLICT's check of
        # the unique index a row at a time, so imports load one at a time (the lock); the rows go in in that
        # index's order.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOADING_LOCK])
        actual = ActualVisit._meta.db_table
        cursor.execute(
            f"""INSERT INTO {actual} (call_monitoring_import_id, line, provider_id, package_id,
                    person_id, carer, check_in, check_out, method, day)
                SELECT %s, s.line, s.provider_id, s.package_id, c.person_id, s.carer, s.check_in, s.check_out,
                       s.method, (s.check_in AT TIME ZONE 'Europe/London')::date
                FROM {staging} s JOIN {CarePackage._meta.db_table} c ON c.id = s.package_id
                WHERE NOT EXISTS (
                    SELECT 1 FROM {actual} a
                    WHERE a.package_id = s.package_id AND a.carer = s.carer AND a.check_in = s.check_in
                )
                ORDER BY s.package_id, s.carer, s.check_in""",
            [found.pk],
        )
        imported = cursor.rowcount
        _progress(
            found,
            status=Status.IMPORTED,
            rows_imported=imported,
            rows_already_imported=rows - imported,
            content=None,
            finished_at=timezone.now(),
        )


STALLED_AFTER = timedelta(minutes=15)  # no progress for this long: its worker was stopped (the rows move every few s)
STALLED = (
    "The import stopped before it finished (the server doing it was stopped); nothing was imported. "
    "Upload the file again."
)


def fail_stalled_imports() -> int:
    """Imports whose worker was stopped mid-task (killed, a deploy, a lost message) say so, and the file may be
    uploaded again: nothing of theirs was imported, since the visits go in in one transaction at the end. Beat runs
    this every few minutes (CELERY_BEAT_SCHEDULE); it is safe to run twice."""
    before = timezone.now() - STALLED_AFTER
    return (
        CallMonitoringImport.objects.filter(
            status__in=[Status.QUEUED, Status.CHECKING, Status.LOADING],
            uploaded_at__lt=before,
        )
        .filter(Q(progressed_at__isnull=True) | Q(progressed_at__lt=before))
        .update(status=Status.FAILED, failure=STALLED, content=None, finished_at=Now())
    )
