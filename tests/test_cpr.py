"""CPR validation per shared/medcom/STANDARDS.md §6."""

import random
from datetime import date

import pytest

from coordination.cpr import (
    CprError,
    age_on,
    birth_date,
    fictitious_cpr,
    format_cpr,
    is_male,
    mask_cpr,
    normalise_cpr,
    passes_modulus_11,
    validate_cpr,
)

# MedCom's own test CPRs (§6.2): valid, yet all of them fail modulus 11.
MEDCOM_TEST_CPRS = {
    "2509479989": date(1947, 9, 25),
    "2512489996": date(1948, 12, 25),
    "2103009996": date(2000, 3, 21),
    "2311143995": date(1914, 11, 23),  # digit 7 = 3, so 19YY
}


@pytest.mark.parametrize(("cpr", "born"), MEDCOM_TEST_CPRS.items())
def test_medcom_test_cprs_are_accepted_although_they_fail_modulus_11(cpr: str, born: date) -> None:
    assert not passes_modulus_11(cpr)
    assert validate_cpr(cpr) == cpr
    assert birth_date(cpr) == born


def test_a_number_that_passes_modulus_11() -> None:
    # 070761-4285: 4*0+3*7+2*0+7*7+6*6+5*1+4*4+3*2+2*8+1*5 = 154 = 14 * 11.
    assert passes_modulus_11("0707614285")
    assert validate_cpr("0707614285") == "0707614285"


@pytest.mark.parametrize(
    "value", ["250947-9989", "250947 9989", " 2509479989 ", "25 09 47-99 89", "250947\t9989"]
)
def test_hyphen_and_space_forms_are_normalised(value: str) -> None:
    assert validate_cpr(value) == "2509479989"


def test_normalise_only_strips() -> None:
    assert normalise_cpr("12-34 5") == "12345"


@pytest.mark.parametrize(
    "value",
    [
        "250947998",
        "25094799899",
        "",
        "250947-998",
        "25094799a9",
        "abcdefghij",
        "2509479989x",
        "２５０９４７９９８９",
    ],
)
def test_wrong_length_or_letters_are_rejected_in_danish(value: str) -> None:
    with pytest.raises(CprError, match="CPR-nummeret skal have 10 cifre"):
        validate_cpr(value)


def test_cpr_error_is_a_value_error() -> None:
    assert issubclass(CprError, ValueError)


@pytest.mark.parametrize(
    "value",
    [
        "3102471234",  # 31 February
        "3002471234",  # 30 February
        "2902011234",  # 29 February 1901, not a leap year
        "2902971234",  # 29 February 1997
        "2902001234",  # digit 7 = 1: 29 February 1900, not a leap year
        "0013471234",  # month 13
        "0001471234",  # day 0
        "3104471234",  # 31 April
        "3206471234",  # day 32
    ],
)
def test_impossible_dates_are_rejected(value: str) -> None:
    with pytest.raises(CprError, match="gyldig fødselsdato"):
        validate_cpr(value)


@pytest.mark.parametrize(
    ("value", "born"), [("2902004000", date(2000, 2, 29)), ("2902961234", date(1996, 2, 29))]
)
def test_leap_days_are_accepted(value: str, born: date) -> None:
    assert validate_cpr(value) == value
    assert birth_date(value) == born


# Every cell of the century table in §6.1: (digit 7, YY) -> year.
CENTURY_TABLE = [
    *[(d, yy, 1900 + yy) for d in (0, 1, 2, 3) for yy in (0, 36, 37, 57, 58, 99)],
    *[(d, yy, 2000 + yy) for d in (4, 9) for yy in (0, 36)],
    *[(d, yy, 1900 + yy) for d in (4, 9) for yy in (37, 57, 58, 99)],
    *[(d, yy, 2000 + yy) for d in (5, 6, 7, 8) for yy in (0, 36, 37, 57)],
    *[(d, yy, 1800 + yy) for d in (5, 6, 7, 8) for yy in (58, 99)],
]


@pytest.mark.parametrize(("digit7", "yy", "year"), CENTURY_TABLE)
def test_century_table(digit7: int, yy: int, year: int) -> None:
    cpr = f"1506{yy:02d}{digit7}123"
    assert birth_date(cpr) == date(year, 6, 15)


def test_the_standards_example_is_1947() -> None:
    assert birth_date("250947-9989").year == 1947


def test_sex_from_the_last_digit() -> None:
    assert is_male("2509479989")  # MedCom's test man
    assert is_male("250947-9981")
    assert not is_male("2509479988")
    assert not is_male("2103009996")


def test_masking_and_formatting() -> None:
    assert mask_cpr("2509479989") == "250947-••••"
    assert mask_cpr("250947-9989") == "250947-••••"
    assert format_cpr("2509479989") == "250947-9989"
    assert format_cpr(" 250947 9989") == "250947-9989"
    with pytest.raises(CprError):
        mask_cpr("123")


def test_age_on() -> None:
    cpr = "2509479989"
    assert age_on(cpr, date(2026, 9, 24)) == 78
    assert age_on(cpr, date(2026, 9, 25)) == 79
    leap = "2902961234"
    assert age_on(leap, date(2025, 2, 28)) == 28
    assert age_on(leap, date(2025, 3, 1)) == 29
    assert age_on(leap, date(2024, 2, 29)) == 28


@pytest.mark.parametrize(
    "year", [1858, 1899, 1900, 1936, 1937, 1945, 1957, 1958, 1999, 2000, 2036, 2037, 2057]
)
@pytest.mark.parametrize("female", [True, False])
def test_fictitious_cprs(year: int, female: bool) -> None:
    rng = random.Random(year)
    for _ in range(50):
        born = date(year, rng.randint(1, 12), rng.randint(2, 28))
        cpr = fictitious_cpr(born, female, rng)
        assert validate_cpr(cpr) == cpr
        assert birth_date(cpr) == born
        assert not passes_modulus_11(cpr)
        assert is_male(cpr) is not female
        assert (birth_date(cpr).month, birth_date(cpr).day) != (1, 1)


def test_fictitious_cpr_refuses_1_january_and_impossible_years() -> None:
    rng = random.Random(1)
    with pytest.raises(ValueError):
        fictitious_cpr(date(1950, 1, 1), True, rng)
    with pytest.raises(ValueError):
        fictitious_cpr(date(1857, 6, 1), True, rng)
    with pytest.raises(ValueError):
        fictitious_cpr(date(2058, 6, 1), True, rng)


def test_fictitious_cpr_is_deterministic() -> None:
    born = date(1941, 3, 14)
    assert fictitious_cpr(born, True, random.Random(7)) == fictitious_cpr(born, True, random.Random(7))


def test_a_cpr_whose_birth_date_lies_in_the_future_is_refused_in_danish():
    from datetime import date

    from coordination.cpr import CprError, validate_cpr

    today = date(2026, 12, 2)
    with pytest.raises(CprError, match="fødselsdato ligger i fremtiden"):
        validate_cpr("050550-5555", today=today)  # digit 7 = 5, YY 50: born 2050
    assert validate_cpr("050550-3555", today=today) == "0505503555"  # digit 7 = 3: born 1950
