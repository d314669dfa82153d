from django.db.models import QuerySet

from .models import Concern

# A closed concern stays on record for years: closed ones are paged by key (core.pagination).
CLOSED_ORDER = ["-created_at", "-id"]
NEEDING_ACTION_SHOWN = 50


def _routed_to(user) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(routed_to__in=user.roles)
        .select_related("person", "raised_by")
        .only(
            "id",
            "kind",
            "status",
            "created_at",
            "routed_to",
            "person__id",
            "person__first_name",
            "person__last_name",
            "raised_by__id",
            "raised_by__first_name",
            "raised_by__last_name",
            "raised_by__username",
        )
    )


def needing_action(user) -> QuerySet[Concern]:
    """Concerns routed to any team the user belongs to that are not closed, newest first."""
    return _routed_to(user).exclude(status=Concern.Status.CLOSED).order_by("-created_at", "-id")


def closed_for(user) -> QuerySet[Concern]:
    return _routed_to(user).filter(status=Concern.Status.CLOSED)


def concerns_raised_by(user):
    return Concern.objects.filter(raised_by=user).select_related("person").order_by("-created_at")


def contact_details_for(concern, user) -> list[tuple[str, str]]:
    """What the First Response team needs to act on a safeguarding concern: where the person is and how
    to reach them. Shown on the concern only, to the team it is routed to, and only until it is closed;
    the person's record itself stays closed to them (people.access)."""
    if not (
        concern.kind == Concern.Kind.SAFEGUARDING
        and concern.status != Concern.Status.CLOSED
        and user.has_role(concern.routed_to)
    ):
        return []
    person = concern.person
    address = ", ".join(x for x in [person.address_line_1, person.address_line_2, person.town, person.postcode] if x)
    return [("Address", address), ("Phone number", person.phone or "Not recorded")]
