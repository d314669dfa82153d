"""A referral asks only what its kind needs (referrals.models.REFERRAL_TYPES): first "What kind of referral is
this?", then that kind's form. A field of another kind is never saved; a required answer left out is refused by the
field, and by create_referral too; a longer-term assessment needs no plan, and a kind that needs one is refused
without it."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from core.forms import FREE_TEXT_MAX_LENGTH
from core.tests.forms import date_fields, fresh_token
from packages.tests.running import running_package
from people.tests.factories import make_plan
from referrals import services
from referrals.models import REFERRAL_ONLY_AS_A_NEW_PLAN, REFERRAL_TYPES, Referral

from .factories import DETAILS, TAKES_EFFECT
from .test_page_forms import error_by_field, summary_links

pytestmark = pytest.mark.django_db

S = Referral.State
DATE = ("_day", "_month", "_year")

# What each kind's form asks, in order (a date is its Day, Month and Year boxes).
ASKED = {
    "care-and-support-plan": ["plan", "details", "urgent", "referred_on_to"],
    "urgent-response": ["service_type", "details"],
    "longer-term-assessment": ["service_type", "details", "urgent"],
    "sourcing-support": ["service_type", "plan", "details", "urgent"],
    "increase": ["plan", "effective_date", "end_date", "details", "urgent"],
    "reduction": ["plan", "effective_date", "puts_person_at_risk", "details", "urgent"],
    "suspension": ["service_type", "effective_date", "end_date", "puts_person_at_risk", "details", "urgent"],
    "change-of-provider": ["plan", "details", "urgent"],
}
# What each kind refuses to go without, and the message shown by the field.
REQUIRED = {
    "care-and-support-plan": {
        "plan": "Select the care and support plan",
        "details": "Enter what Brokerage needs to know",
    },
    "urgent-response": {"service_type": "Select the service", "details": "Enter what Brokerage needs to know"},
    "longer-term-assessment": {
        "service_type": "Select the service",
        "details": "Enter what Brokerage needs to know",
    },
    "sourcing-support": {"service_type": "Select the service", "details": "Enter what Brokerage should look for"},
    "increase": {
        "plan": "Select the care and support plan for the increase",
        "effective_date": "Enter the date the increase starts",
        "details": "Enter what Brokerage needs to know",
    },
    "reduction": {
        "plan": "Select the updated care and support plan",
        "effective_date": "Enter the date the reduction takes effect",
        "details": "Enter what Brokerage needs to know",
    },
    "suspension": {
        "service_type": "Select the service to suspend",
        "effective_date": "Enter the date the service is suspended from",
        "details": "Enter what Brokerage needs to know",
    },
    "change-of-provider": {
        "plan": "Select the care and support plan",
        "details": "Enter why the provider needs to change",
    },
}
# Everything any kind asks, filled in: what a form of one kind is sent with fields of the others.
EVERYTHING = {
    "service_type": "home_care",
    "details": "Needs morning visits.",
    "urgent": "on",
    **date_fields("effective_date", date(2027, 1, 5)),
    **date_fields("end_date", date(2027, 3, 5)),
    "puts_person_at_risk": "on",
    "referred_on_to": "Extra Care Housing team",
    # Not fields of any form: the kind comes from the address.
    "kind": "support_plan",
    "change": "increase",
}


def kind_url(person, slug: str) -> str:
    return reverse("referrals:create_for_kind", args=[person.pk, slug])


def sent_names(page: str) -> list[str]:
    """The names the referral form sends, in order, without its token or the CSRF token."""
    form = re.search(r'<form method="post" novalidate>.*?</form>', page, re.S).group(0)
    names = dict.fromkeys(re.findall(r'name="([^"]+)"', form))
    return [n for n in names if n not in ("csrfmiddlewaretoken", "form_token")]


def as_sent(fields: list[str]) -> list[str]:
    return [f"{f}{part}" for f in fields for part in (DATE if f.endswith("_date") else ("",))]


@pytest.fixture
def sam(client, social_worker):
    client.force_login(social_worker)
    return client


# The first question ---------------------------------------------------------------------------
def test_the_first_question_offers_each_kind_with_its_hint(sam, person):
    page = sam.get(reverse("referrals:create", args=[person.pk])).content.decode()
    assert "What kind of referral is this?" in page
    for index, referral_type in enumerate(REFERRAL_TYPES.values()):
        assert f'value="{referral_type.slug}" aria-describedby="id_kind_{index}-hint"' in page
        assert f'<div id="id_kind_{index}-hint" class="govuk-hint govuk-radios__hint">' in page
        assert html.escape(referral_type.hint) in page
    assert " checked" not in page


def test_no_answer_to_the_first_question_is_refused_by_the_radios(sam, person):
    response = sam.post(reverse("referrals:create", args=[person.pk]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert error_by_field(page, "kind") == "Select what kind of referral this is"
    assert summary_links(page) == {"id_kind_0": "Select what kind of referral this is"}
    assert "<title>Error: " in page


def test_the_answer_leads_to_that_kinds_form_and_its_change_link_back(sam, person):
    response = sam.post(reverse("referrals:create", args=[person.pk]), {"kind": "longer-term-assessment"})
    assert response["Location"] == kind_url(person, "longer-term-assessment")

    page = sam.get(response["Location"]).content.decode()
    change = reverse("referrals:create", args=[person.pk]) + "?kind=longer-term-assessment"
    assert f'<a class="govuk-link" href="{change}">Change<span class="govuk-visually-hidden"> kind of referral' in page
    again = sam.get(change).content.decode()
    assert 'value="longer-term-assessment" aria-describedby="id_kind_2-hint" checked' in again


def test_an_unknown_kind_is_not_found(sam, person):
    assert sam.get(kind_url(person, "telepathy")).status_code == 404


# Each kind's form -----------------------------------------------------------------------------
@pytest.mark.parametrize("slug", ASKED)
def test_each_kind_shows_only_its_fields(sam, person, slug):
    page = sam.get(kind_url(person, slug)).content.decode()
    assert sent_names(page) == as_sent(ASKED[slug])
    assert html.escape(REFERRAL_TYPES[slug].label) in page


def test_the_data_asks_what_the_tests_say():
    """The table above and REFERRAL_TYPES say the same, so neither drifts."""
    assert {slug: [q.field for q in t.questions] for slug, t in REFERRAL_TYPES.items()} == ASKED
    assert {slug: {q.field: q.missing for q in t.questions if q.required} for slug, t in REFERRAL_TYPES.items()} == (
        REQUIRED
    )


@pytest.mark.parametrize("slug", REQUIRED)
def test_each_kinds_required_answers_are_refused_by_their_fields(sam, person, slug):
    response = sam.post(kind_url(person, slug), {"referred_on_to": "typed, and kept", **fresh_token()})
    page = response.content.decode()
    assert response.status_code == 400
    for field, message in REQUIRED[slug].items():
        assert error_by_field(page, field) == message, field
        assert message in summary_links(page).values()
    optional = set(ASKED[slug]) - set(REQUIRED[slug])
    assert all(error_by_field(page, field) == "" for field in optional)
    if "referred_on_to" in ASKED[slug]:
        assert 'value="typed, and kept"' in page
    assert not Referral.objects.exists()


@pytest.mark.parametrize("slug", ASKED)
def test_fields_of_other_kinds_are_not_saved(sam, social_worker, person, slug):
    running_package(person)  # a change names it
    plan = make_plan(social_worker, person)
    data = EVERYTHING | {"plan": plan.pk, **fresh_token()}
    response = sam.post(kind_url(person, slug), data)
    referral = Referral.objects.latest("id")
    assert response["Location"] == referral.get_absolute_url()
    referral_type = REFERRAL_TYPES[slug]
    assert (referral.kind, referral.change) == (referral_type.kind, referral_type.change)
    asked = set(ASKED[slug])
    assert (referral.plan is not None) == ("plan" in asked)
    assert (referral.effective_date is not None) == ("effective_date" in asked)
    assert (referral.end_date is not None) == ("end_date" in asked)
    assert referral.puts_person_at_risk == ("puts_person_at_risk" in asked)
    assert referral.referred_on_to == ""  # asked only by a new plan, and kept only for a referral-only service
    assert referral.urgent == ("urgent" in asked or referral_type.always_urgent)


def test_the_service_of_a_kind_with_a_plan_is_the_plans(sam, social_worker, person):
    plan = make_plan(social_worker, person, service_type=ServiceCode.DAY_OPPORTUNITIES)
    sam.post(
        kind_url(person, "care-and-support-plan"),
        {"plan": plan.pk, "service_type": "home_care", "details": DETAILS, **fresh_token()},
    )
    assert Referral.objects.get().service_type_id == ServiceCode.DAY_OPPORTUNITIES


def test_a_longer_term_assessment_is_made_with_no_plan_and_goes_to_the_queue(sam, person):
    response = sam.post(
        kind_url(person, "longer-term-assessment"),
        {"service_type": "home_care", "details": "Support at home while we assess.", **fresh_token()},
    )
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    assert (referral.kind, referral.plan, referral.state) == (Referral.Kind.LONGER_TERM_ASSESSMENT, None, S.QUEUED)
    assert not referral.needs_funding and not referral.urgent


def test_too_much_text_is_refused_in_the_kinds_own_words(sam, person):
    page = sam.post(
        kind_url(person, "sourcing-support"),
        {"service_type": "day_opportunities", "details": "x" * (FREE_TEXT_MAX_LENGTH + 1), **fresh_token()},
    ).content.decode()
    assert (
        error_by_field(page, "details")
        == f"What Brokerage should look for must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer"
    )


def test_a_temporary_increase_must_end_after_it_starts(sam, social_worker, person):
    plan = make_plan(social_worker, person)
    response = sam.post(
        kind_url(person, "increase"),
        {
            "plan": plan.pk,
            "details": "Two more visits a week",
            **date_fields("effective_date", date(2027, 3, 5)),
            **date_fields("end_date", date(2027, 3, 5)),
            **fresh_token(),
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert error_by_field(page, "end_date") == "Date the increase ends must be after the date the increase starts"
    assert "Two more visits a week</textarea>" in page


def test_a_new_plan_for_a_referral_only_service_says_where_it_went(sam, social_worker, person):
    plan = make_plan(social_worker, person, service_type=ServiceCode.EXTRA_CARE)
    data = {"plan": plan.pk, "details": DETAILS, **fresh_token()}
    page = sam.post(kind_url(person, "care-and-support-plan"), data).content.decode()
    assert error_by_field(page, "referred_on_to") == "Enter where you referred the person"
    sam.post(kind_url(person, "care-and-support-plan"), data | {"referred_on_to": "Extra Care Housing team"})
    assert Referral.objects.get().state == S.REFERRED_ON


def test_a_change_to_a_referral_only_service_is_refused_by_the_plan(sam, social_worker, person):
    plan = make_plan(social_worker, person, service_type=ServiceCode.CARERS_SUPPORT)
    response = sam.post(kind_url(person, "change-of-provider"), {"plan": plan.pk, "details": DETAILS, **fresh_token()})
    assert error_by_field(response.content.decode(), "plan") == REFERRAL_ONLY_AS_A_NEW_PLAN
    assert not Referral.objects.exists()


def test_a_sourcing_support_plan_must_be_for_the_service_chosen(sam, social_worker, person):
    plan = make_plan(social_worker, person, service_type=ServiceCode.RESPITE)
    data = {"service_type": "day_opportunities", "plan": plan.pk, "details": DETAILS, **fresh_token()}
    page = sam.post(kind_url(person, "sourcing-support"), data).content.decode()
    assert error_by_field(page, "plan") == "Select a plan for the service chosen, or no plan"
    sam.post(kind_url(person, "sourcing-support"), data | {"plan": ""})
    assert Referral.objects.get().plan is None


def test_only_a_practitioner_reaches_a_kinds_form(client, officer_east, person, east_case):
    """The officer sees the person (their team has work for them) but is turned back, and nothing is made."""
    client.force_login(officer_east)
    data = {"service_type": "home_care", "details": "Sent by an officer", **fresh_token()}
    response = client.post(kind_url(person, "urgent-response"), data)
    assert response["Location"] == person.get_absolute_url()
    assert list(Referral.objects.all()) == [east_case]


# The same rules in create_referral --------------------------------------------------------------


def refer(worker, person, slug, **fields):
    referral_type = REFERRAL_TYPES[slug]
    return services.create_referral(
        acting_user=worker,
        person=person,
        kind=referral_type.kind,
        change=referral_type.change,
        **{"service_type": ServiceCode.HOME_CARE, "details": DETAILS} | fields,
    )


def assert_not_referred(call, message: str):
    count = Referral.objects.count()
    with pytest.raises(ActionRefused) as refusal:
        call()
    assert refusal.value.message == message
    assert Referral.objects.count() == count


@pytest.mark.parametrize(
    "slug, message",
    [
        ("care-and-support-plan", "Select the care and support plan"),
        ("increase", "Select the care and support plan for the increase"),
        ("reduction", "Select the updated care and support plan"),
        ("change-of-provider", "Select the care and support plan"),
    ],
)
def test_the_service_refuses_a_kind_that_needs_a_plan_without_one(social_worker, person, slug, message):
    assert_not_referred(lambda: refer(social_worker, person, slug, effective_date=TAKES_EFFECT), message)


@pytest.mark.parametrize(
    "slug, message",
    [
        ("longer-term-assessment", "A longer-term assessment takes no care and support plan: send it without one."),
        ("urgent-response", "An urgent response takes no care and support plan: send it without one."),
        ("suspension", "A suspension takes no care and support plan: send it without one."),
    ],
)
def test_the_service_refuses_a_plan_for_a_kind_that_takes_none(social_worker, person, slug, message):
    plan = make_plan(social_worker, person)
    assert_not_referred(lambda: refer(social_worker, person, slug, plan=plan, effective_date=TAKES_EFFECT), message)


def test_the_service_makes_a_longer_term_assessment_with_no_plan(social_worker, person):
    referral = refer(social_worker, person, "longer-term-assessment")
    assert (referral.plan, referral.state) == (None, S.QUEUED)


@pytest.mark.parametrize(
    "slug, fields, message",
    [
        ("increase", {"plan": "plan"}, "Enter the date the increase starts"),
        ("reduction", {"plan": "plan"}, "Enter the date the reduction takes effect"),
        ("suspension", {}, "Enter the date the service is suspended from"),
        ("urgent-response", {"details": "  "}, "Enter what Brokerage needs to know"),
        ("sourcing-support", {"details": ""}, "Enter what Brokerage should look for"),
        (
            "suspension",
            {"effective_date": date(2027, 3, 5), "end_date": date(2027, 3, 1)},
            "Date the service starts again must be after the date the service is suspended from",
        ),
    ],
)
def test_the_service_refuses_a_required_answer_left_out(social_worker, person, slug, fields, message):
    if fields.get("plan") == "plan":
        fields["plan"] = make_plan(social_worker, person)
    assert_not_referred(lambda: refer(social_worker, person, slug, **fields), message)


def test_the_service_saves_nothing_a_kind_does_not_ask(social_worker, person):
    referral = refer(
        social_worker,
        person,
        "longer-term-assessment",
        effective_date=date(2027, 1, 5),
        end_date=date(2027, 3, 5),
        puts_person_at_risk=True,
        referred_on_to="Somewhere",
    )
    assert (referral.effective_date, referral.end_date, referral.puts_person_at_risk, referral.referred_on_to) == (
        None,
        None,
        False,
        "",
    )


def test_the_service_refuses_a_change_to_a_referral_only_service(social_worker, person):
    assert_not_referred(
        lambda: refer(
            social_worker, person, "suspension", service_type=ServiceCode.EXTRA_CARE, effective_date=TAKES_EFFECT
        ),
        REFERRAL_ONLY_AS_A_NEW_PLAN,
    )
