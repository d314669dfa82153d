"""Each reablement form does its work once: the same form sent twice (a double click, a resubmitted page) changes
nothing the second time and says so; a form without its one-time token is refused and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from core.once import ALREADY_SENT, EXPIRED
from reablement.models import ReablementCase
from reablement.workflows import State

from .factories import accepted, planned, reassessed, referred, running, termination_requested, today


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _date(name: str, day) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def token_in(page: str, action: str = "") -> str:
    """The one-time token the page gives its form (the form posting to `action`, on a page with several)."""
    forms = re.findall(r"<form .*?</form>", page, re.S)
    form = next(f for f in forms if 'name="form_token"' in f and (not action or f'action="{action}"' in f))
    return re.search(r'name="form_token" value="([0-9a-f-]{36})"', form).group(1)


def _sent_twice(client, url: str, data: dict, *, page_url: str, action: str = ""):
    """Send the form from `page_url` once, then again with the same token: the second changes no row, sends no
    e-mail, goes back to what the first made and says the form had already been sent."""
    data = data | {"form_token": token_in(client.get(page_url).content.decode(), action)}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    before, outbox = rows(), len(mail.outbox)
    second = client.post(url, data)
    assert (second.status_code, second["Location"]) == (302, first["Location"])
    assert rows() == before and len(mail.outbox) == outbox
    assert ALREADY_SENT in client.get(second["Location"]).content.decode()
    return first


def test_a_hospital_referral_sent_twice_records_one_case(client, spa_worker, east_area):
    client.force_login(spa_worker)
    data = {
        "first_name": "Iris",
        "last_name": "Bell",
        **_date("date_of_birth", today().replace(year=1940)),
        "address_line_1": "3 Mill Lane",
        "town": "Riverside",
        "postcode": "E1 6AN",
        "area": east_area.pk,
        "hospital": "Riverside General",
        "ward": "Oak ward",
        "referred_by_name": "Nurse Kay",
        **_date("expected_discharge", today() + timedelta(days=1)),
        "needs": "Help with washing",
    }
    url = reverse("reablement:create")
    first = _sent_twice(client, url, data, page_url=url)
    assert first["Location"] == ReablementCase.objects.get().get_absolute_url()


PLAN = {"weekly_hours": "10", **{f"{k}_{day}": v for day in range(1, 6) for k, v in (("hours", "2"), ("visits", "2"))}}
REASSESSMENT = {
    "weekly_hours": "15",
    "findings": "Still unsteady on the stairs in the evening.",
    **{f"{k}_{day}": v for day in range(1, 6) for k, v in (("hours", "3"), ("visits", "2"))},
}


def _case(step, spa, officer, area):
    """The case at the step, and who takes it."""
    return {
        "accept": lambda: (referred(spa, area), spa),
        "not_accept": lambda: (referred(spa, area), spa),
        "write_plan": lambda: (accepted(spa, area), spa),
        "send_to_brokerage": lambda: (planned(spa, area), spa),
        "reassess": lambda: (running(spa, area, officer), spa),
        "apply_change": lambda: (reassessed(running(spa, area, officer), spa), officer),
        "request_termination": lambda: (running(spa, area, officer), spa),
        "terminate": lambda: (termination_requested(running(spa, area, officer), spa), officer),
    }[step]()


# Each step's form: what it sends besides its token (None: a button on the case page), and the state it reaches.
STEPS = [
    ("accept", None, State.ACCEPTED),
    ("not_accept", {"reason": "Already has support at home."}, State.NOT_ACCEPTED),
    ("write_plan", lambda spa: PLAN | _date("start_date", today()) | {"worker": spa.pk}, State.PLANNED),
    ("send_to_brokerage", None, State.WITH_BROKERAGE),
    (
        "reassess",
        lambda spa: REASSESSMENT | _date("assessed_on", today()) | _date("effective_date", today()),
        State.CHANGE_REQUESTED,
    ),
    ("apply_change", None, State.WITH_BROKERAGE),
    (
        "request_termination",
        lambda spa: {"reason": "baseline", "note": "Independent again"} | _date("last_day", today() + timedelta(3)),
        State.TERMINATION_REQUESTED,
    ),
    ("terminate", None, State.TERMINATED),
]


@pytest.mark.parametrize("step,data,reached", STEPS, ids=[s[0] for s in STEPS])
def test_a_step_sent_twice_is_taken_once(client, spa_worker, officer_east, east_area, step, data, reached):
    case, user = _case(step, spa_worker, officer_east, east_area)
    client.force_login(user)
    url = reverse("reablement:step", args=[case.pk, step])
    if data is None:  # a button on the case page, with its own token
        _sent_twice(client, url, {}, page_url=case.get_absolute_url(), action=url)
    else:
        _sent_twice(client, url, data(spa_worker) if callable(data) else data, page_url=url)
    case.refresh_from_db()
    assert case.state == reached and case.transitions.filter(name=step).count() == 1


def test_a_button_sent_without_its_token_is_refused_and_changes_nothing(client, spa_worker, east_area):
    case = referred(spa_worker, east_area)
    client.force_login(spa_worker)
    before = case.transitions.count()
    response = client.post(reverse("reablement:step", args=[case.pk, "accept"]), follow=True)
    assert EXPIRED in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.REFERRED and case.transitions.count() == before


def test_a_step_form_without_its_token_is_shown_again_with_a_new_one(client, spa_worker, east_area):
    case = referred(spa_worker, east_area)
    client.force_login(spa_worker)
    url = reverse("reablement:step", args=[case.pk, "not_accept"])
    response = client.post(url, {"reason": "Already has support at home."})
    assert response.status_code == 400 and EXPIRED in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.REFERRED
    corrected = client.post(
        url, {"reason": "Already has support at home.", "form_token": token_in(response.content.decode())}
    )
    assert corrected.status_code == 302
    case.refresh_from_db()
    assert case.state == State.NOT_ACCEPTED
