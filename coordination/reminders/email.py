"""E-mail: the pending inbox items and weekly overviews, each sent once."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coordination.models import (
    AccessAction,
    AccessLog,
    Admission,
    EmailState,
    Notification,
    NotificationKind,
    StaffMember,
    WeeklyOverview,
)
from coordination.reminders.overview import waiting_faerdigbehandlede
from coordination.vocabulary import WaitingReason, labels

log = logging.getLogger(__name__)
MAIL_BATCH = 100
MAIL_MAX_ATTEMPTS = 8


class MailError(Exception):
    """Some e-mails could not be sent now; the task retries with backoff."""


def admission_link(admission_id: int | None) -> str:
    """The admission's address in Sektorovergang (SITE_URL + path): an e-mail names no citizen, only this."""
    path = reverse("admission", args=[admission_id]) if admission_id else reverse("inbox")
    return f"{settings.SITE_URL.rstrip('/')}{path}"


SUBJECTS = {
    NotificationKind.REMINDER: _("en påmindelse venter i din indbakke"),
    NotificationKind.MESSAGE: _("en ny besked venter i din indbakke"),
}


NO_CITIZEN_DATA = _(
    "E-mailen indeholder ingen oplysninger om borgeren. Du kan slå e-mails fra i din indbakke."
)


def language_of(user) -> str:
    """The language the person's e-mails are written in (StaffMember.language; Danish by default)."""
    staff = getattr(user, "staff", None)
    return getattr(staff, "language", None) or settings.LANGUAGE_CODE


def email_of(row: Notification) -> tuple[str, str]:
    """Subject and body of an inbox item's e-mail, in the recipient's language. No name, no CPR, no content
    of the course: e-mail leaves the system (and the console backend prints it into the worker's log); the
    link leads to the page, where the reader logs in and the look-up is logged (issue 11)."""
    with translation.override(language_of(row.user)):
        what = str(SUBJECTS.get(row.kind, _("nyt i din indbakke")))
        subject = f"Sektorovergang: {what}"
        body = "\n\n".join(
            [
                f"{what[:1].upper()}{what[1:]}.",
                gettext("Se den i Sektorovergang: %(link)s") % {"link": admission_link(row.admission_id)},
                str(NO_CITIZEN_DATA),
            ]
        )
    return subject, body


def still_takes_part(row: Notification) -> bool:
    """At send time: the recipient is active and still takes part in the citizen's course (the admission may
    have moved ward or municipality, or a grant been revoked, since the e-mail was queued)."""
    if not row.user.is_active:
        return False
    if row.admission_id is None:
        return True
    return Admission.objects.visible_to(row.user).filter(pk=row.admission_id).exists()


def log_sending(row: Notification, now) -> None:
    AccessLog.objects.create(
        at=now,
        user=row.user,
        citizen_id=row.admission.citizen_id if row.admission_id else None,
        admission_id=row.admission_id,
        action=AccessAction.EMAIL,
        path=admission_link(row.admission_id)[-300:],
        view="e-mail",
        note=f"e-mail sendt: {row.kind} {row.pk}",
    )


def deliver_emails(batch: int = MAIL_BATCH) -> int:
    """Send the pending e-mails, each claimed with SKIP LOCKED and marked sent in the same transaction.
    Before each: the recipient must still take part in the course, or the e-mail is skipped (marked so, the
    inbox item stays). Each sending is written to the access log. A mail error counts an attempt and raises
    MailError (the task retries with backoff; beat also runs this task every few minutes, so nothing waits
    for an unrelated new e-mail); after MAIL_MAX_ATTEMPTS the row is marked failed."""
    sent, failed = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(email_state=EmailState.PENDING)
                .select_related("user__staff", "admission")
                .order_by("pk")[:batch]
            )
            for row in rows:
                if not still_takes_part(row):
                    row.email_state = EmailState.SKIPPED
                    row.save(update_fields=["email_state"])
                    continue
                subject, body = email_of(row)
                try:
                    send_mail(subject=subject, message=body, from_email=None, recipient_list=[row.user.email])
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
                log_sending(row, row.emailed_at)
                sent += 1
        if failed or len(rows) < batch:
            break
    overview_sent, overview_failed = deliver_overviews()
    sent += overview_sent
    failed += overview_failed
    if failed:
        raise MailError(f"{failed} e-mails could not be sent")
    return sent


def overview_email(overview: WeeklyOverview, waiting: list[dict], language: str) -> tuple[str, str]:
    """The weekly overview's subject and body in `language`: counts and links, no names or CPR numbers
    (issue 11): the list itself is on the page."""
    with translation.override(language):
        rows = [
            (
                {**row, "reasons": labels(WaitingReason, row["waiting_for"])},
                admission_link(row["admission"].pk),
            )
            for row in waiting
        ]
        body = render_to_string(
            "coordination/email/weekly_overview.txt",
            {
                "overview": overview,
                "rows": rows,
                "municipality": overview.municipality,
                "waiting_url": f"{settings.SITE_URL.rstrip('/')}{reverse('waiting')}",
            },
        )
        subject = gettext("Ugentlig oversigt: færdigbehandlede borgere, %(municipality)s") % {
            "municipality": overview.municipality
        }
    return subject, body


def deliver_overviews() -> tuple[int, int]:
    sent, failed = 0, 0
    with transaction.atomic():
        for overview in (
            WeeklyOverview.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_state=EmailState.PENDING)
            .select_related("municipality")
        ):
            people = list(
                StaffMember.objects.filter(municipality=overview.municipality, user__is_active=True)
                .exclude(user__email="")
                .values_list("user_id", "user__email", "language")
            )
            emails = [email for _user_id, email, _language in people]
            waiting = waiting_faerdigbehandlede(Admission.objects.filter(municipality=overview.municipality))
            if emails:
                try:
                    # One e-mail per language, to the people who read it.
                    for language in sorted({language for *_rest, language in people}):
                        subject, body = overview_email(overview, waiting, language)
                        send_mail(
                            subject=subject,
                            message=body,
                            from_email=None,
                            recipient_list=[e for _u, e, lang in people if lang == language],
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
            now = timezone.now()
            AccessLog.objects.bulk_create(
                AccessLog(
                    at=now,
                    user_id=user_id,
                    action=AccessAction.EMAIL,
                    path=reverse("waiting"),
                    view="e-mail",
                    note=f"e-mail sendt: ugentlig oversigt {overview.pk}, {len(waiting)} borgere",
                )
                for user_id, _email, _language in people
            )
            sent += len(emails)
    return sent, failed
