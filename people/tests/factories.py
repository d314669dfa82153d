"""People, assessments and plans made through people.services, so permissions and audit are as in use."""

from datetime import date
from decimal import Decimal

import factory

from catalogue.codes import ServiceCode
from people import services
from people.models import CareAndSupportPlan, NeedsAssessment, Person


def nhs_check_digit(first_nine: str) -> int:
    """The modulus 11 check digit of nine digits; 10 means no valid number has them."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else check


def nhs_number(n: int) -> str:
    """The n-th of a series of distinct valid NHS numbers.

    Of two consecutive prefixes at most one has check digit 10 (one more in the last place moves
    the total by 2), so prefix 2n or 2n+1 always gives a valid number, and no two n share one.
    """
    for prefix in (400_000_000 + 2 * n, 400_000_000 + 2 * n + 1):
        check = nhs_check_digit(str(prefix))
        if check != 10:
            return f"{prefix}{check}"
    raise AssertionError("unreachable")


class PersonFields(factory.DictFactory):
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Example"
    date_of_birth = date(1945, 3, 2)
    nhs_number = factory.Sequence(nhs_number)
    address_line_1 = "1 High Street"
    town = "Riverside"
    postcode = "E1 6AN"


class AssessmentFields(factory.DictFactory):
    assessed_on = date(2025, 6, 1)
    presenting_needs = factory.Sequence(lambda n: f"Needs help with washing and dressing ({n}).")
    eligible_needs = "Personal care; nutrition."


class PlanFields(factory.DictFactory):
    service_type = ServiceCode.HOME_CARE
    weekly_hours = Decimal("10.00")
    outcomes = factory.Sequence(lambda n: f"To stay safely at home ({n}).")
    indicative_weekly_budget = Decimal("250.00")


def make_person(worker, area, **overrides) -> Person:
    """A person recorded by `worker` (who then holds the case) in `area`."""
    return services.create_person(acting_user=worker, **PersonFields(area=area, **overrides))


def make_assessment(worker, person, **overrides) -> NeedsAssessment:
    return services.record_assessment(person, acting_user=worker, **AssessmentFields(**overrides))


def make_plan(worker, person, service_type=ServiceCode.HOME_CARE, **overrides) -> CareAndSupportPlan:
    """A plan with an indicative budget (pass indicative_weekly_budget=None for none)."""
    return services.create_plan(person, acting_user=worker, **PlanFields(service_type=service_type, **overrides))
