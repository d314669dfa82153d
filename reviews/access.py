"""Who may see a review, and the need a review gives to see its person (people.access)."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from people.access import can_view_person

from .models import Review
from .workflows import OPEN_STATES, Kind, State


def review_team_has_review(user) -> Q | None:
    """The review team sees a person while a 12-month review of theirs is still to be carried out."""
    if not user.has_role(Role.REVIEW_TEAM):
        return None
    return Q(Exists(Review.objects.filter(person=OuterRef("pk"), kind=Kind.TWELVE_MONTH, state__in=OPEN_STATES)))


def lead_has_escalated_review(user) -> Q | None:
    """A Brokerage team lead sees a person while an overdue 6-week review of a package their team administers is
    escalated to them (reviews.notifications), so they can open it and chase it or cancel it."""
    if not user.is_team_lead:
        return None
    escalated = Review.objects.filter(
        person=OuterRef("pk"),
        kind=Kind.SIX_WEEK,
        state=State.OVERDUE,
        escalated_in__isnull=False,
        package__team_id=user.team_id,
    )
    return Q(Exists(escalated))


def access_review(user, review_id: int) -> Review:
    """A review whose person the user may see, or not found."""
    review = (
        Review.objects.select_related("person", "package__service_type", "package__team", "assigned_to", "scheduled_by")
        .filter(pk=review_id)
        .first()
    )
    if review is None or not can_view_person(user, review.person):
        raise Http404("No such review, or not one you can see")
    return review
