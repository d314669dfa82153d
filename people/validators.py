import re

from django.core.exceptions import ValidationError

# The postcode formats Royal Mail issues, including GIR 0AA.
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like E1 6AN", code="invalid_postcode")


def postcode_district(postcode: str) -> str:
    """The outward code (E1 in E1 6AN): the only part of an address a DPS requirement may show."""
    return normalise_postcode(postcode).split(" ")[0]


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_nhs_number(value: str) -> None:
    """Ten digits whose last is the modulus 11 check digit of the first nine."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("Enter an NHS number of 10 digits, like 485 777 3456", code="invalid_nhs_number")
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    if check == 10 or check != int(digits[9]):
        raise ValidationError("Enter a valid NHS number: this one fails its check digit", code="invalid_nhs_number")


def validate_date_of_birth(value) -> None:
    from datetime import date

    if value > date.today():
        raise ValidationError("Date of birth must be in the past", code="future_date_of_birth")
    if value.year < date.today().year - 130:
        raise ValidationError("Date of birth must be within the last 130 years", code="implausible_date_of_birth")
