"""The reviews' section of a person's page and of a care package's page (people.sections): packages is on the same
floor and may not import reviews, so the package page shows what reviews registers."""

from .selectors import reviews_of_package, reviews_of_person

TEMPLATE = "reviews/_reviews_section.html"


def person_reviews(user, person) -> dict:
    return {"reviews": list(reviews_of_person(person)), "of_package": False}


def package_reviews(user, package) -> dict:
    return {"reviews": list(reviews_of_package(package)), "of_package": True}
