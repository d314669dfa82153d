"""Shared fixtures: one user per role, the two teams' areas, and a person in each."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from brokerage.teams import Team
from brokerage.tests.factories import AreaFactory
from people.tests.factories import make_person


def _user(*roles, team=""):
    return UserFactory(roles=list(roles), team=team)


@pytest.fixture
def social_worker(db):
    return _user(Role.SOCIAL_WORKER)


@pytest.fixture
def other_social_worker(db):
    return _user(Role.SOCIAL_WORKER)


@pytest.fixture
def spa_worker(db):
    return _user(Role.SPA_WORKER)


@pytest.fixture
def officer_east(db):
    return _user(Role.BROKERAGE_OFFICER, team=Team.EAST)


@pytest.fixture
def other_officer_east(db):
    return _user(Role.BROKERAGE_OFFICER, team=Team.EAST)


@pytest.fixture
def officer_west(db):
    return _user(Role.BROKERAGE_OFFICER, team=Team.WEST)


@pytest.fixture
def lead_east(db):
    return _user(Role.TEAM_LEAD, team=Team.EAST)


@pytest.fixture
def lead_west(db):
    return _user(Role.TEAM_LEAD, team=Team.WEST)


@pytest.fixture
def cap_member(db):
    return _user(Role.CAP_MEMBER)


@pytest.fixture
def head_of_service(db):
    return _user(Role.HEAD_OF_SERVICE)


@pytest.fixture
def first_response(db):
    return _user(Role.FIRST_RESPONSE)


@pytest.fixture
def monitoring_officer(db):
    return _user(Role.MONITORING_OFFICER)


@pytest.fixture
def contract_monitoring(db):
    return _user(Role.CONTRACT_MONITORING)


@pytest.fixture
def review_team(db):
    return _user(Role.REVIEW_TEAM)


@pytest.fixture
def dps_team(db):
    return _user(Role.DPS_TEAM)


@pytest.fixture
def finance_officer(db):
    return _user(Role.FINANCE_OFFICER)


@pytest.fixture
def provider_user(db):
    return _user(Role.PROVIDER_USER)


@pytest.fixture
def east_area(db):
    return AreaFactory(team=Team.EAST)


@pytest.fixture
def west_area(db):
    return AreaFactory(team=Team.WEST)


@pytest.fixture
def person(social_worker, east_area):
    """A person in an East area whose case the social worker holds."""
    return make_person(social_worker, east_area)


@pytest.fixture
def west_person(social_worker, west_area):
    return make_person(social_worker, west_area)
