"""The signed-in user is loaded with the user's roles in one query (accounts.backends.UserBackend)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import UserBackend
from accounts.roles import Role
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_and_the_roles_are_one_query():
    officer = UserFactory(roles=[Role.BROKERAGE_OFFICER, Role.TEAM_LEAD], team="east")
    groups = frozenset(officer.groups.values_list("name", flat=True))  # the roles and the team's own group
    with CaptureQueriesContext(connection) as captured:
        user = UserBackend().get_user(officer.pk)
        assert user.roles == groups >= {Role.BROKERAGE_OFFICER, Role.TEAM_LEAD}
        assert user.is_team_lead
    assert len(captured) == 1


def test_a_user_without_roles_has_none():
    assert UserBackend().get_user(UserFactory(roles=[]).pk).roles == frozenset()


def test_a_deactivated_user_is_not_loaded():
    user = UserFactory(roles=[Role.SOCIAL_WORKER])
    user.is_active = False
    user.save()
    assert UserBackend().get_user(user.pk) is None


def test_an_unknown_id_is_nobody():
    assert UserBackend().get_user(987654) is None


def test_a_page_asks_the_database_once_for_who_is_signed_in(client):
    user = UserFactory(roles=[Role.SOCIAL_WORKER])
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/referrals/how-referrals-work/").status_code == 200
    user_queries = [q["sql"] for q in captured if '"accounts_user"' in q["sql"] or '"auth_group"' in q["sql"]]
    assert len(user_queries) == 1, user_queries
