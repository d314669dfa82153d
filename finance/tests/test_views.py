"""Finance's pages: generating a period from the page, uploading a file and following its progress, someone
else's ids and other roles turned away."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.models import ActualVisit, CallMonitoringImport, PlannedVisit

from .factories import MONDAY, SUNDAY, csv_file, home_care, visit_row

pytestmark = pytest.mark.django_db


def period(first, last):
    return {
        "period_from_day": first.day,
        "period_from_month": first.month,
        "period_from_year": first.year,
        "period_to_day": last.day,
        "period_to_month": last.month,
        "period_to_year": last.year,
    }


def test_a_finance_officer_generates_a_period_from_the_page_twice_to_the_same_effect(client, finance_officer, person):
    home_care(person)
    client.force_login(finance_officer)
    url = reverse("finance:planned_visits")
    response = client.post(url, period(MONDAY, SUNDAY), follow=True)
    assert "7 in force, 7 added, 0 taken away" in response.content.decode()
    assert "Monday 23 August 2027" in response.content.decode()  # the days' table
    response = client.post(url, period(MONDAY, SUNDAY), follow=True)
    assert "7 in force, 0 added, 0 taken away" in response.content.decode()
    assert PlannedVisit.objects.count() == 7


def test_a_period_backwards_is_refused_with_a_message(client, finance_officer, person):
    home_care(person)
    client.force_login(finance_officer)
    response = client.post(reverse("finance:planned_visits"), period(SUNDAY, MONDAY))
    assert "The last day must be the same as or after the first day" in response.content.decode()
    response = client.post(reverse("finance:planned_visits"), period(MONDAY, MONDAY + timedelta(days=100)))
    assert "at most 92 days" in response.content.decode()
    assert not PlannedVisit.objects.exists()


def test_a_file_uploaded_shows_its_progress_then_its_result(
    client, finance_officer, person, django_capture_on_commit_callbacks
):
    package = home_care(person)
    client.force_login(finance_officer)
    content = csv_file(visit_row(package))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("finance:imports"), {"file": SimpleUploadedFile("week.csv", content)})
    found = CallMonitoringImport.objects.get()
    assert response.url == reverse("finance:import_detail", args=[found.pk])
    page = client.get(response.url).content.decode()
    assert "1 visit imported" in page
    progress = client.get(reverse("finance:import_progress", args=[found.pk])).json()
    assert progress == {
        "status": "imported",
        "label": "Imported",
        "percent": 100,
        "rows_done": 1,
        "rows_total": 1,
        "finished": True,
    }
    # The same file again: told so, nothing changes.
    response = client.post(reverse("finance:imports"), {"file": SimpleUploadedFile("again.csv", content)}, follow=True)
    assert "it is not imported again, and nothing has changed" in response.content.decode()
    assert CallMonitoringImport.objects.count() == 1 and ActualVisit.objects.count() == 1


def test_an_import_still_running_shows_a_progress_bar_that_works_without_javascript(client, finance_officer):
    found = CallMonitoringImport.objects.create(
        file_name="big.csv",
        sha256="b" * 64,
        size=10,
        uploaded_by=finance_officer,
        rows_total=200,
        rows_done=50,
        status=CallMonitoringImport.Status.CHECKING,
    )
    client.force_login(finance_officer)
    page = client.get(reverse("finance:import_detail", args=[found.pk])).content.decode()
    assert '<progress id="import-progress-bar" class="app-progress" max="100" value="25">25%</progress>' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "js/import-progress.js" in page
    assert 'aria-live="polite"' in page


def test_a_bad_file_lists_its_bad_rows_and_a_wrong_file_is_refused_at_once(
    client, finance_officer, person, django_capture_on_commit_callbacks
):
    package = home_care(person)
    client.force_login(finance_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("finance:imports"),
            {"file": SimpleUploadedFile("week.csv", csv_file(visit_row(package), visit_row(package, method="fax")))},
        )
    page = client.get(response.url).content.decode()
    assert "1 problem in the file. Nothing has been imported" in page
    assert "method &#x27;fax&#x27; is not one of app, manual, phone" in page
    response = client.post(reverse("finance:imports"), {"file": SimpleUploadedFile("week.csv", b"a,b\n1,2\n")})
    assert "Line 1 must be the header row" in response.content.decode()
    response = client.post(reverse("finance:imports"), {"file": SimpleUploadedFile("week.txt", b"a")})
    assert "must be a CSV file" in response.content.decode()
    assert not ActualVisit.objects.exists()


def test_an_unknown_import_is_not_found(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("finance:import_detail", args=[999])).status_code == 404
    assert client.get(reverse("finance:import_progress", args=[999])).status_code == 404


def test_the_finance_officers_home_page_links_to_finance(client, finance_officer):
    client.force_login(finance_officer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("finance:planned_visits") in page and reverse("finance:imports") in page


def test_other_roles_cannot_generate(client, officer_east, person):
    home_care(person)
    client.force_login(officer_east)
    assert client.post(reverse("finance:planned_visits"), period(MONDAY, SUNDAY)).status_code == 403
    assert not PlannedVisit.objects.exists()


def test_only_a_finance_officer_generates_or_uploads_whatever_their_role(client, person):
    """The POST side of the permission matrix: every other role is turned away, and nothing changes."""
    from accounts.tests.factories import UserFactory
    from core.tests.matrix import ROLES
    from providers.tests.factories import ProviderFactory

    package = home_care(person)
    for role, (groups, team) in sorted(ROLES.items(), key=lambda item: item[0] == "finance"):  # finance last
        provider = ProviderFactory() if role == "provider" else None
        client.force_login(UserFactory(roles=groups, team=team, provider=provider))
        generated = client.post(reverse("finance:planned_visits"), period(MONDAY, SUNDAY))
        uploaded = client.post(
            reverse("finance:imports"), {"file": SimpleUploadedFile("w.csv", csv_file(visit_row(package)))}
        )
        expected = 302 if role == "finance" else 403
        assert (role, generated.status_code, uploaded.status_code) == (role, expected, expected)
        if role != "finance":
            assert not PlannedVisit.objects.exists() and not CallMonitoringImport.objects.exists()
    client.logout()
    assert client.post(reverse("finance:planned_visits"), period(MONDAY, SUNDAY)).status_code == 302  # to sign in


def test_a_hand_typed_bad_date_shows_no_table(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("finance:planned_visits") + "?from=2027-02-30&to=x").status_code == 200
