from django.db import models

from .codes import NOT_BROKERED, OUT_OF_PANEL_SERVICES, REFERRAL_ONLY_SERVICES


class Team(models.Model):
    """A Brokerage team. A person's area decides which team serves them; officers and leads belong to one."""

    code = models.SlugField(
        primary_key=True, max_length=32, help_text="A short name that never changes, such as 'east'."
    )
    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField(
        "Team inbox",
        blank=True,
        help_text="A shared inbox told of urgent referrals, besides the team's officers and leads.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceType(models.Model):
    """A service a social worker may ask for, as admin staff name and offer it.

    The rows are the codes in catalogue.codes (made by ensure_service_types after every migrate): a service
    Brokerage arranges needs its workflow in the code, so admin staff keep these rows but do not add them.
    """

    code = models.CharField(primary_key=True, max_length=32, editable=False)
    name = models.CharField(max_length=100, unique=True)
    offered = models.BooleanField(
        default=True,
        help_text="Untick to stop new plans and referrals asking for it. Work already under way carries on.",
    )
    refusal = models.TextField(
        "What a referral is told",
        blank=True,
        help_text="For services Brokerage does not arrange: where the person should be referred instead.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lists show services in this order.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_brokered(self) -> bool:
        return self.code not in NOT_BROKERED

    @property
    def is_referral_only(self) -> bool:
        return self.code in REFERRAL_ONLY_SERVICES

    @property
    def needs_out_of_panel_approval(self) -> bool:
        return self.code in OUT_OF_PANEL_SERVICES


def code_of(service_type: "ServiceType | str") -> str:
    """A service type's code, given its row (as a form's choice gives it) or its code (as the code does)."""
    return service_type.code if isinstance(service_type, ServiceType) else service_type
