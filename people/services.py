"""Writes to people, needs assessments and care and support plans.

Only practitioners write these: Brokerage may not change a plan or an assessment, nor set the
indicative budget (SPEC §2). Every function checks that itself, whatever the caller.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.services import diff, record_change, snapshot
from catalogue.models import code_of
from core.exceptions import ActionRefused

from .access import can_change_person
from .models import CareAndSupportPlan, NeedsAssessment, Person
from .validators import normalise_nhs_number, normalise_postcode

BROKERAGE_CANNOT_CHANGE_PLAN = (
    "Brokerage cannot change a care and support plan or an assessment. "
    "Ask the person's practitioner to make the change."
)
BROKERAGE_CANNOT_SET_BUDGET = "Brokerage cannot set the indicative budget. Only a practitioner can set it."
PLAN_IS_LOCKED = (
    "This plan has been sent for funding or to Brokerage, so it cannot be changed. "
    "Create a new version of the plan instead."
)

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "date_of_birth",
    "nhs_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "phone",
    "representative_name",
    "representative_relationship",
    "representative_phone",
    "area_id",
    "allocated_worker_id",
]
PLAN_FIELDS = [
    "service_type_id",
    "weekly_hours",
    "visit_schedule",
    "outcomes",
    "specific_or_complex_needs",
    "required_specialisms",
    "preferred_language",
    "preferred_locations",
    "places_to_avoid",
    "provision_kind",
    "one_to_one_hours",
    "assessment_id",
]


def _service_by_code(fields: dict) -> None:
    """A plan's service given as a row (from a form) or as its code (from code): set by its code."""
    if "service_type" in fields:
        fields["service_type_id"] = code_of(fields.pop("service_type"))


def _ensure_practitioner(user, refusal: str) -> None:
    if not user.is_practitioner:
        raise ActionRefused(refusal)


def _ensure_holds_case(user, person: Person, refusal: str) -> None:
    _ensure_practitioner(user, refusal)
    if not can_change_person(user, person):
        raise ActionRefused("Only the person's allocated practitioner can change their record.")


def _clean_person_fields(fields: dict) -> dict:
    fields = dict(fields)
    if "postcode" in fields:
        fields["postcode"] = normalise_postcode(fields["postcode"])
    if "nhs_number" in fields:
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    return fields


@transaction.atomic
def create_person(*, acting_user, **fields) -> Person:
    """Record a new person, held by the acting practitioner unless another is named."""
    _ensure_practitioner(acting_user, "Only a practitioner can record a new person.")
    fields = _clean_person_fields(fields)
    fields.setdefault("allocated_worker", acting_user)
    person = Person(created_by=acting_user, **fields)
    person.full_clean()
    person.save()
    record_change(
        actor=acting_user,
        obj=person,
        person=person,
        created=True,
        summary="Recorded a new person",
        changes=snapshot(person, PERSON_FIELDS),
    )
    return person


@transaction.atomic
def update_person(person: Person, *, acting_user, **fields) -> Person:
    _ensure_holds_case(acting_user, person, "Brokerage cannot change a person's record details.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    for name, value in _clean_person_fields(fields).items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    person.refresh_from_db()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        record_change(
            actor=acting_user, obj=person, person=person, summary="Changed the person's details", changes=changes
        )
    return person


def _next_version(model, person: Person) -> int:
    return (model.objects.filter(person=person).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def record_assessment(person: Person, *, acting_user, **fields) -> NeedsAssessment:
    """A new version of the person's needs assessment; earlier versions stay as they were."""
    _ensure_holds_case(acting_user, person, BROKERAGE_CANNOT_CHANGE_PLAN)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # serialise version numbers
    assessment = NeedsAssessment(
        person=person,
        version=_next_version(NeedsAssessment, person),
        assessed_by=acting_user,
        created_by=acting_user,
        **fields,
    )
    assessment.full_clean()
    assessment.save()
    record_change(
        actor=acting_user,
        obj=assessment,
        person=person,
        created=True,
        summary=f"Recorded needs assessment version {assessment.version}",
        changes=snapshot(
            assessment, ["assessed_on", "presenting_needs", "eligible_needs", "specific_or_complex_needs"]
        ),
    )
    return assessment


@transaction.atomic
def create_plan(
    person: Person, *, acting_user, indicative_weekly_budget: Decimal | None = None, **fields
) -> CareAndSupportPlan:
    """A new version of the person's care and support plan, with its indicative budget."""
    _ensure_holds_case(acting_user, person, BROKERAGE_CANNOT_CHANGE_PLAN)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _service_by_code(fields)
    plan = CareAndSupportPlan(
        person=person, version=_next_version(CareAndSupportPlan, person), created_by=acting_user, **fields
    )
    if indicative_weekly_budget is not None:
        plan.indicative_weekly_budget = indicative_weekly_budget
        plan.budget_set_by = acting_user
    plan.full_clean()
    plan.save()
    record_change(
        actor=acting_user,
        obj=plan,
        person=person,
        created=True,
        summary=f"Wrote care and support plan version {plan.version}",
        changes=snapshot(plan, PLAN_FIELDS + ["indicative_weekly_budget"]),
    )
    return plan


@transaction.atomic
def update_plan(plan: CareAndSupportPlan, *, acting_user, **fields) -> CareAndSupportPlan:
    _ensure_holds_case(acting_user, plan.person, BROKERAGE_CANNOT_CHANGE_PLAN)
    plan = CareAndSupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_locked:
        raise ActionRefused(PLAN_IS_LOCKED)
    if "indicative_weekly_budget" in fields:
        raise ActionRefused("Set the indicative budget with its own action, so it is recorded who set it.")
    before = snapshot(plan, PLAN_FIELDS)
    _service_by_code(fields)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    changes = diff(before, snapshot(plan, PLAN_FIELDS))
    if changes:
        record_change(
            actor=acting_user,
            obj=plan,
            person=plan.person,
            summary=f"Changed plan version {plan.version}",
            changes=changes,
        )
    return plan


@transaction.atomic
def set_indicative_budget(plan: CareAndSupportPlan, *, acting_user, amount: Decimal) -> CareAndSupportPlan:
    """Only a practitioner sets the indicative budget, and only on a plan not yet sent on."""
    _ensure_practitioner(acting_user, BROKERAGE_CANNOT_SET_BUDGET)
    _ensure_holds_case(acting_user, plan.person, BROKERAGE_CANNOT_SET_BUDGET)
    plan = CareAndSupportPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_locked:
        raise ActionRefused(PLAN_IS_LOCKED)
    before = plan.indicative_weekly_budget
    plan.indicative_weekly_budget = amount
    plan.budget_set_by = acting_user
    plan.full_clean()
    plan.save()
    record_change(
        actor=acting_user,
        obj=plan,
        person=plan.person,
        summary="Set the indicative weekly budget",
        changes={"indicative_weekly_budget": [before, amount]},
    )
    return plan


def lock_plan(plan: CareAndSupportPlan) -> None:
    """Freeze a plan once it is sent on; called inside the sending service's transaction."""
    if plan.locked_at is None:
        plan.locked_at = timezone.now()
        plan.save(update_fields=["locked_at", "modified_at"])
