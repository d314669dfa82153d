"""The shared lives section of a person's page (people.sections): their arrangements, and for the social worker
holding the case, if the person has a plan for shared lives, a link to refer them to a scheme."""

from catalogue.codes import ServiceCode
from people.access import can_change_person

from .selectors import for_person


def shared_lives_arrangements(user, person) -> dict:
    may_refer = (
        can_change_person(user, person) and person.plans.filter(service_type_id=ServiceCode.SHARED_LIVES).exists()
    )
    return {"arrangements": list(for_person(person)), "may_refer": may_refer, "person": person}


TEMPLATE = "shared_lives/_person_arrangements.html"
