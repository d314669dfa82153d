from django.db.models import Q, QuerySet

from .access import visible_people
from .models import Person
from .validators import normalise_nhs_number


def caseload(user) -> QuerySet[Person]:
    return Person.objects.filter(allocated_worker=user).select_related("area").order_by("last_name", "first_name")


def people_visible_to(user, *, search: str = "") -> QuerySet[Person]:
    """Everyone the user has work for now (people.access): an NHS number finds its one person, other
    searches match every term against names and postcode."""
    qs = Person.objects.filter(visible_people(user))
    digits = normalise_nhs_number(search)
    if len(digits) == 10 and digits.isdigit():
        qs = qs.filter(nhs_number=digits)
    else:
        for term in search.split():
            qs = qs.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(postcode__icontains=term))
    return qs.select_related("area", "allocated_worker").order_by("last_name", "first_name")


def plans_for_person(person):
    return person.plans.select_related("budget_set_by").prefetch_related("funding_decisions__decided_by")


def assessments_for_person(person):
    return person.assessments.select_related("assessed_by")
