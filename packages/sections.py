"""The packages' section of a person's page (people.sections): each care package with the terms in force."""

from .selectors import PAST_PACKAGES_SHOWN, packages_for_person

TEMPLATE = "packages/_person_packages.html"


def care_packages(user, person) -> dict:
    """The person's live packages and, folded away, their ended ones, each with the version in force today (or the
    next to start, or the last). The user may see the person, so may open each package's page."""
    packages = packages_for_person(person)
    return {
        "live": packages.live,
        "ended": packages.ended,
        "more_ended": packages.more_ended,
        "ended_shown": PAST_PACKAGES_SHOWN,
    }
