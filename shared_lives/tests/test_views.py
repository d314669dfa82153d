"""The shared lives pages: each user is offered the steps the machine allows them now, each form calls its service,
bad input comes back with a clear message and changes nothing, the same form sent twice does its work once, and
someone else's ids are not found."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.tests.forms import date_fields, fresh_token
from shared_lives.models import ArrangementTransition, SharedLivesArrangement, Visit
from shared_lives.workflows import State

from . import factories as f

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _step(arrangement, slug):
    return reverse("shared_lives:step", args=[arrangement.pk, slug])


def test_the_social_worker_refers_from_the_person_page_once_however_often_the_form_is_sent(client, person):
    worker = person.allocated_worker
    plan = f.shared_lives_plan(worker, person)
    scheme = f.scheme()
    client.force_login(worker)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("shared_lives:refer", args=[person.pk]) in page
    assert client.get(reverse("shared_lives:refer", args=[person.pk])).status_code == 200
    data = {"plan": plan.pk, "scheme": scheme.pk, "details": "Likes gardening", **fresh_token()}
    first = client.post(reverse("shared_lives:refer", args=[person.pk]), data)
    second = client.post(reverse("shared_lives:refer", args=[person.pk]), data)
    arrangement = SharedLivesArrangement.objects.get()
    assert first.url == second.url == arrangement.get_absolute_url()
    assert arrangement.scheme == scheme and arrangement.referral_details == "Likes gardening"


def test_a_referral_without_a_scheme_comes_back_with_the_message(client, person):
    worker = person.allocated_worker
    plan = f.shared_lives_plan(worker, person)
    client.force_login(worker)
    response = client.post(reverse("shared_lives:refer", args=[person.pk]), {"plan": plan.pk, **fresh_token()})
    assert response.status_code == 400
    assert "Select the shared lives scheme" in _text(response)
    assert not SharedLivesArrangement.objects.exists()


def test_another_social_worker_cannot_refer_the_person(client, person, other_social_worker):
    client.force_login(other_social_worker)
    assert client.get(reverse("shared_lives:refer", args=[person.pk])).status_code == 404


def test_the_scheme_sees_the_person_and_plan_audited_and_records_the_match_and_tasters(client, person):
    case = f.referred(person)
    client.force_login(case.scheme_user)
    portal = client.get(reverse("portal:home")).content.decode()
    assert reverse("shared_lives:scheme_list") in portal
    listing = client.get(reverse("shared_lives:scheme_list")).content.decode()
    assert case.arrangement.get_absolute_url() in listing
    page = client.get(case.arrangement.get_absolute_url())
    assert person.full_name in _text(page) and "Record the match" in _text(page)
    assert AuditEvent.objects.filter(
        actor=case.scheme_user, person=person, action=AuditEvent.Action.VIEWED, summary__contains="shared lives"
    ).exists()
    response = client.post(_step(case.arrangement, "match"), {"match-carer_name": "Maria Lopes"})
    assert response.status_code == 302
    assert SharedLivesArrangement.objects.get(pk=case.arrangement.pk).state == State.MATCHED
    taster = {"taster-outcome": "went_well", **date_fields("taster-on", timezone.localdate() - timedelta(days=1))}
    assert client.post(_step(case.arrangement, "taster"), taster).status_code == 302
    again = client.post(_step(case.arrangement, "taster"), taster, follow=True)
    assert "already recorded" in _text(again)
    assert Visit.objects.count() == 1


def test_a_step_sent_with_errors_comes_back_with_them_and_changes_nothing(client, person):
    case = f.referred(person)
    client.force_login(case.scheme_user)
    response = client.post(_step(case.arrangement, "match"), {"match-carer_name": ""})
    assert response.status_code == 400
    assert "Enter the matched carer" in _text(response)
    assert ArrangementTransition.objects.count() == 0


def test_a_step_refused_says_why_and_changes_nothing(client, person):
    case = f.trial_stays(person)
    client.force_login(case.worker)
    response = client.post(_step(case.arrangement, "send-to-panel"), follow=True)
    assert "No overnight trial stay has gone well yet" in _text(response)
    assert SharedLivesArrangement.objects.get(pk=case.arrangement.pk).state == State.TRIAL_STAYS


def test_another_scheme_and_another_team_do_not_find_the_arrangement(client, person, officer_west):
    case = f.matched(person)
    for user in (f.scheme_user(f.scheme("Other Scheme")), officer_west):
        client.force_login(user)
        assert client.get(case.arrangement.get_absolute_url()).status_code == 404
        assert client.post(_step(case.arrangement, "end"), {"end-reason": "x"}).status_code == 404
    assert SharedLivesArrangement.objects.get(pk=case.arrangement.pk).state == State.MATCHED


def test_an_unknown_step_is_not_found(client, person):
    case = f.referred(person)
    client.force_login(case.worker)
    assert client.post(_step(case.arrangement, "teleport")).status_code == 404


def test_the_panel_finds_the_case_on_its_home_page_and_decides_it(client, person, cap_member):
    case = f.at_panel(person)
    client.force_login(cap_member)
    home = client.get(reverse("home")).content.decode()
    assert case.arrangement.get_absolute_url() in home
    page = client.get(case.arrangement.get_absolute_url()).content.decode()
    assert "Record the panel" in page and "How a shared lives arrangement is made" in page
    response = client.post(
        _step(case.arrangement, "decide-funding"),
        {"decide-funding-decision": "approved", "decide-funding-approved_weekly_amount": "450.00"},
    )
    assert response.status_code == 302 and response.url == reverse("home")  # its need to see the person has ended
    assert SharedLivesArrangement.objects.get(pk=case.arrangement.pk).state == State.FUNDED


def test_the_referral_page_links_to_the_arrangement(client, person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    client.force_login(officer_east)
    assert case.arrangement.get_absolute_url() in client.get(case.referral.get_absolute_url()).content.decode()
    page = client.get(case.arrangement.get_absolute_url())
    assert "Issue the purchase order" in _text(page)
