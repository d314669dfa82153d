"""Everything beat schedules for running packages, through beat's own scheduler (built from CELERY_BEAT_SCHEDULE)
and a real Celery worker on the broker (Redis when REDIS_URL is set, as in CI; in memory otherwise), with time moved
forward day by day, not waited for: a suspension recommences and a temporary increase reverts, each with its revised
purchase order; the increase's 6-week review is reminded once and, left undone, escalated once. Each morning's run
is repeated the next day, and does nothing twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from changes.models import PackageChange
from core.tests.celery_worker import beat_sends, finished_tasks
from core.tests.celery_worker import real_worker as running_worker
from packages.models import CarePackage, PackageVersion
from people.tests.factories import make_person
from purchase_orders.models import PurchaseOrder
from reviews.models import Review
from reviews.workflows import REMIND_BEFORE
from reviews.workflows import State as ReviewState

from .factories import arrange, in_days, increase_to_arrange, running, suspension_to_arrange

CHANGES, REVIEWS = "apply-due-package-changes", "sweep-reviews"


@pytest.fixture
def cases(transactional_db, person, cap_member, officer_east, social_worker, east_area, settings, tmp_path):
    """Set up with tasks run inline, before the worker starts: A's home care suspended from today until the 5th
    day; B's increased from tomorrow until the 8th day, with its 6-week review for the social worker."""
    settings.MEDIA_ROOT = tmp_path
    a = running(person, cap_member, officer_east)
    suspension = arrange(suspension_to_arrange(person, officer_east, ends=in_days(5)), officer_east)
    other = make_person(social_worker, east_area)
    b = running(other, cap_member, officer_east)
    increase = arrange(increase_to_arrange(other, cap_member, officer_east, ends=in_days(8)), officer_east)
    mail.outbox.clear()
    return {"a": a.package, "b": b.package, "suspension": suspension, "increase": increase, "today": in_days(0)}


@pytest.fixture
def finished():
    with finished_tasks() as runs:
        yield runs


@pytest.fixture
def real_worker(cases, settings):
    with running_worker(settings):
        yield


def _digests_after(result):
    """A review sweep that told anyone queues their digests."""
    return "reviews.tasks.send_review_digests" if result["reminded"] or result["escalated"] else None


def beat(name: str, day, finished):
    return beat_sends(name, day, finished, then=_digests_after if name == REVIEWS else lambda result: None)


def _orders(package) -> list[tuple]:
    return list(
        PurchaseOrder.objects.filter(care_package_id=package.pk)
        .order_by("revision")
        .values_list("revision", "status", "weekly_hours", "suspended_from")
    )


def test_beat_applies_each_change_and_sweeps_each_review_once_through_a_real_worker(
    cases, real_worker, finished, social_worker, lead_east
):
    start, a, b = cases["today"], cases["a"], cases["b"]
    suspended_orders = len(_orders(a))

    # The suspension recommences on its day, with a revised order; the next night's run does nothing.
    assert beat(CHANGES, start + timedelta(days=4), finished) == 0
    assert CarePackage.objects.get(pk=a.pk).state == "suspended"
    assert beat(CHANGES, start + timedelta(days=5), finished) == 1
    assert beat(CHANGES, start + timedelta(days=6), finished) == 0
    assert CarePackage.objects.get(pk=a.pk).state == "active"
    assert PackageChange.objects.get(pk=cases["suspension"].pk).state == "finished"
    assert len(_orders(a)) == suspended_orders + 1
    assert _orders(a)[-1][1:] == ("issued", Decimal("10.00"), None)

    # The temporary increase goes back on its last day, with a revised order; once.
    assert beat(CHANGES, start + timedelta(days=8), finished) == 1
    assert beat(CHANGES, start + timedelta(days=9), finished) == 0
    hours = list(PackageVersion.objects.filter(package=b).order_by("valid_from").values_list("weekly_hours", flat=True))
    assert hours == [Decimal("10.00"), Decimal("15.00"), Decimal("10.00")]
    assert [(o[0], o[1], o[2]) for o in _orders(b)] == [
        (1, "superseded", Decimal("10.00")),
        (2, "superseded", Decimal("15.00")),
        (3, "issued", Decimal("10.00")),
    ]

    # Each revised order was rendered and sent by the worker, once: one e-mail a recipient a revision.
    sent = [(tuple(m.to), m.subject) for m in mail.outbox]
    assert len(sent) == len(set(sent))
    for package in (a, b):
        latest = PurchaseOrder.objects.filter(care_package_id=package.pk).latest("revision")
        assert any(f"{latest.number} revision {latest.revision} issued" in subject for _, subject in sent)
    mail.outbox.clear()

    # The increase's 6-week review: reminded once in the week before it is due, escalated once the day after.
    review = Review.objects.get(package=b)
    first = beat(REVIEWS, review.due_on - REMIND_BEFORE, finished)
    again = beat(REVIEWS, review.due_on - REMIND_BEFORE + timedelta(days=1), finished)
    assert (first["reminded"], again["reminded"]) == (1, 0)
    assert [(m.to, m.subject) for m in mail.outbox] == [([social_worker.email], "Reviews: 1 due within the week")]
    mail.outbox.clear()
    late = beat(REVIEWS, review.due_on + timedelta(days=1), finished)
    later = beat(REVIEWS, review.due_on + timedelta(days=2), finished)
    assert (late["escalated"], later["escalated"]) == (1, 0)
    assert Review.objects.get(pk=review.pk).state == ReviewState.OVERDUE
    assert [(m.to, m.subject) for m in mail.outbox] == [([lead_east.email], "Reviews: 1 overdue")]
