import pytest
from django.core.exceptions import ValidationError

from people.tests.factories import nhs_check_digit, nhs_number
from people.validators import (
    normalise_nhs_number,
    normalise_postcode,
    postcode_district,
    validate_nhs_number,
    validate_postcode,
)


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("e16an", "E1 6AN"),
        (" sw1a 1aa ", "SW1A 1AA"),
        ("EC1A1BB", "EC1A 1BB"),
        ("w2  1hb", "W2 1HB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcode_is_normalised_to_upper_case_with_one_space(raw, normal):
    assert normalise_postcode(raw) == normal


@pytest.mark.parametrize("postcode", ["E1 6AN", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA"])
def test_real_postcodes_are_accepted(postcode):
    validate_postcode(postcode)


@pytest.mark.parametrize("postcode", ["", "E1", "12345", "ABC DEF", "E1 6A", "E1 66N", "1E 6AN", "E1 6AN X"])
def test_malformed_postcodes_are_refused(postcode):
    with pytest.raises(ValidationError, match="Enter a real postcode"):
        validate_postcode(postcode)


@pytest.mark.parametrize(
    "postcode, district", [("E1 6AN", "E1"), ("e14 3ab", "E14"), ("SW1A1AA", "SW1A"), ("W2 1HB", "W2")]
)
def test_postcode_district_is_the_outward_code(postcode, district):
    assert postcode_district(postcode) == district


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919"])
def test_valid_nhs_number_passes_the_check_digit(number):
    validate_nhs_number(number)
    assert normalise_nhs_number(number) == "9434765919"


def test_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError, match="fails its check digit"):
        validate_nhs_number("9434765918")


def test_number_whose_check_digit_would_be_ten_is_refused():
    prefix = next(str(p) for p in range(400_000_000, 400_000_020) if nhs_check_digit(str(p)) == 10)
    for last in "0123456789":
        with pytest.raises(ValidationError):
            validate_nhs_number(prefix + last)


@pytest.mark.parametrize("number", ["943476591", "94347659190", "94347659A9", ""])
def test_nhs_number_must_be_ten_digits(number):
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number(number)


def test_test_factory_makes_distinct_valid_nhs_numbers():
    numbers = [nhs_number(n) for n in range(200)]
    assert len(set(numbers)) == 200
    for number in numbers:
        validate_nhs_number(number)
