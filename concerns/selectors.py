from .models import Concern


def inbox(user):
    """Concerns routed to any team the user belongs to, newest open first."""
    return (
        Concern.objects.filter(routed_to__in=user.roles)
        .select_related("person", "raised_by")
        .order_by("status", "-created_at")
    )


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
