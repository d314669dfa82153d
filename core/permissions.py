"""Who may reach each page: a table per app, URL name → rule (DESIGN.md "who may do what is a table per app").

Each app's `permissions.py` registers its table, and one middleware reads it for every request, before the view
runs. It fails closed: a URL with no rule is refused to everyone, so a new page cannot be left open by forgetting
it, and the permission matrix test reads the same tables to check each role against them.

A rule is about the user alone (their roles, being signed in). Whose person, which team's referral, which
provider's order: those are questions about an object, asked by the app's access.py once the rule has let the
user through, and answered "not found" for someone else's ids.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from accounts.roles import PRACTITIONERS, Role


@dataclass(frozen=True)
class Rule:
    says: str  # who may, in words: the permission matrix prints it
    allows: Callable[[object], bool]
    refusal: str = "You do not have permission to see this page."

    def __call__(self, user) -> bool:
        return bool(self.allows(user))


def signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


def is_council_staff(user) -> bool:
    """Signed in and not a provider's user: providers reach people only through their portal."""
    return signed_in(user) and user.provider_id is None and not user.has_role(Role.PROVIDER_USER)


def roles(*allowed: str, refusal: str) -> Rule:
    names = ", ".join(Role(r).label.lower() for r in allowed)
    return Rule(f"{names}", lambda user: signed_in(user) and user.has_role(*allowed), refusal)


ANYONE = Rule("anyone, signed in or not", lambda user: True)
SIGNED_IN = Rule("anyone signed in", signed_in)
COUNCIL_STAFF = Rule(
    "council staff",
    is_council_staff,
    "Providers see people only through the packages awarded to them, in their portal.",
)
PRACTITIONER = roles(*PRACTITIONERS, refusal="Only a practitioner can do this.")
BROKERAGE_STAFF = Rule(
    "brokerage officers and team leads of a team",
    lambda user: signed_in(user) and user.is_brokerage,
    "This is for Brokerage officers and team leads.",
)
PROVIDER = Rule(
    "provider users",
    lambda user: signed_in(user) and user.has_role(Role.PROVIDER_USER) and user.provider_id is not None,
    "The provider portal is for care providers' staff.",
)

_tables: dict[str, dict[str, Rule]] = {}


def register(namespace: str, table: dict[str, Rule]) -> None:
    """Called by an app's permissions module: its URL names (in `namespace`, "" for the root) and their rules."""
    mine = _tables.setdefault(namespace, {})
    taken = mine.keys() & table.keys()
    if taken:
        raise ValueError(f"URL names already have rules in {namespace or 'the root'}: {sorted(taken)}")
    mine.update(table)


def rule_for(view_name: str) -> Rule | None:
    namespace, _, name = view_name.rpartition(":")
    return _tables.get(namespace, {}).get(name)


def all_rules() -> dict[str, Rule]:
    return {f"{ns}:{name}" if ns else name: rule for ns, table in _tables.items() for name, rule in table.items()}


# Django's admin has its own gate (staff status and model permissions) and its own URLs.
EXEMPT_NAMESPACES = ("admin",)


class PermissionTableMiddleware:
    """Reads the app's table for the URL being asked for, before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespaces[:1] and match.namespaces[0] in EXEMPT_NAMESPACES:
            return None
        rule = rule_for(match.view_name)
        if rule is None:
            raise PermissionDenied("This page has no rule saying who may use it, so nobody may.")
        if not rule(request.user):
            raise PermissionDenied(rule.refusal)
        return None
