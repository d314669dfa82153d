"""Call monitoring files: a good file imports, every bad row of a bad file is reported with its line number and
reason and nothing is imported, the same file again changes nothing, and a large-ish file goes through the
background task."""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from finance import importing, services
from finance.models import ActualVisit, CallMonitoringImport, ImportProblem

from .factories import HEADER, MONDAY, csv_file, day, home_care, provider_of, visit_row

pytestmark = pytest.mark.django_db
Status = CallMonitoringImport.Status


@pytest.fixture
def upload(finance_officer, django_capture_on_commit_callbacks):
    def upload(content: bytes, name="week.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            result = services.upload_call_monitoring_file(content, file_name=name, acting_user=finance_officer)
        result.call_monitoring_import.refresh_from_db()
        return result

    return upload


def problems(found):
    return list(ImportProblem.objects.filter(call_monitoring_import=found).values_list("line", "reason"))


def test_a_good_file_imports_each_visit(person, upload):
    package = home_care(person)
    result = upload(csv_file(visit_row(package), visit_row(package, on=day(1), carer="C-2", method="phone")))
    found = result.call_monitoring_import
    assert (result.already, found.status, found.rows_total, found.rows_done, found.rows_imported) == (
        False,
        Status.IMPORTED,
        2,
        2,
        2,
    )
    assert found.content is None  # not kept once read
    visits = list(ActualVisit.objects.order_by("check_in"))
    assert [(v.line, v.carer, v.method, v.day, v.person_id) for v in visits] == [
        (2, "C-1", "app", MONDAY, person.pk),
        (3, "C-2", "phone", day(1), person.pk),
    ]
    assert visits[0].check_out - visits[0].check_in == timedelta(minutes=30)
    assert AuditEvent.objects.filter(summary="Uploaded the call monitoring file week.csv").count() == 1


def test_a_bad_file_reports_every_bad_row_and_imports_nothing(person, west_person, upload):
    package = home_care(person)
    others = home_care(west_person)
    provider = provider_of(package).pk
    good = visit_row(package)
    rows = [
        good,  # 2
        good,  # 3: the same visit twice
        "99999,CP-000001,C-1,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,app".replace(
            "CP-000001", package.reference
        ),  # 4: unknown provider
        f"{provider},CP-999999,C-1,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,app",  # 5: unknown package
        visit_row(others, provider=provider_of(package)),  # 6: not that provider's package
        f"{provider},{package.reference},C-1,23/08/2027 08:00,2027-08-23T08:30:00+01:00,app",  # 7: bad timestamp
        f"{provider},{package.reference},C-1,2027-08-23T08:00:00,2027-08-23T08:30:00+01:00,app",  # 8: no offset
        f"{provider},{package.reference},C-1,2027-08-23T09:00:00+01:00,2027-08-23T08:30:00+01:00,app",  # 9
        f"{provider},{package.reference},,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,",  # 10: missing
        f"{provider},{package.reference},C-1",  # 11: too few fields
        f"{provider},{package.reference},C-9,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,pigeon",  # 12
        f"{provider},HC-12,C-9,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,app",  # 13
    ]
    content = csv_file(*rows)[:-1] + b"\n" + f"{provider},{package.reference},C-\xff".encode("latin-1") + b"\n"
    found = upload(content).call_monitoring_import
    assert found.status == Status.REJECTED
    assert not ActualVisit.objects.exists()
    date_text = "23 August 2027"
    assert sorted(problems(found)) == sorted(
        [
            (3, "the same visit as line 2"),
            (4, "provider_id 99999 is not a provider we know"),
            (5, "package_reference CP-999999 is not a home care package"),
            (6, f"package_reference {others.reference} was not delivered by provider {provider} on {date_text}"),
            (7, "check_in '23/08/2027 08:00' is not an ISO 8601 timestamp with an offset"),
            (8, "check_in '2027-08-23T08:00:00' is not an ISO 8601 timestamp with an offset"),
            (9, "check_out is not after check_in"),
            (10, "carer_id is missing"),
            (10, "method is missing"),
            (11, "has 3 fields, not 6"),
            (12, "method 'pigeon' is not one of app, manual, phone"),
            (13, "package_reference 'HC-12' is not a care package reference like CP-000123"),
            (14, "is not UTF-8 text"),
        ]
    )
    assert found.problem_count == 13


def test_a_visit_before_the_provider_took_the_package_on_is_not_its(person, upload):
    package = home_care(person, began=day(2))
    found = upload(csv_file(visit_row(package, on=day(1)))).call_monitoring_import
    assert problems(found) == [
        (
            2,
            f"package_reference {package.reference} was not delivered by provider {provider_of(package).pk} "
            "on 24 August 2027",
        )
    ]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b"provider,package,carer\n1,CP-000001,C\n", "Line 1 must be the header row"),
        (b"\xff\xfeprovider_id\n", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_ours_is_refused_on_upload(content, reason, finance_officer):
    with pytest.raises(ActionRefused, match=reason):
        services.upload_call_monitoring_file(content, file_name="x.csv", acting_user=finance_officer)
    assert not CallMonitoringImport.objects.exists()


def test_a_file_too_large_is_refused(monkeypatch, finance_officer, person):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    with pytest.raises(ActionRefused, match="smaller than"):
        services.upload_call_monitoring_file(
            csv_file(*[visit_row(home_care(person))] * 3), file_name="x.csv", acting_user=finance_officer
        )


def test_a_header_and_no_rows_imports_nothing(upload):
    found = upload(HEADER.encode()).call_monitoring_import
    assert (found.status, found.failure) == (Status.REJECTED, "The file has a header row and no visits.")


def test_the_same_file_again_changes_nothing_and_says_so(person, upload):
    package = home_care(person)
    content = csv_file(visit_row(package))
    first = upload(content)
    again = upload(content)
    assert again.already and again.call_monitoring_import.pk == first.call_monitoring_import.pk
    assert CallMonitoringImport.objects.count() == 1 and ActualVisit.objects.count() == 1


def test_a_rejected_file_may_be_uploaded_again_once_fixed_or_not(person, upload):
    package = home_care(person)
    bad = csv_file(visit_row(package, method="fax"))
    assert upload(bad).call_monitoring_import.status == Status.REJECTED
    assert not upload(bad).already  # checked again, and rejected again
    assert CallMonitoringImport.objects.filter(status=Status.REJECTED).count() == 2


def test_a_visit_in_an_earlier_file_is_not_imported_twice(person, upload):
    package = home_care(person)
    upload(csv_file(visit_row(package)))
    found = upload(csv_file(visit_row(package), visit_row(package, on=day(1)))).call_monitoring_import
    assert (found.status, found.rows_imported, found.rows_already_imported) == (Status.IMPORTED, 1, 1)
    assert ActualVisit.objects.count() == 2


def test_a_task_delivered_twice_imports_once(person, upload):
    package = home_care(person)
    found = upload(csv_file(visit_row(package))).call_monitoring_import
    importing.run(found.pk)
    assert ActualVisit.objects.count() == 1


def test_a_large_ish_file_goes_through_the_background_task_in_chunks(person, west_person, upload, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 1000)
    packages = [home_care(person), home_care(west_person)]
    rows = [
        visit_row(packages[n % 2], on=day(n % 7), at=f"{6 + (n // 14) % 14:02d}:{(n // 196) % 60:02d}", carer=f"C{n}")
        for n in range(5000)
    ]
    found = upload(csv_file(*rows)).call_monitoring_import
    assert (found.status, found.rows_total, found.rows_done, found.rows_imported) == (Status.IMPORTED, 5000, 5000, 5000)
    assert found.percent == 100


def test_only_a_finance_officer_uploads(person, officer_east):
    with pytest.raises(ActionRefused):
        services.upload_call_monitoring_file(
            csv_file(visit_row(home_care(person))), file_name="x.csv", acting_user=officer_east
        )


PLAIN = "12,CP-000034,C-1,2027-08-23T08:00:00+01:00,2027-08-23T08:30:00+01:00,app\n"


@pytest.mark.parametrize(
    "line",
    [
        PLAIN,
        PLAIN.rstrip("\n"),  # the last line, with no end of line
        PLAIN.replace("\n", "\r\n"),
        PLAIN.replace("C-1", "Carer with spaces inside"),
        PLAIN.replace("C-1", "C" * 50),
        PLAIN.replace("C-1", "C" * 51),  # too long
        PLAIN.replace("C-1", " C-1"),  # to strip
        PLAIN.replace("app", "App"),
        PLAIN.replace("app", "pigeon"),
        PLAIN.replace("CP-", "cp-"),
        PLAIN.replace("CP-000034", "CP-12"),
        PLAIN.replace("12,", "1234567890,", 1),  # too long a provider number
        PLAIN.replace("+01:00,2027", "Z,2027"),
        PLAIN.replace("08:30:00+01:00", "08:00:00+01:00"),  # not after check-in
        PLAIN.replace("08:30:00+01:00", "20:00:00+01:00"),  # exactly 12 hours
        PLAIN.replace("08:30:00+01:00", "20:00:01+01:00"),  # more than 12 hours
        PLAIN.replace("2027-08-23T08:00", "2027-13-23T08:00"),  # no 13th month
        PLAIN.replace("2027-08-23T08:00", "2027-02-30T08:00"),  # no 30 February
        PLAIN.replace("+01:00,app", "-25:00,app"),  # an offset of more than a day
        PLAIN.replace("C-1", '"C-1"'),
        PLAIN.replace("C-1", 'C"1'),
        PLAIN.replace("C-1", "C\t1"),
        PLAIN.replace("12,", "١٢,", 1),  # Arabic-Indic digits: for the csv module and check_row to read
    ],
)
def test_a_plain_row_is_read_as_check_row_reads_it(line):
    """The cheap reading of a plain row gives check_row's answer, or leaves the line to the csv module and
    check_row, which read every other."""
    fields = next(importing.csv.reader([line]))
    expected, reasons = importing.check_row(fields)
    plain = importing._plain_row(line)
    assert plain is None or (plain == expected and not reasons)


def test_a_plain_row_is_read_the_cheap_way():
    assert importing._plain_row(PLAIN) == ("12", "000034", "C-1", *PLAIN.split(",")[3:5], "app")


def test_plain_rows_and_others_in_one_file_keep_their_line_numbers(person, upload):
    package = home_care(person)
    good = visit_row(package)
    quoted = visit_row(package, on=day(1), carer='"C-2,\nnight team"')  # lines 4 and 5
    spaced = visit_row(package, on=day(2), carer="C-3").replace(",app", ", APP ")
    zulu = visit_row(package, on=day(3), carer="C-4").replace("T08:02:00+01:00", "T07:02:00Z")
    content = csv_file(good, "", quoted, spaced, zulu, visit_row(package, on=day(4), carer="C-5"))
    found = upload(content).call_monitoring_import
    assert (found.status, found.rows_total, found.rows_done, found.rows_imported) == (Status.IMPORTED, 7, 5, 5)
    visits = list(ActualVisit.objects.order_by("line").values_list("line", "carer", "method", "day"))
    assert visits == [
        (2, "C-1", "app", MONDAY),
        (5, "C-2,\nnight team", "app", day(1)),
        (6, "C-3", "app", day(2)),
        (7, "C-4", "app", day(3)),
        (8, "C-5", "app", day(4)),
    ]
    zulu_visit = ActualVisit.objects.get(line=7)
    assert zulu_visit.check_in == ActualVisit.objects.get(line=2).check_in + timedelta(days=3)


def test_a_plain_looking_row_with_an_impossible_date_is_reported(person, upload):
    package = home_care(person)
    bad = visit_row(package).replace("2027-08-23T08:02", "2027-02-30T08:02")
    found = upload(csv_file(visit_row(package, on=day(1)), bad)).call_monitoring_import
    assert found.status == Status.REJECTED and not ActualVisit.objects.exists()
    assert problems(found) == [(3, f"check_in '{bad.split(',')[3]}' is not an ISO 8601 timestamp with an offset")]


# A task delivered twice, a worker stopped mid-task -----------------------------------------------------------------
def test_a_second_delivery_while_the_first_is_still_checking_does_nothing(person, finance_officer, settings):
    settings.TASKS_RUN_INLINE = False  # the upload only queues it
    package = home_care(person)
    found = services.upload_call_monitoring_file(
        csv_file(visit_row(package)), file_name="w.csv", acting_user=finance_officer
    ).call_monitoring_import
    CallMonitoringImport.objects.filter(pk=found.pk).update(status=Status.CHECKING)  # a first worker claimed it
    importing.run(found.pk)
    found.refresh_from_db()
    assert (found.status, found.rows_imported) == (Status.CHECKING, 0)
    assert not ActualVisit.objects.exists()


def test_an_import_whose_worker_stopped_says_so_and_the_file_can_come_again(person, finance_officer, settings, upload):
    import time_machine
    from django.utils import timezone

    settings.TASKS_RUN_INLINE = False
    package = home_care(person)
    content = csv_file(visit_row(package))
    stalled = services.upload_call_monitoring_file(
        content, file_name="w.csv", acting_user=finance_officer
    ).call_monitoring_import
    # The worker claimed it, moved it on once, and was killed: nothing more happens to it.
    CallMonitoringImport.objects.filter(pk=stalled.pk).update(status=Status.CHECKING, progressed_at=timezone.now())
    fresh = CallMonitoringImport.objects.create(
        file_name="other.csv", sha256="f" * 64, size=1, uploaded_by=finance_officer, content=b"x"
    )
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert importing.fail_stalled_imports() == 0  # still within its time
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        CallMonitoringImport.objects.filter(pk=fresh.pk).update(progressed_at=timezone.now())
        assert importing.fail_stalled_imports() == 1
        assert importing.fail_stalled_imports() == 0  # safe to run twice
    stalled.refresh_from_db()
    assert stalled.status == Status.FAILED and "Upload the file again" in stalled.failure
    assert CallMonitoringImport.objects.get(pk=fresh.pk).status == Status.QUEUED
    assert not ActualVisit.objects.exists()
    settings.TASKS_RUN_INLINE = True
    again = upload(content)
    assert (again.already, again.call_monitoring_import.status) == (False, Status.IMPORTED)
    assert ActualVisit.objects.count() == 1


def test_the_stalled_import_sweep_is_on_beats_schedule():
    from django.conf import settings as django_settings

    entry = django_settings.CELERY_BEAT_SCHEDULE["fail-stalled-call-monitoring-imports"]
    assert entry["task"] == "finance.tasks.fail_stalled_imports" and entry["schedule"] <= 15 * 60
