"""Who may see the provider directory and import to it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role

from .models import Provider
from .selectors import provider_profile
from .services import ONLY_DPS_TEAM_IMPORTS, can_import_providers

# Council staff who source, enrol, monitor or pay providers. Provider users never see other providers.
DIRECTORY_ROLES = (
    Role.BROKERAGE_OFFICER,
    Role.TEAM_LEAD,
    Role.DPS_TEAM,
    Role.CONTRACT_MONITORING,
    Role.FINANCE_OFFICER,
)
DIRECTORY_REFUSED = "Only Brokerage, the DPS team, contract monitoring and finance can see the provider directory."


def can_see_directory(user) -> bool:
    return user.provider_id is None and (user.is_superuser or user.has_role(*DIRECTORY_ROLES))


def ensure_directory_access(user) -> None:
    if not can_see_directory(user):
        raise PermissionDenied(DIRECTORY_REFUSED)


def ensure_import_access(user) -> None:
    if not can_import_providers(user):
        raise PermissionDenied(ONLY_DPS_TEAM_IMPORTS)


def access_provider(user, provider_id: int) -> Provider:
    ensure_directory_access(user)
    provider = provider_profile(provider_id)
    if provider is None:
        raise Http404("No such provider")
    return provider
