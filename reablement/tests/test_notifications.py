"""The reablement worker, not the social worker, is told a provider has been sourced and its purchase order issued
(the procedure: "copying in the reablement worker"), in the real e-mail outbox."""

import pytest
from django.core import mail

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from people import services as people_services

from .factories import sourced, with_brokerage


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_reablement_worker_is_told_on_award_not_the_social_worker(
    spa_worker, social_worker, officer_east, east_area, django_capture_on_commit_callbacks
):
    reablement_worker = UserFactory(roles=[Role.SPA_WORKER])
    case = with_brokerage(spa_worker, east_area, worker=reablement_worker)
    # The person has a social worker too: the one a home care award tells.
    people_services.update_person(case.person, acting_user=spa_worker, allocated_worker=social_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sourced(case, officer_east)
    to_staff = [m for m in mail.outbox if m.to[0] in {reablement_worker.email, social_worker.email, spa_worker.email}]
    assert {m.to[0] for m in to_staff} == {reablement_worker.email}
    subjects = sorted(m.subject for m in to_staff)
    assert subjects[0].startswith("A provider has been sourced (SA-")
    assert any(s.startswith("Purchase order PO-") for s in subjects)
    for message in to_staff:
        assert case.person.last_name not in message.body and case.person.postcode not in message.body
