"""people.services: only practitioners write people, assessments, plans and budgets (SPEC §2),
and who may see a person follows their worker and their area's team."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from people import services
from people.models import CareAndSupportPlan, NeedsAssessment
from people.services import BROKERAGE_CANNOT_CHANGE_PLAN, BROKERAGE_CANNOT_SET_BUDGET, PLAN_IS_LOCKED
from people.tests.factories import PersonFields, make_assessment, make_person, make_plan
from referrals.tests.factories import awaiting_funding_referral

pytestmark = pytest.mark.django_db


def assert_refused(call, message, *, unchanged=()):
    """Refused with `message`; the given objects' rows and the audit trail are as they were."""
    rows = [type(o).objects.filter(pk=o.pk).values().get() for o in unchanged]
    events = AuditEvent.objects.count()
    with pytest.raises(ActionRefused) as refusal:
        call()
    assert message in refusal.value.message
    assert [type(o).objects.filter(pk=o.pk).values().get() for o in unchanged] == rows
    assert AuditEvent.objects.count() == events


# Recording people ---------------------------------------------------------------------------
def test_practitioner_records_a_person_and_holds_the_case(social_worker, east_area):
    person = services.create_person(
        acting_user=social_worker, **PersonFields(area=east_area, postcode=" e1 6an", nhs_number="943 476 5919")
    )
    assert person.allocated_worker == social_worker
    assert (person.postcode, person.nhs_number) == ("E1 6AN", "9434765919")


@pytest.mark.parametrize("who", ["officer_east", "cap_member", "provider_user"])
def test_only_a_practitioner_records_a_person(who, request, east_area):
    with pytest.raises(ActionRefused, match="Only a practitioner can record a new person."):
        make_person(request.getfixturevalue(who), east_area)


def test_nhs_number_is_unique(social_worker, east_area):
    make_person(social_worker, east_area, nhs_number="9434765919")
    with pytest.raises(ValidationError):
        make_person(social_worker, east_area, nhs_number="9434765919")


def test_invalid_nhs_number_is_refused(social_worker, east_area):
    with pytest.raises(ValidationError, match="check digit"):
        make_person(social_worker, east_area, nhs_number="9434765918")


def test_brokerage_cannot_change_a_persons_record(officer_east, person):
    assert_refused(
        lambda: services.update_person(person, acting_user=officer_east, phone="0"),
        "Brokerage cannot change a person's record details.",
        unchanged=[person],
    )


def test_another_practitioner_cannot_change_the_record(other_social_worker, person):
    assert_refused(
        lambda: services.update_person(person, acting_user=other_social_worker, phone="0"),
        "Only the person's allocated practitioner",
        unchanged=[person],
    )


# (b) plans and assessments ------------------------------------------------------------------
def test_brokerage_cannot_record_an_assessment(officer_east, person):
    assert_refused(lambda: make_assessment(officer_east, person), BROKERAGE_CANNOT_CHANGE_PLAN)
    assert not NeedsAssessment.objects.exists()


def test_brokerage_cannot_write_a_plan(officer_east, person):
    assert_refused(lambda: make_plan(officer_east, person, indicative_weekly_budget=None), BROKERAGE_CANNOT_CHANGE_PLAN)
    assert not CareAndSupportPlan.objects.exists()


def test_brokerage_cannot_change_a_plan(officer_east, social_worker, person):
    plan = make_plan(social_worker, person)
    assert_refused(
        lambda: services.update_plan(plan, acting_user=officer_east, weekly_hours=Decimal("20")),
        BROKERAGE_CANNOT_CHANGE_PLAN,
        unchanged=[plan],
    )


def test_practitioner_changes_an_unsent_plan(social_worker, person):
    plan = make_plan(social_worker, person, weekly_hours=Decimal("10.00"))
    plan = services.update_plan(plan, acting_user=social_worker, weekly_hours=Decimal("12.50"))
    assert plan.weekly_hours == Decimal("12.50")
    event = AuditEvent.objects.filter(action="changed", object_id=str(plan.pk)).get()
    assert event.changes == {"weekly_hours": ["10.00", "12.50"]}


def test_locked_plan_cannot_be_changed_but_a_new_version_can_be_made(social_worker, person):
    plan = awaiting_funding_referral(social_worker, person).plan
    assert_refused(
        lambda: services.update_plan(plan, acting_user=social_worker, weekly_hours=Decimal("20")),
        PLAN_IS_LOCKED,
        unchanged=[plan],
    )
    assert_refused(
        lambda: services.set_indicative_budget(plan, acting_user=social_worker, amount=Decimal("1")),
        PLAN_IS_LOCKED,
        unchanged=[plan],
    )
    new = make_plan(social_worker, person, weekly_hours=Decimal("20"))
    assert (new.version, new.is_locked) == (plan.version + 1, False)


def test_assessments_are_versioned(social_worker, person):
    first, second = make_assessment(social_worker, person), make_assessment(social_worker, person)
    assert (first.version, second.version) == (1, 2)
    assert NeedsAssessment.objects.get(pk=first.pk).presenting_needs == first.presenting_needs


# (c) the indicative budget ------------------------------------------------------------------
@pytest.mark.parametrize("who", ["officer_east", "lead_east"])
def test_brokerage_cannot_set_the_indicative_budget(who, request, social_worker, person):
    plan = make_plan(social_worker, person, indicative_weekly_budget=None)
    assert_refused(
        lambda: services.set_indicative_budget(plan, acting_user=request.getfixturevalue(who), amount=Decimal("300")),
        BROKERAGE_CANNOT_SET_BUDGET,
        unchanged=[plan],
    )


def test_brokerage_cannot_set_a_budget_by_writing_a_plan(officer_east, person):
    assert_refused(
        lambda: make_plan(officer_east, person, indicative_weekly_budget=Decimal("300")), BROKERAGE_CANNOT_CHANGE_PLAN
    )
    assert not CareAndSupportPlan.objects.exists()


def test_budget_is_not_changed_through_update_plan(social_worker, person):
    plan = make_plan(social_worker, person)
    assert_refused(
        lambda: services.update_plan(plan, acting_user=social_worker, indicative_weekly_budget=Decimal("1")),
        "Set the indicative budget with its own action",
        unchanged=[plan],
    )


def test_practitioner_sets_the_budget_and_who_set_it_is_kept(social_worker, person):
    plan = make_plan(social_worker, person, indicative_weekly_budget=None)
    plan = services.set_indicative_budget(plan, acting_user=social_worker, amount=Decimal("275.00"))
    assert (plan.indicative_weekly_budget, plan.budget_set_by) == (Decimal("275.00"), social_worker)


def test_update_person_records_only_the_changed_fields(social_worker, person):
    services.update_person(
        person,
        acting_user=social_worker,
        first_name=person.first_name,
        postcode="e1 7qx",
        date_of_birth=date(1945, 3, 2),
    )
    event = AuditEvent.objects.filter(action="changed", object_id=str(person.pk)).get()
    assert event.changes == {"postcode": ["E1 6AN", "E1 7QX"]}
    assert (event.actor, event.person) == (social_worker, person)


def test_update_with_no_change_writes_no_audit_event(social_worker, person):
    events = AuditEvent.objects.count()
    services.update_person(person, acting_user=social_worker, town=person.town)
    assert AuditEvent.objects.count() == events
