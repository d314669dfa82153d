"""The reablement section of a person's page (people.sections): their reablement cases, for those who may open
them (SPA, and the Brokerage team a case's referral went to)."""

from .access import can_see_case
from .selectors import where_it_is

TEMPLATE = "reablement/_person_cases.html"


def reablement_cases(user, person) -> dict:
    cases = [c for c in person.reablement_cases.select_related("referral", "worker") if can_see_case(user, c)]
    return {"rows": [(c, where_it_is(c)) for c in cases]}
