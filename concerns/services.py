from django.db import transaction

from audit.services import record_change
from core.exceptions import ActionRefused
from core.tasks import enqueue
from people.access import can_view_person

from .models import Concern
from .tasks import notify_inbox


@transaction.atomic
def raise_concern(*, acting_user, person, kind: str, details: str, referral=None, provider_name: str = "") -> Concern:
    """Record a safeguarding concern, complaint or quality alert and route it to the team that
    handles it. Brokerage records and passes on; it never handles these itself (SPEC §2)."""
    if not can_view_person(acting_user, person):
        raise ActionRefused("You can raise a concern only about someone whose record you can see.")
    if kind == Concern.Kind.QUALITY_ALERT and not provider_name.strip():
        raise ActionRefused("Name the provider the quality alert is about.")
    concern = Concern(
        kind=kind,
        person=person,
        referral=referral,
        routed_to=Concern.ROUTES.get(kind, ""),
        provider_name=provider_name,
        details=details,
        raised_by=acting_user,
        created_by=acting_user,
    )
    concern.full_clean()
    concern.save()
    record_change(
        actor=acting_user,
        obj=concern,
        person=person,
        created=True,
        summary=f"Raised a {concern.get_kind_display().lower()}, routed to {concern.get_routed_to_display()}",
    )
    enqueue(notify_inbox, concern.pk)
    return concern


def _ensure_inbox_owner(concern: Concern, user) -> None:
    if not user.has_role(concern.routed_to):
        raise ActionRefused(
            f"Only the {concern.get_routed_to_display()} handles this {concern.get_kind_display().lower()}."
        )


@transaction.atomic
def acknowledge_concern(concern: Concern, *, acting_user) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _ensure_inbox_owner(concern, acting_user)
    if concern.status != Concern.Status.OPEN:
        raise ActionRefused("This has already been acknowledged.")
    concern.status = Concern.Status.ACKNOWLEDGED
    concern.handled_by = acting_user
    concern.save()
    record_change(
        actor=acting_user,
        obj=concern,
        person=concern.person,
        summary="Acknowledged",
        changes={"status": ["open", "acknowledged"]},
    )
    return concern


@transaction.atomic
def close_concern(concern: Concern, *, acting_user, outcome: str) -> Concern:
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    _ensure_inbox_owner(concern, acting_user)
    if concern.status == Concern.Status.CLOSED:
        raise ActionRefused("This is already closed.")
    if not outcome.strip():
        raise ActionRefused("Record the outcome before closing.")
    before = concern.status
    concern.status = Concern.Status.CLOSED
    concern.handled_by = acting_user
    concern.outcome = outcome
    concern.save()
    record_change(
        actor=acting_user,
        obj=concern,
        person=concern.person,
        summary="Closed",
        changes={"status": [before, "closed"], "outcome": outcome},
    )
    return concern
