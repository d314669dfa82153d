"""The permission matrix's vocabulary: the roles its world signs in as, who sees which of its people, and how a row
says what each role gets. An app adds the rows for its own URLs in `<app>/tests/matrix_rows.py` (a `GET_ROWS` dict
of the same shape as core.tests.test_permission_matrix.GET_MATRIX), so a new app does not edit the core's table.
Rows build what they need from the world lazily (see `_placement` there), keyed in the world so it is built once."""

from accounts.roles import Role

ROLES = {
    "sw": ([Role.SOCIAL_WORKER], ""),
    "sw2": ([Role.SOCIAL_WORKER], ""),
    "spa": ([Role.SPA_WORKER], ""),
    "officer_east": ([Role.BROKERAGE_OFFICER], "east"),
    "officer_west": ([Role.BROKERAGE_OFFICER], "west"),
    "lead_east": ([Role.TEAM_LEAD], "east"),
    "lead_west": ([Role.TEAM_LEAD], "west"),
    "cap": ([Role.CAP_MEMBER], ""),
    "hos": ([Role.HEAD_OF_SERVICE], ""),
    "review": ([Role.REVIEW_TEAM], ""),
    "contract": ([Role.CONTRACT_MONITORING], ""),
    "dps": ([Role.DPS_TEAM], ""),
    "first_response": ([Role.FIRST_RESPONSE], ""),
    "monitoring": ([Role.MONITORING_OFFICER], ""),
    "finance": ([Role.FINANCE_OFFICER], ""),
    "provider": ([Role.PROVIDER_USER], ""),
}
ALL = ["anon", *ROLES]


# Who sees person A (East, held by sw, funded by the panel: work in the East queue and an active service)
# and person B (West, held by sw2, awaiting the panel). Access follows need (people.access): the panel no
# longer sees A after its decision; the West team does not see B before the work reaches its queue.
SEES_A = {"sw", "officer_east", "lead_east"}
SEES_B = {"sw2", "cap"}
SEES_C = {"sw", "officer_east", "lead_east", "hos"}
LOGGED_IN = set(ROLES)
BROKERAGE = {"officer_east", "officer_west", "lead_east", "lead_west"}
PRACTITIONERS = {"sw", "sw2", "spa"}
INBOX = {"first_response", "monitoring", "contract"}
TEAM_EAST = {"officer_east", "lead_east"}
TEAM_EAST_302 = {"officer_east": 302, "lead_east": 302}


STAFF = LOGGED_IN - {"provider"}


def gate(allowed: set, table: dict) -> dict:
    """The app's table lets only `allowed` roles reach the page at all: every other signed-in role is refused (403)
    before the view looks for the object."""
    return {role: code if role == "anon" or role in allowed else 403 for role, code in table.items()}


def expect(ok: set, ok_code: int = 200, seen_code: int | None = None, seen: set = frozenset(), other: int = 404):
    """ok roles get ok_code; roles in `seen` but not ok get seen_code; the rest `other`; anon goes to sign in."""
    table = {"anon": 302}
    for role in ROLES:
        table[role] = ok_code if role in ok else (seen_code if role in seen else other)
    return table
