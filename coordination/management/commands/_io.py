"""Input for the timeline commands (CONTRACTS.md: human text on stderr, exit 2 on unusable input)."""

import json
import sys

from django.core.management.base import CommandError


def read_input(path: str) -> str:
    if path == "-":
        try:
            return (
                sys.stdin.buffer.read().decode("utf-8") if hasattr(sys.stdin, "buffer") else sys.stdin.read()
            )
        except UnicodeDecodeError as error:
            raise CommandError("standard input er ikke UTF-8-tekst", returncode=2) from error
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise CommandError(f"kan ikke læse {path}: {error.strerror}", returncode=2) from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} er ikke UTF-8-tekst", returncode=2) from error


class JsonError(ValueError):
    """Text that is not JSON, or JSON no reader should follow; one Danish line."""


def decode_json(text: str, *, lines: bool = False):
    """The JSON value of `text`; JsonError for anything json.loads cannot or should not take: a syntax error,
    nesting deeper than Python's recursion limit (50,000 `[`), a number of more than 4,300 digits."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        place = f"linje {error.lineno}, kolonne {error.colno}" if lines else f"tegn {error.pos + 1}"
        raise JsonError(f"ikke gyldig JSON: {error.msg} ({place})") from None
    except RecursionError:
        raise JsonError("ikke gyldig JSON: for dybt indlejret") from None
    except ValueError as error:
        if "digits" in str(error):
            raise JsonError("ikke gyldig JSON: et tal med flere end 4300 cifre") from None
        raise JsonError(f"ikke gyldig JSON: {str(error).splitlines()[0][:100]}") from None
