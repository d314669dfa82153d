"""Who may reach shared lives' pages (core.permissions). Which arrangement: shared_lives.access; which step now, and
by whom (the scheme, the social worker, the panel, the officer): the arrangement's state machine."""

from core.permissions import PRACTITIONER, PROVIDER, Rule, is_council_staff, register

# The scheme is a provider, but the referral is sent to it directly (the procedure): its staff open the
# arrangement's page, as the person's social worker, the panel and the officer do.
COUNCIL_STAFF_OR_SCHEME = Rule(
    "council staff, and the shared lives scheme's staff",
    lambda user: is_council_staff(user) or PROVIDER(user),
    "You do not have permission to see this page.",
)

register(
    "shared_lives",
    {
        "refer": PRACTITIONER,  # the person's social worker refers them to the scheme
        "detail": COUNCIL_STAFF_OR_SCHEME,
        "step": COUNCIL_STAFF_OR_SCHEME,
        "scheme_list": PROVIDER,  # the scheme's own arrangements
    },
)
