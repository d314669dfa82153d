"""`manage.py seed_demo` (make run): one login per role and cases in several states, loaded once."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from dashboard.management.commands.seed_demo import DEMO_USERS


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_data_loads_once_and_a_second_run_changes_nothing():
    assert "Demo data loaded." in seed()
    loaded = rows()
    assert "Demo data already loaded." in seed()
    assert rows() == loaded


@pytest.mark.django_db
def test_every_demo_login_opens_its_home_page(client):
    seed()
    assert User.objects.filter(username__in=[username for username, *_ in DEMO_USERS]).count() == len(DEMO_USERS)
    for user in User.objects.all():
        client.force_login(user)
        response = client.get(reverse("home"))
        expected = 302 if user.provider_id else 200  # a provider's staff go to their portal
        assert response.status_code == expected, user.username


@pytest.mark.django_db
def test_the_head_of_service_finds_the_demo_placement_fee_waiting(client):
    from placements.models import Placement

    seed()
    placement = Placement.objects.get(person__first_name="Hilda")
    assert placement.state == Placement.State.AWAITING_FEE_APPROVAL
    client.force_login(User.objects.get(username="head.of.service"))
    assert placement.get_absolute_url() in client.get(reverse("home")).content.decode()
    assert client.get(placement.get_absolute_url()).status_code == 200
