"""Reading reviews: each worker's, the review team's, a team lead's escalated ones, a package's and a person's, each
in one query."""

from django.db.models import Count, Q, QuerySet

from .models import Review
from .workflows import OPEN_STATES, Kind, State


def _with_rows(reviews: QuerySet[Review]) -> QuerySet[Review]:
    return reviews.select_related("person", "package__service_type", "assigned_to")


def reviews_for_user(user) -> QuerySet[Review]:
    """The open 6-week reviews assigned to the user, the soonest due first."""
    return _with_rows(Review.objects.filter(kind=Kind.SIX_WEEK, assigned_to=user, state__in=OPEN_STATES)).order_by(
        "due_on", "id"
    )


def reviews_for_review_team(state: str | None = None) -> QuerySet[Review]:
    """The open 12-month reviews, which belong to the review team (only those in `state`, if given), the soonest
    due first."""
    states = [state] if state else OPEN_STATES
    return _with_rows(Review.objects.filter(kind=Kind.TWELVE_MONTH, state__in=states)).order_by("due_on", "id")


def review_team_counts() -> dict[str, int]:
    """How many 12-month reviews are due within the week and how many are overdue."""
    return Review.objects.filter(kind=Kind.TWELVE_MONTH, state__in=OPEN_STATES).aggregate(
        due=Count("id", filter=Q(state=State.DUE)), overdue=Count("id", filter=Q(state=State.OVERDUE))
    )


def escalated_to_lead(user) -> QuerySet[Review]:
    """The overdue 6-week reviews escalated to a Brokerage team lead: those of the packages their team administers
    (reviews.notifications says why), the longest overdue first. None for anyone else."""
    if not user.is_team_lead:
        return Review.objects.none()
    return _with_rows(
        Review.objects.filter(
            kind=Kind.SIX_WEEK, state=State.OVERDUE, escalated_in__isnull=False, package__team_id=user.team_id
        )
    ).order_by("due_on", "id")


def reviews_of_package(package) -> QuerySet[Review]:
    """Every review of the package, open or not, by due date."""
    return _with_rows(Review.objects.filter(package=package)).order_by("due_on", "id")


def reviews_of_person(person) -> QuerySet[Review]:
    """Every review of the person's packages, by due date."""
    return _with_rows(Review.objects.filter(person=person)).order_by("due_on", "id")


def has_open_review(package, kind) -> bool:
    """Is a review of this kind of the package still to be carried out?"""
    return Review.objects.filter(package=package, kind=kind, state__in=OPEN_STATES).exists()
