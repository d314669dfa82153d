"""The panel's decision on a shared lives case, posted by every role: only a panel member changes anything. Those who
see the case (its social worker, the scheme) are told why not; the rest do not find it."""

import pytest
from django.urls import reverse

from core.permissions import rule_for
from core.tests.matrix import ROLES
from core.tests.test_permission_matrix import world  # noqa: F401  (the matrix's world, as a fixture here)
from shared_lives.models import ArrangementTransition, SharedLivesArrangement

from .matrix_rows import SEES_D, arrangement


@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_shared_lives_case_is_funded_only_by_the_panel(client, world, role):  # noqa: F811
    case = arrangement(world)
    client.force_login(world["users"][role])
    before = ArrangementTransition.objects.count()
    response = client.post(
        reverse("shared_lives:step", args=[case.pk, "decide-funding"]),
        {"decide-funding-decision": "approved", "decide-funding-approved_weekly_amount": "450.00"},
    )
    changed = ArrangementTransition.objects.count() != before
    if not rule_for("shared_lives:step")(world["users"][role]):
        assert response.status_code == 403 and not changed
    elif role == "cap":
        assert response.status_code == 302 and changed
        assert SharedLivesArrangement.objects.get(pk=case.pk).state == "funded"
    elif role in SEES_D:
        assert response.status_code == 302 and not changed
    else:
        assert response.status_code == 404 and not changed
