"""A requirement takes from the plan only numbers, choices from lists and a checked visit schedule: no free
text of the plan reaches bidders without the guard. The plan's language is a choice, never free text."""

import pytest
from django.urls import reverse

from commissioning import services as commissioning
from core.tests.forms import fresh_token
from dps.tests.factories import allocated, requirement_fields
from people.languages import language_choices, language_code
from people.models import CareAndSupportPlan
from people.tests.factories import make_plan

pytestmark = pytest.mark.django_db

LEAK = "Polish; son Marek Kowalczyk 07700 900456"


def test_the_plan_form_offers_languages_from_a_list_and_refuses_free_text(client, social_worker, person):
    client.force_login(social_worker)
    form = client.get(reverse("people:plan_create", args=[person.pk])).context["form"]
    assert ("pol", "Polish") in form.fields["preferred_language"].choices
    response = client.post(
        reverse("people:plan_create", args=[person.pk]),
        {"service_type": "home_care", "outcomes": "Stay at home", "preferred_language": LEAK, **fresh_token()},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not CareAndSupportPlan.objects.exists()


def test_a_requirement_carries_the_language_as_a_code_and_shows_its_name(person, cap_member, officer_east):
    plan = make_plan(person.allocated_worker, person, preferred_language="pol")
    case = allocated(person, cap_member, officer_east, plan=plan)
    requirement = commissioning.publish_requirement(
        case.commission, acting_user=officer_east, **requirement_fields(case.arrangement)
    )
    assert (requirement.language, requirement.get_language_display()) == ("pol", "Polish")


def test_only_checked_visits_travel_from_the_plan(person, cap_member, officer_east):
    """A visit schedule is data: anything in it beyond day, time, minutes and carers stays behind."""
    plan = make_plan(person.allocated_worker, person)
    CareAndSupportPlan.objects.filter(pk=plan.pk).update(
        visit_schedule=[
            {
                "day": "Monday",
                "time": "08:00",
                "minutes": 45,
                "carers": 2,
                "note": "Son Marek 07700 900456 lets you in",
            },
            {"day": "Marek's house", "time": "08:00", "minutes": 45, "carers": 1},
            {"day": "Tuesday", "time": "7am", "minutes": 45, "carers": 1},
            "Ring Marek on 07700 900456",
        ]
    )
    plan.refresh_from_db()
    case = allocated(person, cap_member, officer_east, plan=plan)
    requirement = commissioning.publish_requirement(
        case.commission, acting_user=officer_east, **requirement_fields(case.arrangement)
    )
    assert requirement.visit_schedule == [{"day": "Monday", "time": "08:00", "minutes": 45, "carers": 2}]
    assert "Marek" not in str(requirement.__dict__)


@pytest.mark.parametrize(
    "text,code",
    [
        (LEAK, "pol"),
        ("british sign language", "bfi"),
        ("Panjabi", "pan"),
        ("Punjabi", "pan"),
        ("Cantonese", "yue"),
        ("Sylheti", "syl"),
        ("pl", "pol"),
        ("POL", "pol"),
        ("Bengali (Sylheti)", "ben"),
        ("", ""),
        ("None", ""),
        ("Ring Marek on 07700 900456", ""),
    ],
)
def test_free_text_already_stored_becomes_the_code_of_the_language_it_names(text, code):
    """What the data migrations (people 0006, dps 0003) do to an answer typed before the list."""
    assert language_code(text) == code


def test_the_list_has_english_first_and_the_languages_councils_are_asked_for():
    codes = [code for code, _ in language_choices()]
    assert codes[0] == "eng"
    assert {"bfi", "syl", "yue", "cmn", "pol", "ron", "som", "urd", "ben", "pan", "guj", "ara", "tir"} <= set(codes)
    assert "lat" not in codes  # Latin: not a living language
