"""Writes to the provider directory."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from accounts.roles import Role
from audit.services import diff, record_change, snapshot
from core.exceptions import ActionRefused

from .importers import DirectoryReading, OrganizationEntry, read_directory
from .models import Provider, ProviderService

ONLY_DPS_TEAM_IMPORTS = "Only the DPS team can import providers from a directory file."
PROVIDER_FIELDS = [
    "name",
    "description",
    "email",
    "website",
    "open_referral_id",
    "cqc_registration_number",
    "cqc_rating",
    "contact_name",
    "address",
    "postcode",
    "active",
]
SERVICE_FIELDS = ["service_type_id", "arrangement_id", "districts", "specialisms", "languages", "weekly_hours_capacity"]


@dataclass
class DirectoryImport:
    """What an import did: nothing, with the reading's problems; or these counts."""

    reading: DirectoryReading
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def imported(self) -> bool:
        return self.reading.is_valid

    @property
    def summary(self) -> str:
        total = self.created + self.updated + self.unchanged
        return (
            f"Imported {total} provider{'' if total == 1 else 's'}: {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


def can_import_providers(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(Role.DPS_TEAM)) and user.provider_id is None


def import_provider_directory(content: bytes | str, *, acting_user, source: str = "") -> DirectoryImport:
    """Imports every organization in an Open Referral UK file, or none of them.

    Every record is checked first (see providers.importers); if any fails, nothing is written and
    the result lists each failing record. Otherwise, in one transaction, each organization is
    created or updated by its Open Referral id, its services are made to match the file (a service
    no longer listed, or listed as inactive or defunct, is removed), and every change is audited.

    `acting_user` must be in the DPS team (or a superuser); None is the system, for the
    `import_providers` management command.
    """
    if acting_user is not None and not can_import_providers(acting_user):
        raise ActionRefused(ONLY_DPS_TEAM_IMPORTS)
    reading = read_directory(content)
    if not reading.is_valid:
        return DirectoryImport(reading=reading)
    result = DirectoryImport(reading=reading)
    summary = "Imported from an Open Referral UK directory" + (f" ({source})" if source else "")
    try:
        with transaction.atomic():
            ids = [o.open_referral_id for o in reading.organizations]
            existing = {
                p.open_referral_id: p for p in Provider.objects.select_for_update().filter(open_referral_id__in=ids)
            }
            for organization in reading.organizations:
                outcome = _upsert_provider(
                    organization, existing.get(organization.open_referral_id), actor=acting_user, summary=summary
                )
                setattr(result, outcome, getattr(result, outcome) + 1)
    except IntegrityError:
        # Another import created one of these providers between our check and our write.
        reading.file_errors.append(
            "Another import changed these providers at the same time. Nothing was imported: upload the file again."
        )
        return DirectoryImport(reading=reading)
    return result


def _upsert_provider(organization: OrganizationEntry, provider: Provider | None, *, actor, summary: str) -> str:
    created = provider is None
    if created:
        provider = Provider(open_referral_id=organization.open_referral_id, created_by=actor)
    before = {} if created else snapshot(provider, PROVIDER_FIELDS)
    for name, value in organization.fields().items():
        setattr(provider, name, value)
    provider.full_clean(validate_unique=False)
    changes = diff(before, snapshot(provider, PROVIDER_FIELDS))
    if changes:
        provider.save()
        record_change(actor=actor, obj=provider, created=created, summary=summary, changes=changes)
    services_changed = _sync_services(provider, organization, actor=actor, summary=summary)
    if created:
        return "created"
    return "updated" if changes or services_changed else "unchanged"


def _sync_services(provider: Provider, organization: OrganizationEntry, *, actor, summary: str) -> bool:
    """The provider's services made to match the file's; True if any changed."""
    current = {s.service_type_id: s for s in ProviderService.objects.filter(provider=provider)}
    changed = False
    for entry in organization.services:
        service = current.pop(entry.service_type, None)
        created = service is None
        service = service or ProviderService(provider=provider)
        before = {} if created else snapshot(service, SERVICE_FIELDS)
        for name, value in entry.fields().items():
            setattr(service, name, value)
        service.full_clean(validate_constraints=False)
        changes = diff(before, snapshot(service, SERVICE_FIELDS))
        if changes:
            service.save()
            record_change(actor=actor, obj=service, created=created, summary=summary, changes=changes)
            changed = True
    for service in current.values():
        record_change(
            actor=actor,
            obj=service,
            summary=f"{summary}: service no longer listed, removed",
            changes=snapshot(service, SERVICE_FIELDS),
        )
        service.delete()
        changed = True
    return changed
