"""One action, one result: a create form sent twice, or three times at once, makes one thing; a plan
has one live referral of a kind, in the database as well as in the service."""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.exceptions import ActionRefused
from core.models import FormSubmission
from core.once import ALREADY_SENT, EXPIRED
from core.tests.races import at_once
from people.models import Person
from people.tests.factories import make_plan
from referrals import services as referral_services
from referrals.models import Referral, ReferralTransition

PERSON = {
    "first_name": "Ada",
    "last_name": "Thompson",
    "date_of_birth_day": "2",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1941",
    "address_line_1": "12 Canal Street",
    "town": "Riverside",
    "postcode": "E1 6AN",
}


def person_form(social_worker, east_area, token):
    return PERSON | {"area": east_area.pk, "allocated_worker": social_worker.pk, "form_token": str(token)}


def referral_form(plan, token):
    return {"plan": plan.pk, "details": "Morning visits", "form_token": str(token)}


def new_plan_url(person):
    return reverse("referrals:create_for_kind", args=[person.pk, "care-and-support-plan"])


def test_the_form_page_carries_a_fresh_token(client, social_worker):
    client.force_login(social_worker)
    first = client.get(reverse("people:create")).context["form"].initial["form_token"]
    second = client.get(reverse("people:create")).context["form"].initial["form_token"]
    assert isinstance(first, uuid.UUID) and first != second


def test_a_double_click_records_one_person(client, social_worker, east_area):
    client.force_login(social_worker)
    data = person_form(social_worker, east_area, uuid.uuid4())
    first = client.post(reverse("people:create"), data)
    second = client.post(reverse("people:create"), data, follow=True)
    person = Person.objects.get()
    assert first["Location"] == person.get_absolute_url()
    assert second.redirect_chain == [(person.get_absolute_url(), 302)]
    assert ALREADY_SENT in second.content.decode()


def test_a_form_without_its_token_is_refused_and_makes_nothing(client, social_worker, east_area):
    client.force_login(social_worker)
    data = person_form(social_worker, east_area, "")
    response = client.post(reverse("people:create"), data)
    assert response.status_code == 400 and EXPIRED in response.content.decode()
    assert not Person.objects.exists()


def test_a_refused_form_can_be_corrected_and_sent_again_with_its_token(client, social_worker, person):
    client.force_login(social_worker)
    url = reverse("referrals:create_for_kind", args=[person.pk, "urgent-response"])
    data = {"service_type": "telecare", "details": "Falls at night", "form_token": str(uuid.uuid4())}
    refused = client.post(url, data)
    assert "Brokerage does not arrange telecare" in refused.content.decode()
    assert not FormSubmission.objects.exists()
    sent = client.post(url, data | {"service_type": "home_care"})
    assert sent["Location"] == Referral.objects.get().get_absolute_url()


def test_someone_elses_token_is_not_theirs_to_replay(client, social_worker, other_social_worker, east_area):
    token = uuid.uuid4()
    client.force_login(social_worker)
    client.post(reverse("people:create"), person_form(social_worker, east_area, token))
    client.force_login(other_social_worker)
    response = client.post(
        reverse("people:create"), person_form(other_social_worker, east_area, token) | {"first_name": "Grace"}
    )
    assert EXPIRED in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_referral_form_sent_three_times_at_once_makes_one_referral(social_worker, person):
    plan = make_plan(social_worker, person)
    data = referral_form(plan, uuid.uuid4())

    def post():
        client = Client()
        client.force_login(social_worker)
        return client.post(new_plan_url(person), data)

    responses = at_once(post, post, post)
    referral = Referral.objects.get()
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert {r["Location"] for r in responses} == {referral.get_absolute_url()}
    assert ReferralTransition.objects.filter(referral=referral).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_forms_for_one_plan_at_once_make_one_referral(social_worker, person):
    """Two tabs, two tokens: the database's rule decides, and the loser is told which referral stands."""
    plan = make_plan(social_worker, person)

    def create():
        return referral_services.create_referral(
            acting_user=social_worker,
            person=person,
            kind="support_plan",
            service_type="home_care",
            plan=plan,
            details="Morning visits",
        )

    results = at_once(create, create)
    made = [r for r in results if isinstance(r, Referral)]
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(made) == 1 and len(refused) == 1, results
    assert f"There is already a referral of this kind for this plan: {made[0].reference}" in refused[0].message
    assert Referral.objects.count() == 1


def test_a_second_referral_of_a_kind_for_a_plan_is_refused_until_the_first_ends(social_worker, person):
    plan = make_plan(social_worker, person)
    fields = {
        "acting_user": social_worker,
        "person": person,
        "kind": "support_plan",
        "service_type": "home_care",
        "plan": plan,
        "details": "Morning visits",
    }
    first = referral_services.create_referral(**fields)
    with pytest.raises(ActionRefused, match=f"{first.reference}, awaiting a funding decision"):
        referral_services.create_referral(**fields)
    referral_services.withdraw_referral(first, acting_user=social_worker, reason="Sent in error")
    assert referral_services.create_referral(**fields).pk != first.pk


def test_upgrading_a_database_with_duplicates_withdraws_all_but_the_first(social_worker, person):
    """The migration that adds the rule first resolves duplicates an older database may hold."""
    from importlib import import_module

    migration = import_module("referrals.migrations.0003_withdraw_duplicate_referrals")
    constraint = next(c for c in Referral._meta.constraints if c.name == "one_live_referral_per_plan_and_kind")
    plan = make_plan(social_worker, person)
    with connection.schema_editor() as editor:
        editor.remove_constraint(Referral, constraint)
    made = [
        Referral.objects.create(
            person=person,
            plan=plan,
            kind="support_plan",
            service_type_id="home_care",
            details="x",
            team_id="east",
            referred_by=social_worker,
            state=state,
        )
        for state in ["awaiting_funding", "awaiting_funding", "queued"]
    ]

    migration.withdraw_duplicates(apps, None)
    with connection.cursor() as cursor:  # as at the end of the data migration's own transaction
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.add_constraint(Referral, constraint)

    assert [Referral.objects.get(pk=r.pk).state for r in made] == ["awaiting_funding", "withdrawn", "withdrawn"]
    notes = ReferralTransition.objects.filter(referral__in=made[1:]).values_list("note", flat=True)
    assert all(f"a duplicate of {made[0].reference}" in note for note in notes)


def test_tokens_are_forgotten_after_a_week_and_the_sweep_is_on_the_schedule(social_worker, settings):
    import time_machine
    from django.utils import timezone

    from core.once import forget_old_submissions

    with time_machine.travel(timezone.now() - timedelta(days=8)):
        FormSubmission.objects.create(token=uuid.uuid4(), user=social_worker)
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=social_worker)
    assert forget_old_submissions() == 1
    assert list(FormSubmission.objects.all()) == [recent]
    assert forget_old_submissions() == 0  # safe to run twice
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.forget_old_form_submissions" in schedule
