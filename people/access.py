"""Scoped look-ups: the object, or not found. Someone else's id never reveals that it exists."""

from django.http import Http404

from .models import CareAndSupportPlan, NeedsAssessment, Person

VIEW_PERSON = "people.view_person"
CHANGE_PERSON = "people.change_person"


def can_view_person(user, person: Person) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(VIEW_PERSON, person)


def access_person(user, person_id: int) -> Person:
    person = Person.objects.select_related("area", "allocated_worker").filter(pk=person_id).first()
    if person is None or not can_view_person(user, person):
        raise Http404("No such person, or not one of yours")
    return person


def access_plan(user, person: Person, plan_id: int) -> CareAndSupportPlan:
    plan = CareAndSupportPlan.objects.filter(pk=plan_id, person=person).select_related("assessment").first()
    if plan is None:
        raise Http404("No such plan for this person")
    return plan


def access_assessment(user, person: Person, assessment_id: int) -> NeedsAssessment:
    assessment = NeedsAssessment.objects.filter(pk=assessment_id, person=person).first()
    if assessment is None:
        raise Http404("No such assessment for this person")
    return assessment
