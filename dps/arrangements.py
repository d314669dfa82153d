"""Purchasing arrangements, set up and kept by the DPS team: a DPS or a Dynamic Market for a service type, its
dates, and its members (the provider services admitted to it, who are invited to bid on its requirements).

A provider service belongs to at most one arrangement. A provider directory import may name one
(providers.importers); otherwise membership is decided here, and every change is on the audit trail.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.roles import Role
from audit.services import diff, record_change, snapshot
from catalogue.models import code_of
from core.exceptions import ActionRefused
from providers.models import ProviderService

from .models import DPSRequirement, PurchasingArrangement

ONLY_DPS_TEAM = "Purchasing arrangements are set up and kept by the DPS team."
ARRANGEMENT_FIELDS = ["name", "kind", "service_type_id", "starts_on", "expires_on"]


def can_manage_arrangements(user) -> bool:
    return user.is_active and user.provider_id is None and (user.is_superuser or user.has_role(Role.DPS_TEAM))


def _ensure_dps_team(user) -> None:
    if not can_manage_arrangements(user):
        raise ActionRefused(ONLY_DPS_TEAM)


def arrangements_overview() -> QuerySet[PurchasingArrangement]:
    """Every arrangement with its number of members and of requirements open for bids: one query."""
    return (
        PurchasingArrangement.objects.annotate(
            member_count=Count("members", distinct=True),
            open_requirement_count=Count(
                "requirements", filter=Q(requirements__status=DPSRequirement.Status.OPEN), distinct=True
            ),
        )
        .select_related("service_type")
        .order_by("service_type__position", "name")
    )


def arrangements_with_service_type() -> QuerySet[PurchasingArrangement]:
    """Every arrangement, its service type read: those a provider directory file may name (providers.importers)."""
    return PurchasingArrangement.objects.select_related("service_type")


def members_of(arrangement: PurchasingArrangement) -> QuerySet[ProviderService]:
    return arrangement.members.select_related("provider").order_by("provider__name", "provider_id")


def candidates_for(arrangement: PurchasingArrangement) -> QuerySet[ProviderService]:
    """Active providers' services of the arrangement's type that are not its members (on no arrangement, or
    on another one, which joining this one would leave)."""
    return (
        ProviderService.objects.filter(service_type_id=arrangement.service_type_id, provider__active=True)
        .exclude(arrangement=arrangement)
        .select_related("provider", "arrangement")
        .order_by("provider__name", "provider_id")
    )


@transaction.atomic
def save_arrangement(
    arrangement: PurchasingArrangement | None,
    *,
    acting_user,
    name: str,
    kind: str,
    service_type: str,
    starts_on: date,
    expires_on: date | None,
) -> PurchasingArrangement:
    """Set up an arrangement (None) or change one. Its service type is fixed once it has members or
    requirements: they were admitted, and put out, for that service."""
    _ensure_dps_team(acting_user)
    service_type = code_of(service_type)
    created = arrangement is None
    if created:
        arrangement = PurchasingArrangement()
    else:
        arrangement = PurchasingArrangement.objects.select_for_update().get(pk=arrangement.pk)
        if service_type != arrangement.service_type_id and (
            arrangement.members.exists() or arrangement.requirements.exists()
        ):
            raise ActionRefused(
                f"The service cannot change: {arrangement.name} already has members or requirements for "
                f"{arrangement.service_type.name.lower()}. Set up a new arrangement instead."
            )
    before = {} if created else snapshot(arrangement, ARRANGEMENT_FIELDS)
    arrangement.name, arrangement.kind, arrangement.service_type_id = name, kind, code_of(service_type)
    arrangement.starts_on, arrangement.expires_on = starts_on, expires_on
    try:
        arrangement.full_clean()
    except ValidationError as invalid:  # the form checks these first; another save may have come between
        raise ActionRefused(" ".join(invalid.messages)) from None
    arrangement.save()
    changes = diff(before, snapshot(arrangement, ARRANGEMENT_FIELDS))
    if changes:
        record_change(
            actor=acting_user,
            obj=arrangement,
            created=created,
            summary=f"{'Set up' if created else 'Changed'} the purchasing arrangement {arrangement.name}",
            changes=changes,
        )
    return arrangement


@transaction.atomic
def admit_member(arrangement: PurchasingArrangement, *, acting_user, provider_service_id: int) -> ProviderService:
    """Admit a provider's service to the arrangement. A DPS and a Dynamic Market admit providers at any time
    while they run; a service on another arrangement for the same service leaves it."""
    _ensure_dps_team(acting_user)
    service = (
        ProviderService.objects.select_for_update(of=("self",))
        .select_related("provider", "arrangement")
        .filter(pk=provider_service_id)
        .first()
    )
    if service is None or service.service_type_id != arrangement.service_type_id:
        raise ActionRefused(
            f"Choose a provider that offers {arrangement.service_type.name.lower()}: only they can join."
        )
    if not service.provider.active:
        raise ActionRefused(f"{service.provider} is not active in the provider directory.")
    if service.arrangement_id == arrangement.pk:
        raise ActionRefused(f"{service.provider} is already a member of {arrangement.name}.")
    today = timezone.localdate()
    if arrangement.expires_on is not None and arrangement.expires_on < today:
        raise ActionRefused(f"{arrangement.name} expired on {arrangement.expires_on:%-d %B %Y}: it admits no one.")
    left = service.arrangement
    service.arrangement = arrangement
    service.save(update_fields=["arrangement"])
    record_change(
        actor=acting_user,
        obj=service,
        summary=f"Admitted {service.provider} to {arrangement.name}" + (f", leaving {left.name}" if left else ""),
        changes={"arrangement": [left.name if left else None, arrangement.name]},
    )
    return service


@transaction.atomic
def remove_member(arrangement: PurchasingArrangement, *, acting_user, provider_service_id: int) -> ProviderService:
    """Take a provider's service off the arrangement: from then it can be used only on a spot contract.
    Not while it has a bid in a competition still open on the arrangement."""
    _ensure_dps_team(acting_user)
    service = (
        ProviderService.objects.select_for_update(of=("self",))
        .select_related("provider")
        .filter(pk=provider_service_id, arrangement=arrangement)
        .first()
    )
    if service is None:
        raise ActionRefused(f"That provider is not a member of {arrangement.name}.")
    bidding = DPSRequirement.objects.filter(
        arrangement=arrangement, status=DPSRequirement.Status.OPEN, bids__provider=service.provider_id
    ).first()
    if bidding is not None:
        raise ActionRefused(
            f"{service.provider} has a bid on {bidding.reference}, still open for bids: remove it when bidding "
            f"closes on {timezone.localtime(bidding.closes_at):%-d %B %Y at %H:%M}."
        )
    service.arrangement = None
    service.save(update_fields=["arrangement"])
    record_change(
        actor=acting_user,
        obj=service,
        summary=f"Removed {service.provider} from {arrangement.name}",
        changes={"arrangement": [arrangement.name, None]},
    )
    return service
