"""`python manage.py import_medcom [--ack-dir DIR] FILE...` (CONTRACTS.md): read MedCom FHIR messages (JSON or
XML), record what they say on the board and print one JSON line per file on standard output:
`{"file", "status": imported|duplicate|rejected, "message_id", "event", "error"}` (plus `outcome`: recorded,
filtered or held, and the `reason` of a filtered or held one). With `--ack-dir`, one FHIR Acknowledgement
bundle per file is written there. Exit 1 when any file was rejected, 2 on unusable input (a file that cannot
be read, an ack folder that does not exist)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coordination.services import receive_message
from coordination.services.medcom import DUPLICATE, IMPORTED, MAX_BODY_BYTES, REJECTED, reason_text


class Command(BaseCommand):
    help = (
        "Indlæser MedCom FHIR-beskeder (JSON eller XML) og skriver en kvittering (Acknowledgement) for hver."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--ack-dir", help="mappe, hvor kvitteringerne skrives (én FHIR-bundle pr. fil)")

    def handle(self, *args, **options):
        ack_dir = Path(options["ack_dir"]) if options.get("ack_dir") else None
        if ack_dir is not None and not ack_dir.is_dir():
            raise CommandError(f"Kvitteringsmappen {ack_dir} findes ikke.", returncode=2)
        paths = [Path(f) for f in options["files"]]
        for path in paths:
            if not path.is_file():
                raise CommandError(f"{path}: filen findes ikke.", returncode=2)
        counts = {IMPORTED: 0, DUPLICATE: 0, REJECTED: 0, "filtered": 0, "held": 0}
        for index, path in enumerate(paths):
            try:
                body = (
                    path.read_bytes()
                    if path.stat().st_size <= MAX_BODY_BYTES
                    else b"x" * (MAX_BODY_BYTES + 1)
                )
            except OSError as error:
                raise CommandError(f"{path}: kan ikke læses ({error.strerror}).", returncode=2) from None
            result = receive_message(body)
            counts[result.status] += 1
            if result.outcome in ("filtered", "held"):
                counts[result.outcome] += 1
            self.stdout.write(json.dumps(result.as_json(str(path)), ensure_ascii=False))
            if result.status == REJECTED:
                self.stderr.write(f"{path}: afvist: {result.error}")
            elif result.reason:
                self.stderr.write(f"{path}: {result.outcome}: {reason_text(result.reason)}")
            if ack_dir is not None and result.acknowledgement is not None:
                target = ack_dir / f"{index + 1:04d}-{path.stem}.ack.json"
                target.write_text(json.dumps(result.acknowledgement, ensure_ascii=False, indent=1))
        self.stderr.write(
            f"importeret {counts[IMPORTED]}, dubletter {counts[DUPLICATE]}, afvist {counts[REJECTED]}; "
            f"frasorteret (ikke kommunens borger) {counts['filtered']}, "
            f"venter på administrator {counts['held']}"
        )
        if counts[REJECTED]:
            raise SystemExit(1)
