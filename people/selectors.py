from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .access import visible_people
from .models import Person
from .validators import normalise_nhs_number

# Lists of people are in name order and paged by key (core.pagination), on the index person_name_order
# (person_caseload for a practitioner's own people): no page counts them all or skips through them.
NAME_ORDER = ["last_name", "first_name", "id"]
# A search gathers what matches, up to this many, then sorts them: beyond it, the user is asked for more.
SEARCH_LIMIT = 500
LIST_COLUMNS = (
    "id",
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
    "area__id",
    "area__name",
    "area__team",
    "allocated_worker__id",
    "allocated_worker__first_name",
    "allocated_worker__last_name",
    "allocated_worker__username",
)


def caseload(user) -> QuerySet[Person]:
    return Person.objects.filter(allocated_worker=user).select_related("area__team").order_by(*NAME_ORDER)


def people_visible_to(user) -> QuerySet[Person]:
    """Everyone the user has work for now (people.access), with what a list of people shows."""
    return (
        Person.objects.filter(visible_people(user))
        .select_related("area__team", "allocated_worker")
        .only(*LIST_COLUMNS)
        .order_by(*NAME_ORDER)
    )


@dataclass(frozen=True)
class SearchResult:
    ids: list[int]  # the people found, in name order
    too_many: bool  # more than SEARCH_LIMIT matched: none are given
    by_nhs_number: bool


def search_people(user, search: str) -> SearchResult:
    """The people the user may see who match: an NHS number finds its one person (its unique index);
    otherwise every term must be in the first name, last name or postcode (their trigram indexes).

    The matches are gathered without an order, so PostgreSQL reads them through the trigram indexes,
    then sorted here: ordered by name with a limit, it would walk the name index instead, reading most
    of the county to find the few matches of a common surname."""
    found = Person.objects.filter(visible_people(user)).order_by()
    digits = normalise_nhs_number(search)
    if len(digits) == 10 and digits.isdigit():
        return SearchResult(list(found.filter(nhs_number=digits).values_list("id", flat=True)), False, True)
    for term in search.split():
        found = found.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(postcode__icontains=term))
    keys = list(found.values_list("last_name", "first_name", "id"))
    if len(keys) > SEARCH_LIMIT:
        return SearchResult([], True, False)
    return SearchResult([pk for *_, pk in sorted(keys)], False, False)


def people_in_order(user, ids: list[int]) -> list[Person]:
    """These people, as a list shows them, in the order given (one page of a search)."""
    found = people_visible_to(user).filter(pk__in=ids).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def plans_for_person(person):
    return person.plans.select_related("budget_set_by", "service_type")


def assessments_for_person(person):
    return person.assessments.select_related("assessed_by")
