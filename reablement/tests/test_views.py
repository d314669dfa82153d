"""The reablement pages: SPA records the hospital's referral and takes each step through its form; the buttons come
from the machine; a step posted by someone else changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.tests.forms import fresh_token
from reablement.models import CaseTransition, ReablementCase
from reablement.workflows import State

from .factories import accepted, reassessed, referred, running, today


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_spa_records_a_hospital_referral_for_a_new_person(client, spa_worker, east_area):
    client.force_login(spa_worker)
    assert client.get(reverse("reablement:create")).status_code == 200
    data = {
        "first_name": "Iris",
        "last_name": "Bell",
        **_date("date_of_birth", today().replace(year=1940)),
        "address_line_1": "3 Mill Lane",
        "town": "Riverside",
        "postcode": "e1 6an",
        "area": east_area.pk,
        "hospital": "Riverside General",
        "ward": "Oak ward",
        "referred_by_name": "Nurse Kay",
        **_date("expected_discharge", today() + timedelta(days=1)),
        "needs": "Help with washing",
        **fresh_token(),
    }
    response = client.post(reverse("reablement:create"), data)
    case = ReablementCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert (case.person.last_name, case.person.postcode, case.state) == ("Bell", "E1 6AN", State.REFERRED)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Accept the referral" in page and "Do not accept the referral" in page
    assert "Referred by the hospital (it is here)" in page


def test_a_hospital_referral_without_the_person_is_shown_again_with_errors(client, spa_worker):
    client.force_login(spa_worker)
    response = client.post(reverse("reablement:create"), {"hospital": "x"})
    assert response.status_code == 400 and "Enter the first name of the person" in response.content.decode()
    assert not ReablementCase.objects.exists()


def test_spa_writes_the_plan_through_its_form(client, spa_worker, east_area):
    case = accepted(spa_worker, east_area)
    client.force_login(spa_worker)
    url = reverse("reablement:step", args=[case.pk, "write_plan"])
    assert client.get(url).status_code == 200
    data = {"weekly_hours": "6", **_date("start_date", today()), "worker": spa_worker.pk, **fresh_token()}
    data |= {"hours_1": "3", "visits_1": "2", "hours_4": "2", "visits_4": "1"}
    response = client.post(url, data)
    assert response.status_code == 400 and "adds up to 5 hours, not the 6 hours" in response.content.decode()
    data["hours_4"] = "3"
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.state == State.PLANNED and [d.day for d in case.plan_days] == [1, 4]


def test_a_step_posted_by_someone_else_changes_nothing(client, spa_worker, social_worker, officer_east, east_area):
    case = referred(spa_worker, east_area)
    url = reverse("reablement:step", args=[case.pk, "accept"])
    client.force_login(social_worker)
    assert client.post(url).status_code == 403  # reablement's table: SPA and Brokerage only (core.permissions)
    client.force_login(officer_east)
    assert client.post(url).status_code == 404  # Brokerage, but the case has not reached its team
    client.force_login(spa_worker)
    assert client.post(reverse("reablement:step", args=[case.pk, "nonsense"])).status_code == 404
    assert not CaseTransition.objects.exists()


def test_brokerage_applies_a_reassessment_from_the_case_page(client, spa_worker, officer_east, east_area):
    case = reassessed(running(spa_worker, east_area, officer_east), spa_worker)
    client.force_login(officer_east)
    home = client.get(reverse("home")).content.decode()
    assert case.reference in home and "Reablement changes from SPA to apply" in home
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Apply the re-assessment" in page
    assert client.post(reverse("reablement:step", args=[case.pk, "apply_change"]), fresh_token()).status_code == 302
    case.refresh_from_db()
    assert case.state == State.WITH_BROKERAGE
    client.force_login(spa_worker)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Record a re-assessment" in page and "End reablement" in page


def test_spa_lists_cases_newest_first_a_page_at_a_time(
    client, spa_worker, east_area, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr("reablement.views.CASES_PAGE_SIZE", 2)
    cases = [referred(spa_worker, east_area, ward=f"Ward {n}") for n in range(3)]
    client.force_login(spa_worker)
    with django_assert_num_queries(3):  # the user, the page of cases, the audit of whose names were shown
        first = client.get(reverse("reablement:list"))
    page = first.content.decode()
    assert "Ward 2" in page and "Ward 1" in page and "Ward 0" not in page
    second = client.get(reverse("reablement:list") + first.context["pagination"]["next"])
    page = second.content.decode()
    assert "Ward 0" in page and "Ward 1" not in page and cases[0].reference in page
    assert second.context["pagination"]["previous"] and not second.context["pagination"]["next"]
