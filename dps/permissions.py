"""Who may reach sourcing, requirements, notices and purchasing arrangements (core.permissions). Which referral:
dps.access; whether the step is open now: the requirement's state machine."""

from accounts.roles import Role
from core.permissions import BROKERAGE_STAFF, Rule, register, roles

from .arrangements import ONLY_DPS_TEAM, can_manage_arrangements

DPS_TEAM = Rule("the DPS team", can_manage_arrangements, ONLY_DPS_TEAM)

register("shortlist", {"for_referral": BROKERAGE_STAFF})
register("arrangements", {name: DPS_TEAM for name in ("list", "create", "detail", "change", "admit", "remove")})
register(
    "dps",
    {
        **{
            name: BROKERAGE_STAFF
            for name in (
                "requirement",
                "change_closing_time",
                "score",
            )
        },
        "notices": roles(Role.DPS_TEAM, refusal="Spot contract notices are for the DPS team."),
        "acknowledge_notice": roles(Role.DPS_TEAM, refusal="Spot contract notices are for the DPS team."),
    },
)
