"""A DPS requirement goes to every provider on the arrangement: the only personal detail it may hold is
the person's postcode district. A summary or outcome naming anything else is refused, saying what, however
the detail is disguised; ordinary sentences, and names that are everyday words used as words, pass."""

from datetime import date

import pytest

from commissioning import services as commissioning
from core.exceptions import ActionRefused
from dps.models import DPSRequirement, OutcomeStatement
from dps.personal_data import find_personal_details
from dps.tests.factories import OUTCOMES, SUMMARY, allocated, closed, footprint, requirement_fields
from people.tests.factories import make_person, nhs_number

NHS = nhs_number(90_001)  # 4001800020


@pytest.fixture
def ada(social_worker, east_area):
    return make_person(
        social_worker,
        east_area,
        first_name="Ada",
        last_name="Thompson",
        date_of_birth=date(1941, 3, 2),
        nhs_number=NHS,
        address_line_1="14 Cable Street",
        address_line_2="Flat 3",
        postcode="E1 6AN",
        phone="020 7946 0123",
        representative_name="Grace Okafor",
        representative_relationship="Daughter",
        representative_phone="07700 900123",
    )


@pytest.fixture
def case(ada, cap_member, officer_east):
    return allocated(ada, cap_member, officer_east)


@pytest.fixture
def people(ada, social_worker, east_area):
    """Ada, and people whose first names are everyday words, born on dates that look like times."""
    return {
        "ada": ada,
        "may": make_person(
            social_worker,
            east_area,
            first_name="May",
            last_name="Fenwick",
            date_of_birth=date(1930, 12, 30),
            address_line_1="2 Orchard Road",
        ),
        "will": make_person(
            social_worker,
            east_area,
            first_name="Will",
            last_name="Osei",
            date_of_birth=date(1950, 5, 10),
            address_line_1="9 Bow Lane",
            representative_name="Tom Mensah",
            representative_relationship="Son",
        ),
        "june": make_person(
            social_worker,
            east_area,
            first_name="June",
            last_name="Ashworth",
            date_of_birth=date(1938, 8, 17),
            address_line_1="5 Mile End Road",
        ),
    }


def _publish(case, officer, **fields):
    return commissioning.publish_requirement(
        case.commission, acting_user=officer, **requirement_fields(case.arrangement, **fields)
    )


DISGUISED = [
    # the person's name
    ("name", "Ada likes her carers to arrive early."),
    ("name", "A.d.a likes her carers to arrive early."),
    ("name", "A\u200bda likes her carers to arrive early."),  # a zero-width space inside
    ("name", "\u0410da likes her carers to arrive early."),  # Cyrillic capital A
    ("name", "\u0391da likes her carers to arrive early."),  # Greek capital alpha
    ("name", "4da likes her carers to arrive early."),
    ("name", "\uff21\uff24\uff21 likes her carers to arrive early."),  # full-width letters
    ("name", "\u00c1d\u00e1 likes her carers to arrive early."),  # accents
    ("name", "Ada's carers should be women."),
    ("name", "Mrs THOMPSON prefers female carers."),
    ("name", "Mrs T h o m p s o n prefers female carers."),
    ("name", "Mrs Thom_pson prefers female carers."),
    ("name", "Mrs Thom pson prefers female carers."),
    ("name", "Mrs Th\u043empson prefers female carers."),  # Cyrillic small o
    ("name", "Mrs Th0mpson prefers female carers."),
    ("name", "The Thompsons have a cat."),
    ("name", "Thompsons Lane is nearby."),
    ("name", "Mrs Thompson\u2019s carers should be women."),
    ("name", "thompson, ada"),
    ("name", "Lives with Mrs \u202enospmohT."),  # a right-to-left override: shows as "Thompson"
    # date of birth
    ("date of birth", "Born on 2/3/41."),
    ("date of birth", "Born on 02/03/1941."),
    ("date of birth", "Born on 02.03.41."),
    ("date of birth", "Born on 1941-03-02."),
    ("date of birth", "Born on the 2nd of March 1941."),
    ("date of birth", "Born on March 2nd '41."),
    ("date of birth", "Born on March 2, 1941."),
    ("date of birth", "Born on 2 Mar 41."),
    ("date of birth", "Born on 2-Mar-1941."),
    ("date of birth", "DOB 02031941."),
    # NHS number
    ("NHS number", f"NHS number {NHS}."),
    ("NHS number", f"NHS number {NHS[:3]} {NHS[3:6]} {NHS[6:]}."),
    ("NHS number", f"NHS number {NHS[:3]}.{NHS[3:6]}.{NHS[6:]}."),
    ("NHS number", f"NHS number {NHS[:3]}/{NHS[3:6]}/{NHS[6:]}."),
    ("NHS number", f"NHS number {NHS[:3]}-{NHS[3:6]}-{NHS[6:]}."),
    # address
    ("address", "Lives at 14 Cable Street."),
    ("address", "Lives at 14, Cable St."),
    ("address", "Lives on Cable St, near the market."),
    ("address", "Lives on CABLE STR."),
    ("address", "Lives at 14 Cable."),
    ("address", "Lives in flat 3 on the second floor."),
    ("address", "Lives in Flat No. 3."),
    ("address", "Lives in apt 3."),
    # phone number
    ("phone number", "Ring 020 7946 0123 before the first visit."),
    ("phone number", "Ring 02079460123 before the first visit."),
    ("phone number", "Ring +44 (0)20 7946 0123 before the first visit."),
    ("phone number", "Ring +44 20 7946 0123 before the first visit."),
    ("phone number", "Ring 0044 20 7946 0123 before the first visit."),
    ("phone number", "Ring (020) 7946 0123 before the first visit."),
    ("phone number", "Ring 020.7946.0123 before the first visit."),
    # next of kin
    ("next of kin", "Her daughter Grace Okafor lets carers in."),
    ("next of kin", "Daughter Grace will meet the carers."),
    ("next of kin", "Carers should ask for Grace at the door."),
    ("next of kin", "Mrs Okafor lets carers in."),
    ("next of kin", "Her daughter's number is 07700 900123."),
    ("next of kin", "Her daughter's number is +44 7700 900 123."),
    # full postcode
    ("full postcode", "The house is at E1 6AN."),
    ("full postcode", "The house is at e16an."),
    ("full postcode", "The house is at E1.6AN."),
    ("full postcode", "The house is at E1\u00a06AN."),
]


@pytest.mark.parametrize(("kind", "text"), DISGUISED)
def test_disguised_details_are_found(ada, kind, text):
    assert find_personal_details(text, ada) == [kind]


@pytest.mark.parametrize("where", ["summary", "outcome"])
@pytest.mark.parametrize(("kind", "text"), DISGUISED)
def test_requirement_refuses_personal_details(case, officer_east, kind, text, where):
    fields = {"summary": f"{SUMMARY} {text}"} if where == "summary" else {"outcomes": [*OUTCOMES, text]}
    before = footprint(case.referral)

    with pytest.raises(ActionRefused) as refused:
        _publish(case, officer_east, **fields)

    assert f"Remove the person's {kind} from the text" in refused.value.message
    assert footprint(case.referral) == before
    assert not OutcomeStatement.objects.exists()


@pytest.mark.parametrize(
    ("who", "text"),
    [
        ("ada", "Adam and Adaline are other people's names."),
        ("ada", "Lives in E1, in the 6th block."),
        ("ada", "Visits at 02:03 are not wanted; 1941 was a long time ago."),
        ("ada", "Needs help with 14 tasks on Cable days."),
        ("ada", "Visits at 08:00, 12:30 and 17:00, 10.5 hours a week."),
        ("ada", "Up to \u00a318.50 an hour, \u00a3250.00 a week, \u00a31,941.00 in all."),
        ("ada", "Lives in E1, close to the bus routes; help is a priority and lives in a flat."),
        ("ada", "Carers should show grace and patience."),
        ("ada", "Room 203 on the third floor, 4 visits a day."),
        ("may", "Carers may arrive early."),
        ("may", "Starts on 1 May; visits may be at 12:30."),
        ("may", "Visits at 08:00, 12:30 and 17:00, 10.5 hours a week."),
        ("will", "We will call the office."),
        ("will", "Visits at 08:00, 12:30 and 17:00, 10.5 hours a week."),
        ("june", "Starts on 1 June."),
        ("june", "Starts on the 1st of June, reviewed in June 2026 and mid-June each year."),
    ],
)
def test_ordinary_sentences_pass(people, who, text):
    assert find_personal_details(text, people[who]) == []


@pytest.mark.parametrize(
    ("who", "kind", "text"),
    [
        ("may", "name", "May likes tea in the garden."),
        ("may", "name", "Carers should ask for May at the door."),
        ("may", "name", "Mrs may likes tea in the garden."),
        ("may", "name", "M.a.y likes tea in the garden."),
        ("may", "name", "M4y likes tea in the garden."),
        ("may", "name", "M\u0430y likes tea in the garden."),  # Cyrillic small a
        ("may", "name", "may fenwick likes tea in the garden."),
        ("will", "name", "Mr Will prefers male carers."),
        ("will", "name", "Carers will find will osei in the garden."),
        ("will", "name", "W1ll prefers male carers."),
        ("will", "next of kin", "Son Tom will meet the carers."),
        ("june", "name", "Meet June at the door."),
        ("june", "name", "June's daughter lets the carers in."),
    ],
)
def test_names_that_are_words_are_refused_as_names(people, who, kind, text):
    assert find_personal_details(text, people[who]) == [kind]


@pytest.mark.parametrize(
    ("address", "text"),
    [
        ("3 Mile End Road", "Near Mile End Rd."),
        ("7 Lime Avenue", "Near Lime Ave."),
        ("2 Bow Lane", "Near Bow Ln."),
        ("5 Elm Close", "Near Elm Cl."),
        ("8 Park Drive", "Near Park Dr."),
        ("4 Kings Court", "Near Kings Ct."),
        ("6 Albion Place", "Near Albion Pl."),
        ("1 Rose Gardens", "Near Rose Gdns."),
        ("9 Moon Crescent", "Near Moon Cres."),
        ("11 Bell Terrace", "Near Bell Tce."),
        ("12 Arbour Square", "Near Arbour Sq."),
        ("Flat 2, 30 Dock Street", "At 30 Dock St, flat 2."),
    ],
)
def test_abbreviated_street_types_are_found(social_worker, east_area, address, text):
    person = make_person(social_worker, east_area, first_name="Ada", last_name="Thompson", address_line_1=address)
    assert find_personal_details(text, person) == ["address"]


def test_requirement_allows_the_postcode_district(case, officer_east):
    summary = "Lives in E1, close to the bus routes. Carers who drive are not needed."
    requirement = _publish(case, officer_east, summary=summary)
    assert DPSRequirement.objects.get() == requirement
    assert requirement.summary == summary
    assert requirement.postcode_district == "E1"


def test_republishing_checks_the_text_again(ada, cap_member, officer_east):
    case = closed(ada, cap_member, officer_east)
    before, outcomes_before = footprint(case.referral), OutcomeStatement.objects.count()

    with pytest.raises(ActionRefused, match="Remove the person's name, phone number from the text"):
        commissioning.republish_requirement(
            case.commission,
            acting_user=officer_east,
            reason="No acceptable bids",
            **requirement_fields(
                case.arrangement, summary="Ring Mrs Th0mpson first.", outcomes=["Call 020.7946.0123 on arrival"]
            ),
        )

    assert footprint(case.referral) == before
    assert OutcomeStatement.objects.count() == outcomes_before
    case.requirement.refresh_from_db()
    assert case.requirement.status == DPSRequirement.Status.CLOSED


def test_refusal_names_every_kind_found(ada):
    text = "Ada Thompson, 14 Cable Street, E1 6AN, born 2 March 1941."
    assert find_personal_details(text, ada) == ["name", "date of birth", "address", "full postcode"]


def test_every_kind_is_named_once_in_a_fixed_order(ada):
    text = (
        f"E1 6AN. Grace 07700 900123. Ring 020 7946 0123. Flat 3, 14 Cable St. NHS {NHS}. Born 2/3/41. "
        "Ada Thompson, known as Ada."
    )
    assert find_personal_details(text, ada) == [
        "name",
        "date of birth",
        "NHS number",
        "address",
        "phone number",
        "next of kin",
        "full postcode",
    ]


def test_empty_details_are_never_matched(social_worker, east_area):
    person = make_person(social_worker, east_area, first_name="Bo", last_name="Li")  # too short to search for
    assert find_personal_details("Bo and Li, with no phone or next of kin recorded.", person) == []


def test_short_names_are_found_in_a_full_name(social_worker, east_area):
    person = make_person(social_worker, east_area, first_name="Bo", last_name="Li")
    assert find_personal_details("B.o L.i likes an early visit.", person) == ["name"]
    assert find_personal_details("Mr Li likes an early visit.", person) == ["name"]
