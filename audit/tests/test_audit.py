"""The audit trail: who did what to whose record, for every change, transition, view and refusal."""

import pytest
from django.db import ProgrammingError, transaction

from audit.models import AuditEvent
from audit.selectors import audit_events_for_person
from audit.services import diff, record_refusal, record_view, snapshot
from people import services as people_services
from people.tests.factories import make_plan
from referrals import services as referral_services
from referrals.tests.factories import urgent_referral

pytestmark = pytest.mark.django_db


def events(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


def test_creating_a_person_is_recorded_with_actor_and_person(social_worker, person):
    event = events("created", person).get()
    assert (event.actor, event.person, event.object_repr) == (social_worker, person, str(person))
    assert event.changes["postcode"] == "E1 6AN"


def test_creating_a_plan_is_recorded_against_the_person(social_worker, person):
    plan = make_plan(social_worker, person)
    event = events("created", plan).get()
    assert (event.actor, event.person) == (social_worker, person)
    assert event.changes["indicative_weekly_budget"] == "250.00"


def test_an_update_is_recorded_as_a_change(social_worker, person):
    people_services.update_person(person, acting_user=social_worker, phone="020 7946 0001")
    event = events("changed", person).get()
    assert (event.actor, event.person, event.changes) == (social_worker, person, {"phone": ["", "020 7946 0001"]})


def test_a_transition_is_recorded_with_its_states(social_worker, officer_east, person):
    referral = referral_services.take_referral(urgent_referral(social_worker, person), acting_user=officer_east)
    event = events("transitioned", referral).latest("id")
    assert (event.actor, event.person) == (officer_east, person)
    assert event.summary == "take: queued → allocated"
    assert event.changes == {"state": ["queued", "allocated"], "note": ""}


def test_a_view_is_recorded(officer_east, person):
    record_view(actor=officer_east, obj=person, person=person, what="the person's record")
    event = events("viewed", person).get()
    assert (event.actor, event.person, event.summary) == (officer_east, person, "Viewed the person's record")


def test_a_refusal_is_recorded_with_its_reason(officer_east, person):
    record_refusal(actor=officer_east, obj=person, person=person, reason="Brokerage cannot change a plan.")
    event = events("refused", person).get()
    assert (event.actor, event.person, event.summary) == (officer_east, person, "Brokerage cannot change a plan.")


def test_a_persons_history_lists_every_event_about_them_newest_first(social_worker, officer_east, person, west_person):
    record_view(actor=officer_east, obj=person, person=person, what="the person's record")
    history = list(audit_events_for_person(person))
    assert [e.action for e in history] == ["viewed", "created"]
    assert all(e.person == person for e in history)


def test_diff_keeps_only_changed_fields(person):
    before = snapshot(person, ["first_name", "town"])
    person.town = "Elsewhere"
    assert diff(before, snapshot(person, ["first_name", "town"])) == {"town": ["Riverside", "Elsewhere"]}


# Nobody can alter the trail: the database refuses, whatever the code does ----------------------
@pytest.fixture
def event(social_worker, person):
    return AuditEvent.objects.filter(person=person).earliest("id")


def _unchanged(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    return (stored.summary, stored.actor_id, stored.changes) == (event.summary, event.actor_id, event.changes)


def test_a_plain_save_of_an_audit_event_is_refused(event):
    original = event.summary
    event.summary = "Nothing happened here"
    with pytest.raises(ProgrammingError, match="audit trail cannot be altered"), transaction.atomic():
        event.save()
    event.summary = original
    assert _unchanged(event)


def test_a_bulk_update_of_the_trail_is_refused(event):
    with pytest.raises(ProgrammingError, match="audit trail cannot be altered"), transaction.atomic():
        AuditEvent.objects.all().update(summary="rewritten")
    assert _unchanged(event)


def test_deleting_an_audit_event_is_refused(event):
    with pytest.raises(ProgrammingError, match="audit trail cannot be altered"), transaction.atomic():
        event.delete()
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(AuditEvent.objects.db)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_are_still_written(event, social_worker, person):
    before = AuditEvent.objects.count()
    record_view(actor=social_worker, obj=person, person=person, what="the person's record")
    assert AuditEvent.objects.count() == before + 1
