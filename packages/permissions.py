"""Who may reach care packages (core.permissions). Which package: packages.access; which team: the package's."""

from core.permissions import BROKERAGE_STAFF, COUNCIL_STAFF, register

register("packages", {"detail": COUNCIL_STAFF, "change_terms": BROKERAGE_STAFF})
