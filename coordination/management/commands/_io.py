"""Input for the timeline commands (CONTRACTS.md: human text on stderr, exit 2 on unusable input)."""

import sys

from django.core.management.base import CommandError


def read_input(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as error:
        raise CommandError(f"kan ikke læse {path}: {error.strerror}", returncode=2) from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} er ikke UTF-8-tekst", returncode=2) from error
