"""Finding MedCom's parts in a parsed bundle: the resources by reference, the organisations with SOR and
EAN/GLN, the patient's CPR (or a replacement CPR), and the Provenance history."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from coordination.medcom.messages import (
    CPR_SYSTEM,
    ECPR,
    ECPR_SYSTEM_PREFIX,
    GLN_SYSTEMS,
    SOR_SYSTEM,
    History,
    MedcomError,
    Organisation,
    Patient,
)


def first_error(error: ValidationError, obj: Any) -> str:
    """Every element the FHIR model misses, named as `Resource.element` (MessageHeader.eventCoding …)."""
    parts = []
    for item in error.errors()[:5]:
        loc = [str(p) for p in item.get("loc", ())]
        where = ".".join(loc)
        if len(loc) >= 3 and loc[0] == "entry" and loc[2] == "resource":
            kind = resource_type(obj, loc[1])
            where = ".".join([kind, *loc[3:]])
        message = str(item.get("msg", ""))
        choice = re.search(r"from this list \[([^\]]*)\]", message)
        if choice:
            first = choice.group(1).split(",")[0].strip(" '")
            parts.append(f"{where}.{first} mangler")
        elif item.get("type") == "missing":
            parts.append(f"{where} mangler")
        else:
            parts.append(f"{where}: {message}")
    return short("; ".join(parts))


def resource_type(obj: Any, index: str) -> str:
    try:
        return str(obj["entry"][int(index)]["resource"]["resourceType"])
    except (KeyError, IndexError, TypeError, ValueError):
        return f"entry {index}"


def short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:197] + "..."


# --- MedCom's rules on the parsed bundle ----------------------------------------------------------------


class Resources:
    """The bundle's resources by type and by `Type/id` reference."""

    def __init__(self, bundle):
        self.by_type: dict[str, list] = {}
        self.by_ref: dict[str, Any] = {}
        for entry in bundle.entry or []:
            resource = entry.resource
            if resource is None:
                continue
            kind = resource.get_resource_type()
            self.by_type.setdefault(kind, []).append(resource)
            if resource.id:
                self.by_ref[f"{kind}/{resource.id}"] = resource
            if entry.fullUrl:
                self.by_ref[str(entry.fullUrl)] = resource

    def all(self, kind: str) -> list:
        return self.by_type.get(kind, [])

    def resolve(self, reference, what: str):
        ref = getattr(reference, "reference", None)
        if not ref:
            raise MedcomError(f"{what} mangler en reference.")
        resource = self.by_ref.get(ref) or self.by_ref.get(
            ref.rsplit("/", 2)[-2] + "/" + ref.rsplit("/", 1)[-1]
        )
        if resource is None:
            raise MedcomError(f"{what} peger på {ref}, som ikke er i beskeden.")
        return resource


def identifier_of(resource, systems: tuple[str, ...]) -> str:
    for identifier in getattr(resource, "identifier", None) or []:
        if identifier.system in systems and identifier.value:
            return str(identifier.value)
    return ""


def read_organisation(resources: Resources, reference, what: str) -> Organisation:
    if reference is None:
        raise MedcomError(f"{what} mangler.")
    org = resources.resolve(reference, what)
    if org.get_resource_type() != "Organization":
        raise MedcomError(f"{what} skal være en Organization.")
    sor = identifier_of(org, (SOR_SYSTEM,))
    ean = identifier_of(org, GLN_SYSTEMS)
    name = org.name or ""
    if not sor:
        raise MedcomError(f"{what} ({name or org.id}) mangler SOR-kode ({SOR_SYSTEM}).")
    if not ean:
        raise MedcomError(f"{what} ({name or org.id}) mangler EAN/lokationsnummer (GLN).")
    return Organisation(sor=sor, ean=ean, name=name)


def message_id_of(reference: str | None) -> str:
    # "MessageHeader/<id>" (possibly an absolute URL): the id after the last slash.
    return (reference or "").rstrip("/").rsplit("/", 1)[-1]


def read_history(provenance) -> History:
    codes = [c.code for c in (provenance.activity.coding or [])] if provenance.activity else []
    if not codes:
        raise MedcomError(f"Provenance {provenance.id}: activity mangler.")
    targets = [t.reference for t in provenance.target or [] if t.reference]
    if not targets:
        raise MedcomError(f"Provenance {provenance.id}: target mangler.")
    previous = []
    for entity in provenance.entity or []:
        what = entity.what
        if entity.role in ("revision", "removal") and what is not None and what.reference:
            previous.append((entity.role, message_id_of(what.reference)))
    return History(
        activity=str(codes[0]),
        recorded=provenance.recorded,
        message_id=message_id_of(targets[0]),
        previous=tuple(previous),
    )


def read_patient(resources: Resources, *, replacement_allowed: bool) -> Patient:
    patients = resources.all("Patient")
    if len(patients) != 1:
        raise MedcomError(f"Beskeden skal have præcis én Patient, ikke {len(patients)}.")
    patient = patients[0]
    cpr = identifier_of(patient, (CPR_SYSTEM,)) or None
    replacement = None
    for identifier in patient.identifier or []:
        if (identifier.system or "").startswith(ECPR_SYSTEM_PREFIX) and identifier.value:
            replacement = str(identifier.value)
    if cpr is not None:
        from coordination.cpr import CprError, validate_cpr

        try:
            cpr = validate_cpr(cpr)
        except CprError as error:
            raise MedcomError(f"Patientens CPR-nummer er ugyldigt: {error}") from None
    if replacement is not None and not ECPR.match(replacement):
        raise MedcomError(
            f"Patientens erstatnings-CPR {replacement!r} har ikke formen DDMMÅÅ, ciffer, 2 bogstaver, ciffer."
        )
    if cpr is None and (replacement is None or not replacement_allowed):
        if replacement is not None:
            raise MedcomError(
                "Et advis om sygehusophold skal have patientens CPR-nummer; erstatnings-CPR er ikke tilladt."
            )
        raise MedcomError(f"Patientens CPR-nummer mangler ({CPR_SYSTEM}).")
    names = []
    for name in patient.name or []:
        names.append(" ".join([*(name.given or []), name.family or ""]).strip())
    return Patient(
        cpr=cpr,
        replacement_cpr=replacement,
        name=next((n for n in names if n), ""),
        deceased=bool(getattr(patient, "deceasedBoolean", False)),
    )
