"""Shared fixtures: one user per role, the two teams' areas, and a person in each."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from brokerage.tests.factories import AreaFactory
from catalogue.models import Team
from people.tests.factories import make_person


def _user(*roles, team=""):
    return UserFactory(roles=list(roles), team=team)


@pytest.fixture
def role_groups(db):
    """The role groups the accounts migration makes, and the East and West teams. A transactional test
    flushes the database when it ends, migration data included, so a reused test database may lack them."""
    for name in Role.values:
        Group.objects.get_or_create(name=name)
    for code in ("east", "west"):
        Team.objects.get_or_create(code=code, defaults={"name": code.title()})


@pytest.fixture(autouse=True)
def _role_groups_for_database_tests(request):
    """Every test that touches the database finds the role groups, whoever made its users."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("role_groups")


@pytest.fixture
def social_worker(role_groups):
    return _user(Role.SOCIAL_WORKER)


@pytest.fixture
def other_social_worker(role_groups):
    return _user(Role.SOCIAL_WORKER)


@pytest.fixture
def spa_worker(role_groups):
    return _user(Role.SPA_WORKER)


@pytest.fixture
def officer_east(role_groups):
    return _user(Role.BROKERAGE_OFFICER, team="east")


@pytest.fixture
def other_officer_east(role_groups):
    return _user(Role.BROKERAGE_OFFICER, team="east")


@pytest.fixture
def officer_west(role_groups):
    return _user(Role.BROKERAGE_OFFICER, team="west")


@pytest.fixture
def lead_east(role_groups):
    return _user(Role.TEAM_LEAD, team="east")


@pytest.fixture
def lead_west(role_groups):
    return _user(Role.TEAM_LEAD, team="west")


@pytest.fixture
def cap_member(role_groups):
    return _user(Role.CAP_MEMBER)


@pytest.fixture
def head_of_service(role_groups):
    return _user(Role.HEAD_OF_SERVICE)


@pytest.fixture
def first_response(role_groups):
    return _user(Role.FIRST_RESPONSE)


@pytest.fixture
def monitoring_officer(role_groups):
    return _user(Role.MONITORING_OFFICER)


@pytest.fixture
def contract_monitoring(role_groups):
    return _user(Role.CONTRACT_MONITORING)


@pytest.fixture
def review_team(role_groups):
    return _user(Role.REVIEW_TEAM)


@pytest.fixture
def dps_team(role_groups):
    return _user(Role.DPS_TEAM)


@pytest.fixture
def finance_officer(role_groups):
    return _user(Role.FINANCE_OFFICER)


@pytest.fixture
def provider_user(role_groups):
    from providers.tests.factories import ProviderFactory

    return UserFactory(roles=[Role.PROVIDER_USER], provider=ProviderFactory())


@pytest.fixture
def east_area(role_groups):
    return AreaFactory(team_id="east")


@pytest.fixture
def west_area(role_groups):
    return AreaFactory(team_id="west")


@pytest.fixture
def person(social_worker, east_area):
    """A person in an East area whose case the social worker holds."""
    return make_person(social_worker, east_area)


@pytest.fixture
def west_person(social_worker, west_area):
    return make_person(social_worker, west_area)


@pytest.fixture
def east_case(social_worker, person):
    """Work for `person` in the East team's queue: from then the East team may see them (people.access)."""
    from referrals.tests.factories import urgent_referral

    return urgent_referral(social_worker, person)


@pytest.fixture
def browser():
    """Headless Chromium for a browser test (core.tests.browser), closed after it."""
    from core.tests.browser import launch

    playwright, browser = launch()
    yield browser
    browser.close()
    playwright.stop()
