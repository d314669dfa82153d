"""What must never appear on a DPS requirement: any personal detail of the person but their postcode district."""

import re


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _forms_of_date(d) -> list[str]:
    return [d.strftime("%d/%m/%Y"), f"{d.day}/{d.month}/{d.year}", d.strftime("%d-%m-%Y"),
            f"{d.day}-{d.month}-{d.year}", d.strftime("%d.%m.%Y"),
            f"{d.day}.{d.month}.{d.year}", d.isoformat(), f"{d.day} {d:%B %Y}", f"{d.day} {d:%b %Y}",
            f"{_ordinal(d.day)} {d:%B %Y}", f"{d:%B} {d.day}, {d.year}"]


def personal_details(person) -> dict[str, list[str]]:
    """Each kind of personal detail, with the strings that would give it away."""
    details = {
        "name": [person.first_name, person.last_name],
        "date of birth": _forms_of_date(person.date_of_birth),
        "NHS number": [person.nhs_number, f"{person.nhs_number[:3]} {person.nhs_number[3:6]} {person.nhs_number[6:]}"]
        if person.nhs_number else [],
        "address": [person.address_line_1, person.address_line_2],
        "phone number": [person.phone],
        "next of kin": [person.representative_name, person.representative_phone],
        "full postcode": [person.postcode],
    }
    return {kind: [v for v in values if v and len(v.strip()) >= 3] for kind, values in details.items()}


def _pattern(value: str) -> str:
    """The value as a whole word, with any spacing or hyphens (E16AN, 020-7946-0123, 02 03 1941)."""
    characters = [c for c in value if not c.isspace() and c != "-"]
    return r"(?<!\w)" + r"[\s-]*".join(map(re.escape, characters)) + r"(?!\w)"


def find_personal_details(text: str, person) -> list[str]:
    """The kinds of the person's details found in the text (whole words, any case, any spacing)."""
    found = []
    for kind, values in personal_details(person).items():
        for value in values:
            if re.search(_pattern(value), text, flags=re.IGNORECASE):
                found.append(kind)
                break
    return found
