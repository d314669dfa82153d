from .models import Concern


def inbox(user):
    """Concerns routed to any team the user belongs to, newest open first."""
    return Concern.objects.filter(routed_to__in=user.roles).select_related("person", "raised_by").order_by("status", "-created_at")


def concerns_raised_by(user):
    return Concern.objects.filter(raised_by=user).select_related("person").order_by("-created_at")
