"""The review page, its forms, the reviews on a person's and a package's pages and on the home pages, and who may
see the person while a review is open (access follows need)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from people.access import can_view_person
from reviews.models import Review
from reviews.services import cancel_review, record_review
from reviews.workflows import State

from .factories import active_package, six_week, twelve_month


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
