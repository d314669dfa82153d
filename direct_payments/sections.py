"""The direct payments section of a person's page (people.sections): what the person receives as a cash personal
budget, which has no provider agreement or care package to show it elsewhere. Given only a person the user may
see, who may open each direct payment's page (direct_payments.access). One query."""

TEMPLATE = "direct_payments/_person_direct_payments.html"


def person_direct_payments(user, person) -> dict:
    return {"rows": list(person.direct_payments.order_by("-created_at", "-id"))}
