"""A DPS requirement goes to every provider on the arrangement: the only personal detail it may hold is
the person's postcode district. A summary or outcome naming anything else is refused, saying what."""

from datetime import date

import pytest

from core.exceptions import ActionRefused
from dps import services
from dps.models import DPSRequirement, OutcomeStatement
from dps.personal_data import find_personal_details
from dps.tests.factories import OUTCOMES, SUMMARY, allocated, footprint, requirement_fields
from people.tests.factories import make_person, nhs_number

NHS = nhs_number(90_001)


@pytest.fixture
def ada(social_worker, east_area):
    return make_person(
        social_worker, east_area, first_name="Ada", last_name="Thompson", date_of_birth=date(1941, 3, 2),
        nhs_number=NHS, address_line_1="14 Cable Street", address_line_2="Flat 3", postcode="E1 6AN",
        phone="020 7946 0123", representative_name="Grace Okafor", representative_phone="07700 900123",
    )


@pytest.fixture
def case(ada, cap_member, officer_east):
    return allocated(ada, cap_member, officer_east)


GIVEAWAYS = [
    ("name", "Ada likes her carers to arrive early."),
    ("name", "Mrs THOMPSON prefers female carers."),
    ("date of birth", "Born on 02/03/1941."),
    ("date of birth", "Born on 2/3/1941."),
    ("date of birth", "Born on 02-03-1941."),
    ("date of birth", "Born on 02.03.1941."),
    ("date of birth", "Born on 1941-03-02."),
    ("date of birth", "Born on 2 March 1941."),
    ("date of birth", "Born on 2nd March 1941."),
    ("date of birth", "Born on 2 Mar 1941."),
    ("date of birth", "Born on 2-3-1941."),
    ("date of birth", "Born on March 2, 1941."),
    ("NHS number", f"NHS number {NHS}."),
    ("NHS number", f"NHS number {NHS[:3]} {NHS[3:6]} {NHS[6:]}."),
    ("address", "Lives at 14 Cable Street."),
    ("address", "Lives in flat 3 on the second floor."),
    ("phone number", "Ring 020 7946 0123 before the first visit."),
    ("phone number", "Ring 02079460123 before the first visit."),
    ("next of kin", "Her daughter Grace Okafor lets carers in."),
    ("next of kin", "Her daughter's number is 07700 900123."),
    ("full postcode", "The house is at E1 6AN."),
    ("full postcode", "The house is at e16an."),
]


@pytest.mark.parametrize("where", ["summary", "outcome"])
@pytest.mark.parametrize(("kind", "text"), GIVEAWAYS)
def test_requirement_refuses_personal_details(case, officer_east, kind, text, where):
    fields = {"summary": f"{SUMMARY} {text}"} if where == "summary" else {"outcomes": [*OUTCOMES, text]}
    before = footprint(case.referral)

    with pytest.raises(ActionRefused) as refused:
        services.publish_requirement(case.referral, acting_user=officer_east,
                                     **requirement_fields(case.arrangement, **fields))

    assert f"Remove the person's {kind} from the text" in refused.value.message
    assert footprint(case.referral) == before
    assert not OutcomeStatement.objects.exists()


def test_requirement_allows_the_postcode_district(case, officer_east):
    summary = "Lives in E1, close to the bus routes. Carers who drive are not needed."
    requirement = services.publish_requirement(case.referral, acting_user=officer_east,
                                               **requirement_fields(case.arrangement, summary=summary))
    assert DPSRequirement.objects.get() == requirement
    assert requirement.summary == summary
    assert requirement.postcode_district == "E1"


def test_refusal_names_every_kind_found(ada):
    text = "Ada Thompson, 14 Cable Street, E1 6AN, born 2 March 1941."
    assert find_personal_details(text, ada) == ["name", "date of birth", "address", "full postcode"]


@pytest.mark.parametrize("text", [
    "Adam and Adaline are other people's names.",
    "Thompsons Lane is nearby.",
    "Lives in E1, in the 6th block.",
    "Visits at 02:03 are not wanted; 1941 was a long time ago.",
    "Needs help with 14 tasks on Cable days.",
])
def test_near_misses_are_not_personal_details(ada, text):
    assert find_personal_details(text, ada) == []


def test_empty_details_are_never_matched(social_worker, east_area):
    person = make_person(social_worker, east_area, first_name="Bo", last_name="Li")  # too short to search for
    assert find_personal_details("Bo and Li, with no phone or next of kin recorded.", person) == []
