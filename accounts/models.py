from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models

from .roles import BROKERAGE, PRACTITIONERS, Role


class User(AbstractUser):
    """A member of council staff or a provider's staff. Roles are groups; see accounts.roles."""

    team = models.ForeignKey(
        "catalogue.Team",
        db_index=False,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        db_column="team",
        help_text="Brokerage officers and team leads belong to a team.",
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="For provider users: the organisation they work for.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_practitioner(self) -> bool:
        return bool(self.roles & PRACTITIONERS)

    @property
    def is_brokerage(self) -> bool:
        return bool(self.roles & BROKERAGE) and self.team_id is not None

    @property
    def is_team_lead(self) -> bool:
        return Role.TEAM_LEAD in self.roles and self.team_id is not None

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles) if r in Role.values]
