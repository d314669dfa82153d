"""Who may see a person, and scoped look-ups: the object, or not found.

Access follows need (NHS DSPT need-to-know, ASVS V8): a role sees a person while it has work for
them, and not after. The practitioner holding the case always does. Every other need is a relation
that another app owns (a referral in a team's queue, a decision waiting for the panel) and registers
here, as a condition a query can use: so "who may see this person" and "which people may this user
see" are one SQL condition, never a permission row per team member per person.

Someone else's id never reveals that it exists: a person this user may not see is "not found".
"""

from collections.abc import Callable

from django.db.models import Q
from django.http import Http404

from .models import CareAndSupportPlan, NeedsAssessment, Person

# Each need takes the user and returns a condition on Person, or None when that user has no such need.
Need = Callable[[object], Q | None]
_needs: dict[str, Need] = {}


def register_need(name: str, need: Need) -> None:
    """Called from an app's ready(): `name` says why the user may see the person (kept unique)."""
    _needs[name] = need


def visible_people(user) -> Q:
    """The condition on Person for everyone this user has work for now. Matches nobody by default."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    condition = Q(allocated_worker=user) if user.is_practitioner else Q(pk__in=[])
    for need in _needs.values():
        extra = need(user)
        if extra is not None:
            condition |= extra
    return condition


def can_view_person(user, person: Person) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_practitioner and person.allocated_worker_id == user.pk:
        return True
    return Person.objects.filter(pk=person.pk).filter(visible_people(user)).exists()


def can_change_person(user, person: Person) -> bool:
    """Only the practitioner holding the case changes the record, its assessments and its plans."""
    return user.is_authenticated and user.is_active and user.is_practitioner and person.allocated_worker_id == user.pk


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
