"""People pages: bad input gets a clear message and changes nothing; views are audited."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.tests.forms import date_fields, fresh_token
from people.models import CareAndSupportPlan, Person
from referrals.tests.factories import urgent_referral

from .factories import make_plan


@pytest.fixture
def in_the_east_queue(social_worker, person):
    """Brokerage sees a person only once work for them reaches its queue (people.access)."""
    return urgent_referral(social_worker, person)


GOOD_PERSON = {
    "first_name": "Ada",
    "last_name": "Thompson",
    "date_of_birth_day": "2",
    "date_of_birth_month": "3",
    "date_of_birth_year": "1941",
    "nhs_number": "943 476 5919",
    "address_line_1": "12 Canal Street",
    "town": "Riverside",
    "postcode": "e16an",
}


@pytest.fixture
def person_form(social_worker, east_area):
    return GOOD_PERSON | {"area": east_area.pk, "allocated_worker": social_worker.pk, **fresh_token()}


def test_recording_a_person_normalises_postcode_and_nhs_number(client, social_worker, person_form):
    client.force_login(social_worker)
    response = client.post(reverse("people:create"), person_form)
    person = Person.objects.get()
    assert response.status_code == 302
    assert (person.postcode, person.nhs_number) == ("E1 6AN", "9434765919")


def test_an_nhs_number_already_recorded_is_refused_by_its_field(client, social_worker, person_form):
    client.force_login(social_worker)
    client.post(reverse("people:create"), person_form)
    typed = {**person_form, "first_name": "Another", "nhs_number": "943-476-5919", **fresh_token()}
    response = client.post(reverse("people:create"), typed)
    page = response.content.decode()
    assert response.status_code == 400 and Person.objects.count() == 1
    assert 'id="id_nhs_number-error"' in page and "Someone with this NHS number is already recorded" in page
    assert "person_nhs_number_unique" not in page  # not the database's own words
    assert 'value="943-476-5919"' in page


def test_a_person_keeps_their_own_nhs_number_when_their_record_is_changed(client, social_worker, person):
    from people.forms import PersonForm

    person.nhs_number = "9434765919"
    person.save(update_fields=["nhs_number"])
    form = PersonForm(instance=person, data={})
    form.cleaned_data = {"nhs_number": "943 476 5919"}
    assert form.clean_nhs_number() == "9434765919"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"postcode": "ABC 123"}, "Enter a real postcode"),
        ({"nhs_number": "943 476 5918"}, "fails its check digit"),
        ({"nhs_number": "12345"}, "Enter an NHS number of 10 digits"),
        (date_fields("date_of_birth", date(2999, 1, 1)), "Date of birth must be in the past"),
        ({"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1950"}, "must be a real date"),
        ({"date_of_birth_month": ""}, "Date of birth must include a month"),
        ({"first_name": ""}, "Enter first name"),
    ],
)
def test_bad_person_input_is_refused_and_nothing_is_saved(client, social_worker, person_form, overrides, message):
    client.force_login(social_worker)
    response = client.post(reverse("people:create"), person_form | overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Person.objects.exists()


def test_duplicate_nhs_number_is_refused(client, social_worker, person_form):
    client.force_login(social_worker)
    client.post(reverse("people:create"), person_form)
    response = client.post(reverse("people:create"), person_form | {"first_name": "Other", **fresh_token()})
    assert response.status_code == 400
    assert Person.objects.count() == 1


def test_viewing_a_record_is_audited(client, officer_east, person, in_the_east_queue):
    client.force_login(officer_east)
    client.get(reverse("people:detail", args=[person.pk]))
    event = AuditEvent.objects.filter(action="viewed", person=person).get()
    assert event.actor == officer_east


def test_bad_visit_schedule_is_explained(client, social_worker, person):
    client.force_login(social_worker)
    response = client.post(
        reverse("people:plan_create", args=[person.pk]),
        {
            "service_type": "home_care",
            "outcomes": "Stay home",
            "visit_schedule_text": "Funday, 8am, long, many",
            **fresh_token(),
        },
    )
    assert response.status_code == 400
    assert "Line 1: write day, time, minutes, carers" in response.content.decode()
    assert not CareAndSupportPlan.objects.exists()


def test_officer_cannot_open_plan_editing_and_the_attempt_is_recorded(
    client, social_worker, officer_east, person, in_the_east_queue
):
    plan = make_plan(social_worker, person)
    client.force_login(officer_east)
    response = client.get(reverse("people:plan_edit", args=[person.pk, plan.pk]), follow=True)
    assert "Brokerage cannot change a care and support plan" in response.content.decode()
    assert AuditEvent.objects.filter(action="refused", actor=officer_east).exists()


def test_officer_cannot_set_the_budget_by_posting(client, social_worker, officer_east, person, in_the_east_queue):
    plan = make_plan(social_worker, person, indicative_weekly_budget=Decimal("250.00"))
    client.force_login(officer_east)
    response = client.post(reverse("people:plan_budget", args=[person.pk, plan.pk]), {"amount": "999"}, follow=True)
    assert "Brokerage cannot set the indicative budget" in response.content.decode()
    plan.refresh_from_db()
    assert plan.indicative_weekly_budget == Decimal("250.00")


def test_officer_cannot_change_person_details_by_posting(client, officer_east, person, person_form, in_the_east_queue):
    client.force_login(officer_east)
    client.post(reverse("people:edit", args=[person.pk]), person_form | {"last_name": "Changed"})
    person.refresh_from_db()
    assert person.last_name != "Changed"


def test_practitioner_sets_budget_on_an_unsent_plan(client, social_worker, person):
    plan = make_plan(social_worker, person)
    client.force_login(social_worker)
    client.post(reverse("people:plan_budget", args=[person.pk, plan.pk]), {"amount": "300.00"})
    plan.refresh_from_db()
    assert (plan.indicative_weekly_budget, plan.budget_set_by) == (Decimal("300.00"), social_worker)


def test_nonsense_budget_is_refused(client, social_worker, person):
    plan = make_plan(social_worker, person, indicative_weekly_budget=Decimal("250.00"))
    client.force_login(social_worker)
    response = client.post(reverse("people:plan_budget", args=[person.pk, plan.pk]), {"amount": "-5"}, follow=True)
    assert "Enter the indicative weekly budget in pounds" in response.content.decode()
    plan.refresh_from_db()
    assert plan.indicative_weekly_budget == Decimal("250.00")


def test_search_finds_only_people_the_user_may_see(client, social_worker, officer_west, person, west_person):
    urgent_referral(social_worker, person)
    urgent_referral(social_worker, west_person)
    client.force_login(officer_west)
    response = client.get(reverse("people:list"), {"q": person.first_name})
    assert response.context["people"] == []
    response = client.get(reverse("people:list"), {"q": west_person.first_name})
    assert response.context["people"] == [west_person]


# Everything that shows a person is on the audit trail ---------------------------------------------
def viewed(person, text):
    return [e for e in AuditEvent.objects.filter(action="viewed", person=person) if text in e.summary]


def test_opening_the_edit_form_is_a_view_of_the_whole_record(client, social_worker, person):
    client.force_login(social_worker)
    client.get(reverse("people:edit", args=[person.pk]))
    assert [e.actor for e in viewed(person, "whole record, to change it")] == [social_worker]


def test_a_search_by_nhs_number_goes_on_the_persons_history(client, social_worker, person):
    client.force_login(social_worker)
    typed = f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"
    response = client.get(reverse("people:list"), {"q": typed})
    assert response.context["people"] == [person]
    assert [e.actor for e in viewed(person, "found by their NHS number")] == [social_worker]
    history = client.get(reverse("people:history", args=[person.pk])).content.decode()
    assert "found by their NHS number" in history


def test_a_plan_copied_from_the_last_is_a_view_of_that_plan(client, social_worker, person):
    plan = make_plan(social_worker, person)
    client.force_login(social_worker)
    client.get(reverse("people:plan_create", args=[person.pk]), {"from": "latest"})
    events = viewed(person, f"plan version {plan.version}, copied")
    assert [(e.actor, e.object_id) for e in events] == [(social_worker, str(plan.pk))]


def test_a_list_that_shows_names_is_recorded_and_reaches_each_persons_history(
    client, social_worker, officer_east, person, east_case
):
    client.force_login(officer_east)
    client.get(reverse("people:list"))
    client.get(reverse("brokerage:queue"))
    client.get(reverse("home"))
    lists = AuditEvent.objects.filter(action="viewed", person=None, actor=officer_east)
    assert sorted(e.summary for e in lists) == ["Viewed the East task queue", "Viewed the people list"]
    assert all(e.changes["people_shown"] == [person.pk] for e in lists)
    client.force_login(social_worker)
    history = client.get(reverse("people:history", args=[person.pk])).content.decode()
    assert "Viewed the East task queue" in history and "Viewed the people list" in history


def test_an_empty_list_records_nothing(client, officer_west):
    client.force_login(officer_west)
    client.get(reverse("people:list"))
    assert not AuditEvent.objects.filter(action="viewed").exists()


@pytest.mark.parametrize(
    "query,message",
    [
        ("\x00", "Null characters are not allowed"),
        ("Ada\x00Thompson", "Null characters are not allowed"),
        ("x" * 101, "Ensure this value has at most 100 characters"),
    ],
)
def test_a_bad_search_gets_a_message_next_to_the_field(client, social_worker, person, query, message):
    client.force_login(social_worker)
    response = client.get(reverse("people:list"), {"q": query})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and 'id="id_q-error"' in page and 'href="#id_q"' in page
    assert not AuditEvent.objects.filter(action="viewed").exists()


def test_the_raw_nul_byte_in_a_url_is_answered_not_a_server_error(client, social_worker):
    client.force_login(social_worker)
    assert client.get("/people/?q=%00").status_code == 400


@pytest.mark.parametrize(
    "hours,message",
    [
        ("-5", "Hours a week must be more than 0"),
        ("0", "Hours a week must be more than 0"),
        ("500", "Hours a week cannot be more than 168"),
    ],
)
def test_impossible_hours_get_a_plain_message_next_to_the_field(client, social_worker, person, hours, message):
    client.force_login(social_worker)
    response = client.post(
        reverse("people:plan_create", args=[person.pk]),
        {"service_type": "home_care", "weekly_hours": hours, "outcomes": "Stay at home safely", **fresh_token()},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and 'id="id_weekly_hours-error"' in page
    assert "Constraint" not in page and "is violated" not in page
    assert "Stay at home safely" in page
    assert not CareAndSupportPlan.objects.exists()


def test_a_long_history_pages_back_by_key_to_its_first_event(client, monkeypatch, social_worker, person):
    from audit.services import record_list_view, record_view

    monkeypatch.setattr("people.views.HISTORY_SHOWN", 10)
    for n in range(12):
        record_view(actor=social_worker, obj=person, person=person, what=f"own event {n}")
        record_list_view(actor=social_worker, what=f"list {n}", people=[person.pk])
    client.force_login(social_worker)
    url = reverse("people:history", args=[person.pk])
    seen, pages, next_url = [], 0, url
    while next_url:
        response = client.get(next_url)
        pages += 1
        events = list(response.context["events"])
        assert len(events) <= 10
        seen += [(e.at, e.id) for e in events]
        older = response.context["older"]
        next_url = url + older if older else ""
        assert ("Back to the newest events" in response.content.decode()) == (pages > 1)
    # Every event, each once, newest first. Each page's own view of the trail is written before it reads:
    # the first is on the first page, later ones are newer than the pages they open.
    from audit.selectors import lists_showing

    assert seen == sorted(set(seen), reverse=True)
    trail_views = AuditEvent.objects.filter(person=person, summary__contains="audit trail").order_by("id")
    later_views = set(trail_views.values_list("id", flat=True)[1:])
    everything = {e.id for e in AuditEvent.objects.filter(person=person)} | {e.id for e in lists_showing(person)}
    assert {pk for _, pk in seen} == everything - later_views
    assert len(later_views) == pages - 1 and pages == 3 and len(seen) > 24


def test_a_forged_history_cursor_gives_the_newest_page(client, social_worker, person):
    client.force_login(social_worker)
    response = client.get(reverse("people:history", args=[person.pk]), {"older_than": "not-a-cursor"})
    assert response.status_code == 200 and not response.context["older"]
    assert "Back to the newest events" not in response.content.decode()


def test_an_assessment_date_is_typed_as_day_month_and_year(client, social_worker, person):
    client.force_login(social_worker)
    url = reverse("people:assessment_create", args=[person.pk])
    answers = {"presenting_needs": "Help to wash and dress", "eligible_needs": "Personal care"}

    refused = client.post(url, answers | {"assessed_on_day": "3", "assessed_on_month": "11", **fresh_token()})
    sent = client.post(url, answers | date_fields("assessed_on", date(2026, 11, 3)) | fresh_token())

    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Date of assessment must include a year" in page and 'href="#id_assessed_on_year"' in page
    assert 'name="assessed_on_day" type="text" value="3"' in page
    assert sent.status_code == 302
    assert person.assessments.get().assessed_on == date(2026, 11, 3)


def test_the_history_shows_each_event_in_local_time_with_who_and_what(client, social_worker, person):
    import time_machine

    from audit.services import record_view

    with time_machine.travel("2026-04-02 23:30:05+00:00", tick=False):  # 00:30:05 on 3 April in London
        record_view(actor=social_worker, obj=person, person=person, what="their record, at half past midnight")
    client.force_login(social_worker)
    page = client.get(reverse("people:history", args=[person.pk])).content.decode()
    row = f'<td class="govuk-table__cell">3 Apr 2026 00:30:05</td><td class="govuk-table__cell">{social_worker}</td>'
    assert row in page and "Viewed: Viewed their record, at half past midnight" in page


def test_a_plans_visits_are_also_on_bank_holidays_unless_the_box_is_unticked(client, social_worker, person):
    client.force_login(social_worker)
    page = client.get(reverse("people:plan_create", args=[person.pk])).content.decode()
    box = re.search(r'<input[^>]*name="visits_on_bank_holidays"[^>]*>', page).group()
    assert 'type="checkbox"' in box and "checked" in box and "Also on bank holidays" in page
    plan = {"service_type": "home_care", "outcomes": "Stay home", "visit_schedule_text": "Monday, 12:30, 30, 1"}
    client.post(reverse("people:plan_create", args=[person.pk]), plan | fresh_token())  # unticked: not sent
    client.post(
        reverse("people:plan_create", args=[person.pk]), plan | {"visits_on_bank_holidays": "on"} | fresh_token()
    )
    unticked, ticked = CareAndSupportPlan.objects.order_by("version")
    assert unticked.visit_schedule == [
        {"day": "Monday", "time": "12:30", "minutes": 30, "carers": 1, "on_bank_holidays": False}
    ]
    assert ticked.visit_schedule == [{"day": "Monday", "time": "12:30", "minutes": 30, "carers": 1}]
    detail = client.get(unticked.get_absolute_url()).content.decode()
    assert "Monday at 12:30, 30 minutes, 1 carer, not on bank holidays" in detail
    assert "not on bank holidays" not in client.get(ticked.get_absolute_url()).content.decode()
    edit = client.get(reverse("people:plan_edit", args=[person.pk, unticked.pk])).content.decode()
    assert "checked" not in re.search(r'<input[^>]*name="visits_on_bank_holidays"[^>]*>', edit).group()  # as saved
