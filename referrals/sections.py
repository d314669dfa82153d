"""Referrals' section of a person's page (people.sections): every referral made for them."""

from .selectors import referrals_for_person

TEMPLATE = "referrals/_person_referrals.html"


def referrals_to_brokerage(user, person) -> dict:
    """The person's referrals, newest first: one query, read when the page lists them."""
    return {"referrals": referrals_for_person(person)}
