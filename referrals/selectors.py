from django.db.models import QuerySet

from accounts.roles import Role
from catalogue.codes import OUT_OF_PANEL_SERVICES
from catalogue.sourcing import route_of

from .models import Referral
from .workflows import State


def referrals_for_person(person) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(person=person)
        .select_related("allocated_to", "referred_by", "service_type")
        .order_by("-created_at")
    )


def referrals_made_by(user) -> QuerySet[Referral]:
    """Newest first, on the index referral_referrer, with what a practitioner's home page shows."""
    return (
        Referral.objects.filter(referred_by=user)
        .select_related("person")
        .only("id", "kind", "state", "created_at", "person__id", "person__first_name", "person__last_name")
        .order_by("-created_at", "-id")
    )


# The funding decisions waiting, oldest first: paged by key (core.pagination) on referral_awaiting_funding.
FUNDING_ORDER = ["submitted_at", "id"]


def referrals_awaiting_funding(user) -> QuerySet[Referral]:
    """The funding decisions waiting on this user, oldest first: panel plans for CAP, out-of-panel for heads of
    service."""
    qs = (
        Referral.objects.filter(state=State.AWAITING_FUNDING)
        .select_related("person", "plan", "referred_by", "service_type")
        .only(
            "id",
            "state",
            "service_type__name",
            "submitted_at",
            "person__id",
            "person__first_name",
            "person__last_name",
            "plan__id",
            "plan__indicative_weekly_budget",
            "referred_by__id",
            "referred_by__first_name",
            "referred_by__last_name",
            "referred_by__username",
        )
        .order_by(*FUNDING_ORDER)
    )
    if user.has_role(Role.CAP_MEMBER) and user.has_role(Role.HEAD_OF_SERVICE):
        return qs
    if user.has_role(Role.CAP_MEMBER):
        return qs.exclude(service_type__in=OUT_OF_PANEL_SERVICES)
    if user.has_role(Role.HEAD_OF_SERVICE):
        return qs.filter(service_type__in=OUT_OF_PANEL_SERVICES)
    return qs.none()


def own_work_on_page(referral) -> tuple:
    """(work, its machine) when the service type's own workflow takes its steps on the referral's page (a commission:
    catalogue.sourcing), else (None, None)."""
    route = route_of(referral)
    if route is None or not route.on_referral_page:
        return None, None
    work = route.work_of(referral)
    if work is None:
        return None, None
    work.referral = referral  # its steps ask about the referral already read
    return work, route.machine


def timeline(referral, work=None) -> list:
    """The referral's logged steps and, interleaved by time, those of its own work shown on its page."""
    steps = list(referral.transitions.select_related("by"))
    if work is not None:
        steps += list(work.transitions.select_related("by"))
        steps.sort(key=lambda t: (t.at, t.pk))
    return steps
