"""The decisions on a plan's page: approvals adds them (people.sections), as people may not import it. Each decision
shows who made it, when, by which route, the amount approved and the notes; the page's query count does not grow
with them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.services import request_funding
from approvals.tests.factories import decided, requested
from catalogue.codes import ServiceCode
from people.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def _page(client, user, plan) -> str:
    client.force_login(user)
    response = client.get(reverse("people:plan_detail", args=[plan.person_id, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_decision_shows_who_when_route_amount_and_notes(client, social_worker, person, cap_member):
    approval = requested(social_worker, person)
    decided(approval, cap_member, "deferred", notes="Needs the OT report")
    decided(approval, cap_member, "approved", Decimal("262.50"), "Agreed at panel")
    today = timezone.localdate().strftime("%-d %b %Y")

    page = _page(client, social_worker, approval.plan)

    assert '<h2 class="govuk-heading-m">Funding decisions</h2>' in page
    approved = f"Approved by {cap_member} (Care Authorisation Panel) on {today}: £262.50 a week. Agreed at panel"
    deferred = f"Deferred by {cap_member} (Care Authorisation Panel) on {today}. Needs the OT report"
    assert f"<li>{approved}</li><li>{deferred}</li>" in page  # newest first
    assert "No decision yet." not in page


def test_an_out_of_panel_decision_names_its_route(client, social_worker, person, head_of_service):
    approval = requested(social_worker, person, service_type=ServiceCode.RESIDENTIAL)
    decided(approval, head_of_service, "declined", notes="A home care package first")
    page = _page(client, social_worker, approval.plan)
    assert (
        f"Declined by {head_of_service} (Out-of-panel approval by a head of service) on "
        f"{timezone.localdate().strftime('%-d %b %Y')}. A home care package first</li>"
    ) in page


def test_a_plan_awaiting_its_decision_has_none_yet(client, social_worker, person):
    page = _page(client, social_worker, requested(social_worker, person).plan)
    assert "Funding decisions" in page and "No decision yet." in page


def test_the_plan_page_reads_the_same_queries_however_many_decisions(client, social_worker, person, cap_member):
    plan = make_plan(social_worker, person)
    url = reverse("people:plan_detail", args=[person.pk, plan.pk])
    client.force_login(social_worker)

    def count() -> int:
        client.get(url)  # process-wide caches fill on the first request
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def decide(n: int) -> None:
        for _ in range(n):
            approval = request_funding(plan, acting_user=social_worker)
            decided(approval, cap_member, "deferred")
            decided(approval, cap_member, "declined")

    decide(1)
    few = count()
    decide(3)
    assert count() == few
