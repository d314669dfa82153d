"""Sessions end after 30 minutes idle and 8 hours in all; pages for signed-in users are never
stored; the Content-Security-Policy allows no inline script."""

from datetime import datetime, timedelta

import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory

START = datetime(2026, 11, 30, 9, 0)


def signed_in(client, role="social_worker"):
    user = UserFactory(roles=[role])
    client.force_login(user)
    return user


def status(client, path=None):
    response = client.get(path or reverse("home"))
    return response.status_code, response.headers.get("Location", "")


def test_a_session_ends_after_30_minutes_idle(client, role_groups):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client)
        clock.move_to(START + timedelta(minutes=29))
        assert status(client) == (200, "")
        clock.move_to(START + timedelta(minutes=29 + 31))
        code, location = status(client, reverse("people:list"))
        assert code == 302 and location == f"{reverse('login')}?next={reverse('people:list')}"
        assert "_auth_user_id" not in client.session
        page = client.get(location)
        assert "You were signed out after 30 minutes without activity" in page.content.decode()


def test_activity_keeps_a_session_alive_until_8_hours(client, role_groups):
    with time_machine.travel(START, tick=False) as clock:
        signed_in(client)
        for minutes in range(20, 8 * 60, 20):  # a request every 20 minutes
            clock.move_to(START + timedelta(minutes=minutes))
            assert status(client) == (200, ""), f"signed out after {minutes} minutes"
        clock.move_to(START + timedelta(hours=8, minutes=1))
        assert status(client)[0] == 302
        assert "_auth_user_id" not in client.session


def test_pages_for_a_signed_in_user_are_never_stored(client, role_groups, person, social_worker):
    client.force_login(social_worker)
    for path in [reverse("home"), reverse("people:list"), person.get_absolute_url()]:
        cache_control = client.get(path)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, path


def test_every_page_forbids_inline_script_and_other_origins(client, role_groups):
    for response in [client.get(reverse("login")), (signed_in(client), client.get(reverse("home")))[1]]:
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
        assert "unsafe" not in response["Content-Security-Policy"]
