"""CPR numbers (personnummer): validation, birth date, sex, masking and fictitious demo numbers.

Pure functions, no Django. The rules are in shared/medcom/STANDARDS.md §6:

- a CPR is ten digits ``DDMMYY-SSSS``, written with or without the hyphen;
- the century follows from digit 7 together with YY (table in §6.1), so valid birth years are 1858–2057;
- the last digit is odd for men and even for women;
- since 2007 the CPR office issues numbers that fail the modulus-11 check, and systems must accept them:
  this module **never** rejects a number on modulus 11.
"""

from __future__ import annotations

import random
import re
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum.dk import cpr as stdnum_cpr

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# re.ASCII: "\d" would otherwise also accept other scripts' digits, which are no CPR.
_TEN_DIGITS = re.compile(r"[0-9]{10}", re.ASCII)

LENGTH_MESSAGE = "CPR-nummeret skal have 10 cifre."
DATE_MESSAGE = "CPR-nummeret indeholder ikke en gyldig fødselsdato."
FUTURE_MESSAGE = "CPR-nummerets fødselsdato ligger i fremtiden."


class CprError(ValueError):
    """A value that is not a CPR number; the message is Danish and meant for the person who typed it."""


def normalise_cpr(value: str) -> str:
    """Strip the hyphen and all whitespace: ``"250947-9989"`` and ``" 250947 9989"`` become ``"2509479989"``.

    Nothing else is checked; use :func:`validate_cpr` for that.
    """
    return "".join(value.replace("-", "").split())


def _digits(value: str) -> str:
    """The normalised CPR, or CprError when it is not exactly ten digits."""
    if not isinstance(value, str):
        raise CprError(LENGTH_MESSAGE)
    cpr = normalise_cpr(value)
    if not _TEN_DIGITS.fullmatch(cpr):
        raise CprError(LENGTH_MESSAGE)
    return cpr


def _century(digit7: int, yy: int) -> int:
    """The century (1800, 1900 or 2000) from digit 7 and the two-digit year, per the table in §6.1."""
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    # digits 5–8
    if yy <= 57:
        return 2000
    return 1800


def birth_date(cpr: str) -> date:
    """The birth date encoded in the CPR (century from digit 7); CprError when it is no valid date."""
    digits = _digits(cpr)
    try:
        return stdnum_cpr.get_birth_date(digits)  # python-stdnum: the same century table (§6.1)
    except stdnum_errors.ValidationError:
        raise CprError(DATE_MESSAGE) from None


def validate_cpr(value: str, today: date | None = None) -> str:
    """Return the normalised 10-digit CPR, or raise CprError with a Danish message.

    Accepts the hyphen and spaces. Requires a real calendar date (29 February only in leap years).
    Deliberately does not check modulus 11 (see the module docstring). Given ``today`` (a person typing a
    number), a birth date after it is refused too, as python-stdnum's ``stdnum.dk.cpr.validate`` does.
    """
    digits = _digits(value)
    if birth_date(digits) > (today or date.max):
        raise CprError(FUTURE_MESSAGE)
    return digits


def passes_modulus_11(cpr: str) -> bool:
    """Whether the CPR passes the old modulus-11 check. For information only: never reject on it."""
    digits = _digits(cpr)
    return sum(weight * int(digit) for weight, digit in zip(_WEIGHTS, digits, strict=True)) % 11 == 0


def is_male(cpr: str) -> bool:
    """Legal sex from the last digit: odd for men, even for women."""
    return int(_digits(cpr)[9]) % 2 == 1


def format_cpr(cpr: str) -> str:
    """``DDMMYY-SSSS``, the usual written form."""
    digits = _digits(cpr)
    return f"{digits[:6]}-{digits[6:]}"


def mask_cpr(cpr: str) -> str:
    """``DDMMYY-••••``: the form shown in lists, which hides the serial number (and so the person)."""
    digits = _digits(cpr)
    return f"{digits[:6]}-••••"


def age_on(cpr: str, day: date) -> int:
    """Age in whole years on ``day``; someone born 29 February is a year older from 1 March in other years."""
    born = birth_date(cpr)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _century_digits(year: int) -> tuple[int, ...]:
    """The values of digit 7 that give this birth year's century (§6.1)."""
    yy = year % 100
    candidates = tuple(d for d in range(10) if _century(d, yy) + yy == year)
    if not candidates:
        raise ValueError(f"no CPR number can encode the birth year {year} (valid: 1858–2057)")
    return candidates


def fictitious_cpr(birth: date, female: bool, rng: random.Random) -> str:
    """A CPR number for demo and test data that is very unlikely to belong to a real person.

    The number has a valid birth date (``birth``), the right century digit for its year and the right
    parity for the sex, but it FAILS the modulus-11 check. Before 2007 every issued CPR passed modulus 11,
    and since then the CPR office has issued non-modulus-11 numbers mostly for people born on 1 January
    (where numbers ran out). A non-modulus-11 number with another birth date is therefore very unlikely to be
    a real person's, which is why ``birth`` may not be 1 January (ValueError).
    """
    if (birth.month, birth.day) == (1, 1):
        raise ValueError("fictitious CPR numbers are not made for 1 January, where real ones fail modulus 11")
    century_digits = _century_digits(birth.year)
    prefix = birth.strftime("%d%m") + f"{birth.year % 100:02d}"
    parities = (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9)
    while True:  # about 10 in 11 draws fail modulus 11, so this ends at once in practice
        serial = f"{rng.choice(century_digits)}{rng.randrange(100):02d}{rng.choice(parities)}"
        cpr = prefix + serial
        if not passes_modulus_11(cpr):
            return cpr
