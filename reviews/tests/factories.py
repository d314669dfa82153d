"""Reviews of an active care package, scheduled as another app's workflow would schedule them."""

from datetime import timedelta

from django.utils import timezone

from dps.tests.factories import active
from reviews.services import schedule_review
from reviews.workflows import Kind


def in_days(n: int):
    return timezone.localdate() + timedelta(days=n)


def active_package(person, funder, officer):
    """The person's home care taken by `officer` to an active care package with its purchase order."""
    return active(person, funder, officer).package


def six_week(package, worker, *, by=None, due_in=42):
    return schedule_review(
        package=package, kind=Kind.SIX_WEEK, due_on=in_days(due_in), assigned_to=worker, acting_user=by or worker
    )


def twelve_month(package, by, *, due_in=365):
    return schedule_review(
        package=package, kind=Kind.TWELVE_MONTH, due_on=in_days(due_in), assigned_to=None, acting_user=by
    )
