"""E-mail: the pending inbox items and weekly overviews, each sent once."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from coordination.models import Admission, EmailState, Notification, StaffMember, WeeklyOverview
from coordination.reminders.overview import waiting_faerdigbehandlede

log = logging.getLogger(__name__)
MAIL_BATCH = 100
MAIL_MAX_ATTEMPTS = 8


class MailError(Exception):
    """Some e-mails could not be sent now; the task retries with backoff."""


def deliver_emails(batch: int = MAIL_BATCH) -> int:
    """Send the pending e-mails, each claimed with SKIP LOCKED and marked sent in the same transaction.
    A mail error counts an attempt and raises MailError (the task retries with backoff); after
    MAIL_MAX_ATTEMPTS the row is marked failed (the inbox item stays)."""
    sent, failed = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(email_state=EmailState.PENDING)
                .select_related("user")
                .order_by("pk")[:batch]
            )
            for row in rows:
                try:
                    send_mail(
                        subject=f"Sektorovergang: {row.text[:120]}",
                        message=f"{row.text}\n\nSe din indbakke i Sektorovergang.",
                        from_email=None,
                        recipient_list=[row.user.email],
                    )
                except Exception:
                    log.warning("e-mail to user %s failed", row.user_id, exc_info=True)
                    row.email_attempts += 1
                    if row.email_attempts >= MAIL_MAX_ATTEMPTS:
                        row.email_state = EmailState.FAILED
                    row.save(update_fields=["email_attempts", "email_state"])
                    failed += 1
                    continue
                row.email_state, row.emailed_at = EmailState.SENT, timezone.now()
                row.save(update_fields=["email_state", "emailed_at"])
                sent += 1
        if failed or len(rows) < batch:
            break
    overview_sent, overview_failed = deliver_overviews()
    sent += overview_sent
    failed += overview_failed
    if failed:
        raise MailError(f"{failed} e-mails could not be sent")
    return sent


def deliver_overviews() -> tuple[int, int]:
    sent, failed = 0, 0
    with transaction.atomic():
        for overview in (
            WeeklyOverview.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_state=EmailState.PENDING)
            .select_related("municipality")
        ):
            emails = list(
                StaffMember.objects.filter(municipality=overview.municipality, user__is_active=True)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            waiting = waiting_faerdigbehandlede(Admission.objects.filter(municipality=overview.municipality))
            if emails:
                body = render_to_string(
                    "coordination/email/weekly_overview.txt",
                    {"overview": overview, "rows": waiting, "municipality": overview.municipality},
                )
                try:
                    send_mail(
                        subject=f"Ugentlig oversigt: færdigbehandlede borgere, {overview.municipality}",
                        message=body,
                        from_email=None,
                        recipient_list=emails,
                    )
                except Exception:
                    log.warning("weekly overview to %s failed", overview.municipality, exc_info=True)
                    overview.email_attempts += 1
                    if overview.email_attempts >= MAIL_MAX_ATTEMPTS:
                        overview.email_state = EmailState.FAILED
                    overview.save(update_fields=["email_attempts", "email_state"])
                    failed += 1
                    continue
            overview.email_state = EmailState.SENT if emails else EmailState.NONE
            overview.save(update_fields=["email_state"])
            sent += len(emails)
    return sent, failed
