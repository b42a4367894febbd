"""The message gateway's way in (issue 12): tokens per sending organisation, and one posted message.

A token is issued by an administrator (`issue_token`), shown once, stored as its SHA-256 only, and revoked
(`revoke_token`) without being deleted. `receive` checks the request before anything is read into the
database: a missing or revoked token is 401, a message from another organisation than the token's 403, a
body of another type than FHIR JSON/XML 415, one over the limit 413; a message is then received by
`receive_message` (all or nothing) and answered with its Acknowledgement: 200 when it is taken (or a
duplicate), 400 with the fatal-error Acknowledgement when it is refused."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from coordination.medcom import MedcomError, read_message
from coordination.models import GatewayToken
from coordination.services.medcom import MAX_BODY_BYTES, REJECTED, receive_message

CONTENT_TYPES = ("application/fhir+json", "application/fhir+xml", "application/json", "application/xml")
TOKEN_BYTES = 32


def max_body_bytes() -> int:
    return int(getattr(settings, "MEDCOM_GATEWAY_MAX_BYTES", MAX_BODY_BYTES))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(*, organisation: str, sor_code: str, by=None) -> tuple[GatewayToken, str]:
    """A new token for the organisation: the row (hash only) and the token itself, to be shown once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = GatewayToken.objects.create(
        organisation=organisation,
        sor_code=sor_code,
        prefix=token[:8],
        token_hash=_hash(token),
        created_by=by,
    )
    return row, token


def revoke_token(row: GatewayToken) -> None:
    if row.revoked_at is None:
        GatewayToken.objects.filter(pk=row.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def authenticate(authorization: str) -> GatewayToken | None:
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return GatewayToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True).first()


@dataclass
class Answer:
    status: int
    error: str = ""
    acknowledgement: dict[str, Any] | None = None


def receive(*, authorization: str, content_type: str, length: str, read) -> Answer:
    """One posted message; `read(n)` reads at most n bytes of the body."""
    token = authenticate(authorization)
    if token is None:
        return Answer(401, "Ugyldig eller tilbagekaldt nøgle (Authorization: Bearer …).")
    if content_type.lower() not in CONTENT_TYPES:
        return Answer(
            415, f"Forkert indholdstype '{content_type[:60]}'; send application/fhir+json eller +xml."
        )
    limit = max_body_bytes()
    if length and (not length.isdigit() or int(length) > limit):
        return Answer(413, f"Beskeden er større end {limit} bytes.")
    body = read(limit + 1)
    if len(body) > limit:
        return Answer(413, f"Beskeden er større end {limit} bytes.")
    if not body.strip():
        return Answer(400, "Beskeden er tom.")
    try:
        sender = read_message(body).sender.sor
    except MedcomError:
        sender = None  # refused below, with its Acknowledgement
    if sender is not None and sender != token.sor_code:
        return Answer(403, f"Nøglen gælder for SOR {token.sor_code}, ikke for afsenderen SOR {sender}.")
    result = receive_message(body, via=f"{token.organisation} ({token.sor_code})")
    if result.acknowledgement is None:  # an Acknowledgement of ours: read, not acknowledged itself
        return Answer(200, "Kvitteringen er modtaget.")
    status = 400 if result.status == REJECTED else 200
    return Answer(status, result.error, result.acknowledgement)
