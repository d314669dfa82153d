"""Referral look-ups, and the needs a referral gives to see its person (people.access).

- The Brokerage team sees a person while one of its referrals for them is in its queue, being worked,
  or running as an active service it administers: not before the work reaches the queue (awaiting
  funding, held for risk), and not once it has ended (withdrawn, declined, referred on).
- The Care Authorisation Panel sees a person while a plan of theirs waits for its decision, and a head
  of service while an out-of-panel approval does: the decision ends it.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from accounts.roles import Role
from catalogue.codes import OUT_OF_PANEL_SERVICES
from people.access import can_view_person

from .models import Referral
from .workflows import TEAM_WORK_STATES, State


def team_has_work(user) -> Q | None:
    if not user.is_brokerage:
        return None
    return Q(Exists(Referral.objects.filter(person=OuterRef("pk"), team=user.team_id, state__in=TEAM_WORK_STATES)))


def decision_awaits(user) -> Q | None:
    awaiting = Referral.objects.filter(person=OuterRef("pk"), state=State.AWAITING_FUNDING)
    panel, head = user.has_role(Role.CAP_MEMBER), user.has_role(Role.HEAD_OF_SERVICE)
    if panel and head:
        return Q(Exists(awaiting))
    if panel:
        return Q(Exists(awaiting.exclude(service_type__in=OUT_OF_PANEL_SERVICES)))
    if head:
        return Q(Exists(awaiting.filter(service_type__in=OUT_OF_PANEL_SERVICES)))
    return None


def access_referral(user, referral_id: int) -> Referral:
    """A referral the user may see (they may see its person), or not found."""
    referral = (
        Referral.objects.select_related(
            "person__area", "person__allocated_worker", "plan", "referred_by", "allocated_to", "service_type", "team"
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None or not can_view_person(user, referral.person):
        raise Http404("No such referral, or not one you can see")
    return referral
