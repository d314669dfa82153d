"""The review page, its forms, the reviews on a person's and a package's pages and on the home pages, and who may
see the person while a review is open (access follows need)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from people.access import can_view_person
from reviews.models import Review
from reviews.selectors import escalated_to_lead, review_team_counts, reviews_for_review_team, reviews_for_user
from reviews.services import cancel_review, record_review, sweep_reviews
from reviews.workflows import REMIND_BEFORE, State

from .factories import active_package, in_days, six_week, twelve_month


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def package(person, cap_member, officer_east):
    return active_package(person, cap_member, officer_east)


# Access follows need -----------------------------------------------------------------------------------------
def test_the_review_team_sees_the_person_while_a_twelve_month_review_is_open(
    package, person, officer_east, review_team
):
    assert not can_view_person(review_team, person)
    review = twelve_month(package, officer_east)
    assert can_view_person(review_team, person)
    record_review(review, acting_user=review_team, outcome="Needs unchanged")
    assert not can_view_person(review_team, person)


def test_a_cancelled_twelve_month_review_no_longer_shows_the_person(package, person, officer_east, review_team):
    cancel_review(twelve_month(package, officer_east), acting_user=officer_east, reason="In error")
    assert not can_view_person(review_team, person)


def test_a_review_of_someone_the_user_may_not_see_is_not_found(client, package, officer_east, officer_west):
    review = twelve_month(package, officer_east)
    client.force_login(officer_west)
    assert client.get(review.get_absolute_url()).status_code == 404


# The review page ----------------------------------------------------------------------------------------------
def test_the_review_page_shows_the_review_its_package_picture_and_form(client, package, social_worker, person):
    review = six_week(package, social_worker)
    client.force_login(social_worker)

    response = client.get(review.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert [a.name for a in response.context["actions"]] == ["record", "cancel"]
    assert str(person) in html and package.get_absolute_url() in html
    assert "How a review is carried out" in html and "Scheduled (it is here)" in html
    assert "Record the review as done" in html and "Cancel the review" in html
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEWED, object_id=str(review.pk), content_type__model="review"
    ).exists()


def test_the_brokerage_team_is_offered_only_cancelling(client, package, social_worker, officer_east):
    client.force_login(officer_east)
    html = client.get(six_week(package, social_worker).get_absolute_url()).content.decode()
    assert "Cancel the review" in html and "Record the review as done" not in html


def test_recording_the_review_from_its_page(client, package, social_worker):
    review = six_week(package, social_worker)
    client.force_login(social_worker)

    response = client.post(reverse("reviews:record", args=[review.pk]), {"outcome": "Settled in well"})

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.outcome) == (State.DONE, "Settled in well")
    html = client.get(review.get_absolute_url()).content.decode()
    assert "Settled in well" in html and "There is nothing for you to do on this review now." in html


def test_a_review_sent_without_its_outcome_is_shown_again_with_the_error(client, package, social_worker):
    review = six_week(package, social_worker)
    client.force_login(social_worker)

    response = client.post(reverse("reviews:record", args=[review.pk]), {"outcome": ""})

    assert response.status_code == 400
    assert "Enter what the review found" in response.content.decode()
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED


def test_someone_who_may_not_record_is_told_why_and_nothing_changes(
    client, package, social_worker, officer_east, review_team
):
    """The review team sees the person while its 12-month review is open, but the 6-week one is the worker's."""
    review = six_week(package, social_worker)
    twelve_month(package, officer_east)
    client.force_login(review_team)

    response = client.post(reverse("reviews:record", args=[review.pk]), {"outcome": "x"}, follow=True)

    assert "Only the worker a 6-week review is assigned to can record it." in response.content.decode()
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED


def test_brokerage_is_refused_recording_a_review_before_any_look_up(client, package, social_worker, officer_east):
    review = six_week(package, social_worker)
    client.force_login(officer_east)

    response = client.post(reverse("reviews:record", args=[review.pk]), {"outcome": "x"})

    assert response.status_code == 403
    assert "Reviews are recorded by practitioners and the review team." in response.content.decode()
    assert Review.objects.get(pk=review.pk).state == State.SCHEDULED


def test_cancelling_from_the_page(client, package, officer_east):
    review = twelve_month(package, officer_east)
    client.force_login(officer_east)
    client.post(reverse("reviews:cancel", args=[review.pk]), {"reason": "Package ending"})
    assert Review.objects.get(pk=review.pk).state == State.CANCELLED


# Lists on other pages -----------------------------------------------------------------------------------------
def test_the_person_and_package_pages_list_the_reviews(client, package, person, social_worker, officer_east):
    review = six_week(package, social_worker)
    twelve_month(package, officer_east)
    client.force_login(social_worker)
    for url in (person.get_absolute_url(), package.get_absolute_url()):
        html = client.get(url).content.decode()
        assert review.get_absolute_url() in html
        assert "6-week review" in html and "12-month review" in html


def test_a_package_without_reviews_says_so(client, package, social_worker):
    client.force_login(social_worker)
    assert "No reviews are scheduled for this package." in client.get(package.get_absolute_url()).content.decode()


def test_the_social_workers_home_page_shows_their_reviews_due(client, package, social_worker, officer_east):
    review = six_week(package, social_worker)
    twelve_month(package, officer_east)
    client.force_login(social_worker)

    response = client.get(reverse("home"))

    assert response.context["reviews_due"] == [review]
    assert "Reviews due" in response.content.decode() and review.get_absolute_url() in response.content.decode()


def test_a_social_worker_with_no_reviews_is_told_so(client, social_worker):
    client.force_login(social_worker)
    assert "You have no reviews to carry out." in client.get(reverse("home")).content.decode()


def test_the_review_teams_home_page_shows_open_twelve_month_reviews_by_due_date(
    client, package, person, social_worker, officer_east, review_team, cap_member
):
    later = twelve_month(package, officer_east, due_in=365)
    other = active_package(person, cap_member, officer_east)  # a second package of the same person
    sooner = twelve_month(other, officer_east, due_in=300)
    done = twelve_month(active_package(person, cap_member, officer_east), officer_east)
    record_review(done, acting_user=review_team, outcome="Fine")
    six_week(package, social_worker)
    client.force_login(review_team)

    response = client.get(reverse("home"))

    assert response.context["team_reviews"] == [sooner, later]
    assert "12-month reviews" in response.content.decode()
    # The person on the list is one the review team may open.
    assert client.get(later.get_absolute_url()).status_code == 200


# Due and overdue on the home pages ----------------------------------------------------------------------------
def _home(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response, len(queries.captured_queries)


def test_the_social_workers_home_page_flags_due_and_overdue_reviews(
    client, package, person, social_worker, officer_east, cap_member
):
    overdue = six_week(package, social_worker, due_in=1)
    due = six_week(active_package(person, cap_member, officer_east), social_worker, due_in=7)
    later = six_week(active_package(person, cap_member, officer_east), social_worker, due_in=30)
    sweep_reviews(today=in_days(2) - timedelta(days=0))  # overdue's due date has passed; due's is within the week

    response, _ = _home(client, social_worker)

    assert response.context["reviews_due"] == [overdue, due, later]
    html = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Due</strong>' in html
    assert '<strong class="govuk-tag">Scheduled</strong>' in html


def test_the_review_teams_home_page_counts_and_lists_due_and_overdue_reviews(
    client, package, person, officer_east, review_team, cap_member, social_worker
):
    overdue = twelve_month(package, officer_east, due_in=1)
    due = twelve_month(active_package(person, cap_member, officer_east), officer_east, due_in=8)
    later = twelve_month(active_package(person, cap_member, officer_east), officer_east, due_in=300)
    six_week(package, social_worker, due_in=1)  # the worker's, not the team's
    sweep_reviews(today=in_days(2))

    response, few = _home(client, review_team)

    assert response.context["team_review_counts"] == {"due": 1, "overdue": 1}
    assert (response.context["team_overdue"], response.context["team_due"]) == ([overdue], [due])
    assert response.context["team_reviews"] == [later]
    html = response.content.decode()
    assert "Overdue 12-month reviews, longest overdue first" in html
    assert "12-month reviews due within the week, soonest due first" in html

    twelve_month(active_package(person, cap_member, officer_east), officer_east, due_in=1)
    twelve_month(active_package(person, cap_member, officer_east), officer_east, due_in=9)
    sweep_reviews(today=in_days(2))
    response, more = _home(client, review_team)
    assert response.context["team_review_counts"] == {"due": 2, "overdue": 2}
    assert more == few


def test_a_team_lead_sees_the_overdue_reviews_escalated_to_them_and_may_open_them(
    client, package, person, social_worker, officer_east, lead_east, lead_west, cap_member
):
    escalated = six_week(package, social_worker, due_in=1)
    due = six_week(active_package(person, cap_member, officer_east), social_worker, due_in=7)
    sweep_reviews(today=in_days(2))

    response, few = _home(client, lead_east)

    assert response.context["escalated_reviews"] == [escalated]
    assert "Overdue 6-week reviews escalated to you" in response.content.decode()
    assert client.get(escalated.get_absolute_url()).status_code == 200
    assert "Cancel the review" in client.get(escalated.get_absolute_url()).content.decode()
    assert due not in response.context["escalated_reviews"]

    response, _ = _home(client, lead_west)
    assert response.context["escalated_reviews"] == []
    assert "No 6-week reviews of the team's packages are overdue." in response.content.decode()
    assert client.get(escalated.get_absolute_url()).status_code == 404

    six_week(active_package(person, cap_member, officer_east), social_worker, due_in=1)
    sweep_reviews(today=in_days(2))
    response, more = _home(client, lead_east)
    assert len(response.context["escalated_reviews"]) == 2 and more == few


def test_the_lead_no_longer_sees_a_review_once_it_is_recorded(client, package, social_worker, lead_east):
    review = six_week(package, social_worker, due_in=1)
    sweep_reviews(today=in_days(2))
    record_review(review, acting_user=social_worker, outcome="Done late")
    assert list(escalated_to_lead(lead_east)) == []


def test_the_review_page_shows_the_sweeps_steps(client, package, social_worker):
    review = six_week(package, social_worker, due_in=7)
    sweep_reviews(today=review.due_on - REMIND_BEFORE)
    client.force_login(social_worker)
    html = client.get(review.get_absolute_url()).content.decode()
    assert "by the daily review sweep" in html and "Due within the week: the worker was reminded." in html
    assert "Due (it is here)" in html


def test_each_review_list_is_one_query(
    package, person, social_worker, officer_east, lead_east, cap_member, django_assert_num_queries
):
    six_week(package, social_worker, due_in=1)
    twelve_month(package, officer_east, due_in=1)
    six_week(active_package(person, cap_member, officer_east), social_worker, due_in=5)
    sweep_reviews(today=in_days(2))
    assert lead_east.is_team_lead  # the roles are read once a request, before the lists
    lists = {
        "mine": lambda: reviews_for_user(social_worker),
        "team overdue": lambda: reviews_for_review_team(State.OVERDUE),
        "escalated": lambda: escalated_to_lead(lead_east),
    }
    for name, reviews in lists.items():
        with django_assert_num_queries(1):
            rows = list(reviews())
            assert rows, name
            for r in rows:
                str(r.person), r.package.service_type.name, r.package.reference, str(r.assigned_to or "")
    with django_assert_num_queries(1):
        assert review_team_counts() == {"due": 0, "overdue": 1}
