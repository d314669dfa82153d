"""Who may reach the provider directory (core.permissions)."""

from core.permissions import Rule, register

from .access import DIRECTORY_REFUSED, can_see_directory
from .services import ONLY_DPS_TEAM_IMPORTS, can_import_providers

DIRECTORY = Rule("brokerage, the DPS team, contract monitoring and finance", can_see_directory, DIRECTORY_REFUSED)

register(
    "providers",
    {
        "list": DIRECTORY,
        "detail": DIRECTORY,
        "import": Rule("the DPS team", can_import_providers, ONLY_DPS_TEAM_IMPORTS),
    },
)
