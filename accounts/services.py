from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import BROKERAGE, Role

# The finance and admin officers keep reference data in the Django admin: teams and their areas, service types'
# names and whether they are offered, the taxonomy mapping provider directory imports read, purchasing
# arrangements and bank holidays.
REFERENCE_DATA_PERMISSIONS = [
    "view_team",
    "add_team",
    "change_team",
    "view_servicetype",
    "change_servicetype",
    "view_area",
    "add_area",
    "change_area",
    "view_taxonomymapping",
    "add_taxonomymapping",
    "change_taxonomymapping",
    "delete_taxonomymapping",
    "view_purchasingarrangement",
    "add_purchasingarrangement",
    "change_purchasingarrangement",
    "view_bankholiday",
    "add_bankholiday",
    "change_bankholiday",
    "delete_bankholiday",
]


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    roles: list[str],
    team: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    provider=None,
) -> User:
    """A user with their roles as groups; `team` is the code of the Brokerage team they work in."""
    if set(roles) & BROKERAGE and not team:
        raise ValueError("Brokerage officers and team leads need a team.")
    if (Role.PROVIDER_USER in roles) != (provider is not None):
        raise ValueError("A provider user, and only a provider user, belongs to a provider.")
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name,
        last_name=last_name,
        email=email,
        team_id=team or None,
        provider=provider,
    )
    # get_or_create, not filter: a database flushed by a transactional test has lost the migration's groups.
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))
    if Role.FINANCE_OFFICER in roles:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(*Permission.objects.filter(codename__in=REFERENCE_DATA_PERMISSIONS))
    return user
