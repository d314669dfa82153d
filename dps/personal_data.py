"""What must never appear on a DPS requirement: any personal detail of the person but their postcode district."""

import re


def _forms_of_date(d) -> list[str]:
    return [d.strftime("%d/%m/%Y"), d.strftime("%d-%m-%Y"), d.isoformat(), f"{d.day} {d:%B %Y}", f"{d.day} {d:%b %Y}"]


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


def find_personal_details(text: str, person) -> list[str]:
    """The kinds of the person's details found in the text (whole words, any case)."""
    found = []
    for kind, values in personal_details(person).items():
        for value in values:
            if re.search(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, flags=re.IGNORECASE):
                found.append(kind)
                break
    return found
