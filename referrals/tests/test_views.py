"""Referral pages: bad input and refusals change nothing, with a message the user can act on."""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.tests.forms import date_fields, fresh_token
from packages.tests.running import running_package
from people.tests.factories import make_person, make_plan
from referrals.models import Referral

from .factories import awaiting_funding_referral, urgent_referral


def refer(client, person, kind, **data):
    return client.post(
        reverse("referrals:create_for_kind", args=[person.pk, kind]),
        {"details": "Needs help", **fresh_token(), **data},
        follow=True,
    )


@pytest.mark.parametrize(
    "service,where",
    [
        ("telecare", "Assistive Technology team"),
        ("minor_works", "Home Improvement Agency"),
        ("ot_equipment", "Occupational Therapy service"),
    ],
)
def test_services_brokerage_does_not_arrange_are_turned_away(client, social_worker, person, service, where):
    client.force_login(social_worker)
    response = refer(client, person, "urgent-response", service_type=service)
    assert where in response.content.decode()
    assert not Referral.objects.exists()


def test_a_plan_of_another_person_cannot_be_used(client, social_worker, person, east_area):
    other = make_person(social_worker, east_area)
    other_plan = make_plan(social_worker, other)
    client.force_login(social_worker)
    response = refer(client, person, "care-and-support-plan", plan=other_plan.pk)
    assert response.status_code == 400
    assert not Referral.objects.exists()


def test_support_plan_referral_goes_to_the_panel(client, social_worker, person):
    plan = make_plan(social_worker, person)
    client.force_login(social_worker)
    refer(client, person, "care-and-support-plan", plan=plan.pk)
    assert Referral.objects.get().state == Referral.State.AWAITING_FUNDING


def test_a_temporary_increase_has_its_dates_typed_as_day_month_and_year(client, social_worker, person):
    running_package(person)  # the increase names it
    plan = make_plan(social_worker, person)
    client.force_login(social_worker)
    increase = {"plan": plan.pk}

    refused = refer(
        client,
        person,
        "increase",
        **increase,
        effective_date_day="5",
        effective_date_year="2027",
        **date_fields("end_date", date(2027, 3, 5)),
    )
    assert "Date the increase starts must include a month" in refused.content.decode()
    assert "Enter the date the increase starts" not in refused.content.decode()
    assert not Referral.objects.filter(kind=Referral.Kind.CHANGE).exists()

    refer(
        client,
        person,
        "increase",
        **increase,
        **date_fields("effective_date", date(2027, 1, 5)),
        **date_fields("end_date", date(2027, 3, 5)),
    )
    referral = Referral.objects.get(kind=Referral.Kind.CHANGE)
    assert (referral.effective_date, referral.end_date) == (date(2027, 1, 5), date(2027, 3, 5))


def test_approval_without_an_amount_is_refused(client, social_worker, cap_member, person):
    referral = awaiting_funding_referral(social_worker, person)
    client.force_login(cap_member)
    response = client.post(reverse("referrals:funding", args=[referral.pk]), {"decision": "approved"})
    assert response.status_code == 400
    assert "Enter the approved weekly amount" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == Referral.State.AWAITING_FUNDING


def test_withdrawal_needs_a_reason(client, social_worker, person):
    referral = urgent_referral(social_worker, person)
    client.force_login(social_worker)
    response = client.post(reverse("referrals:withdraw", args=[referral.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Enter why the referral is being withdrawn" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == Referral.State.QUEUED


def test_taking_twice_is_refused_the_second_time(client, social_worker, officer_east, other_officer_east, person):
    referral = urgent_referral(social_worker, person)
    client.force_login(officer_east)
    client.post(reverse("referrals:take", args=[referral.pk]))
    client.force_login(other_officer_east)
    response = client.post(reverse("referrals:take", args=[referral.pk]), follow=True)
    referral.refresh_from_db()
    assert referral.allocated_to == officer_east
    assert "cannot do this" in response.content.decode()


def test_detail_page_is_audited_and_shows_the_timeline(client, social_worker, officer_east, person):
    referral = urgent_referral(social_worker, person)
    client.force_login(officer_east)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert "In the team queue" in response.content.decode()
    assert AuditEvent.objects.filter(action="viewed", actor=officer_east, person=person).exists()


def test_lead_cannot_allocate_to_an_officer_of_the_other_team(client, social_worker, lead_east, officer_west, person):
    referral = urgent_referral(social_worker, person)
    client.force_login(lead_east)
    client.post(reverse("referrals:allocate", args=[referral.pk]), {"officer": officer_west.pk})
    referral.refresh_from_db()
    assert referral.state == Referral.State.QUEUED and referral.allocated_to is None


def test_non_numeric_ids_are_not_found(client, social_worker):
    client.force_login(social_worker)
    assert client.get("/referrals/abc/").status_code == 404
    assert client.get("/people/99999999/").status_code == 404


def test_the_funding_list_pages_by_key_oldest_first(client, social_worker, cap_member, east_area, monkeypatch):
    monkeypatch.setattr("referrals.views.FUNDING_PAGE_SIZE", 2)
    waiting = [
        awaiting_funding_referral(social_worker, make_person(social_worker, east_area, last_name=name))
        for name in ("Abbot", "Baker", "Cole")
    ]
    client.force_login(cap_member)
    first = client.get(reverse("referrals:funding_list"))
    assert [r.pk for r in first.context["referrals"]] == [waiting[0].pk, waiting[1].pk]
    second = client.get(reverse("referrals:funding_list") + first.context["pagination"]["next"])
    assert [r.pk for r in second.context["referrals"]] == [waiting[2].pk]
    assert "Cole" in second.content.decode() and "Abbot" not in second.content.decode()
    assert second.context["pagination"]["previous"] and not second.context["pagination"]["next"]
