"""Who may reach people's pages (core.permissions). Which people: people.access, by need."""

from core.permissions import COUNCIL_STAFF, PRACTITIONER, register

register(
    "people",
    {
        "list": COUNCIL_STAFF,
        "create": PRACTITIONER,
        "detail": COUNCIL_STAFF,
        "edit": COUNCIL_STAFF,
        "history": COUNCIL_STAFF,
        "assessment_create": COUNCIL_STAFF,
        "plan_create": COUNCIL_STAFF,
        "plan_detail": COUNCIL_STAFF,
        "plan_edit": COUNCIL_STAFF,
        "plan_budget": COUNCIL_STAFF,
    },
)
