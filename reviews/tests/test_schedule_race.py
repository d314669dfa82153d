"""Two workflows scheduling the same review of one package at the same moment, in two connections: the database's
one_open_review_per_package_and_kind lets one through and the other is told in words, with nothing written."""

import pytest

from core.exceptions import ActionRefused
from packages.tests.test_change_provider import _race
from reviews.models import Review
from reviews.services import schedule_review
from reviews.workflows import Kind

from .factories import active_package, in_days


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_two_twelve_month_reviews_scheduled_at_once_make_one(transactional_db, person, cap_member, officer_east):
    package = active_package(person, cap_member, officer_east)

    def schedule():
        return schedule_review(
            package=package, kind=Kind.TWELVE_MONTH, due_on=in_days(365), assigned_to=None, acting_user=officer_east
        )

    results, waiting = _race(schedule, schedule)

    assert waiting == 1, "the second should have waited on the first's index entry"
    assert isinstance(results["first"], Review), results["first"]
    assert isinstance(results["second"], ActionRefused), results["second"]
    assert results["second"].message == (
        f"{package.reference} already has a 12-month review to carry out: someone scheduled it at the same time."
    )
    assert list(Review.objects.filter(package=package)) == [results["first"]]
