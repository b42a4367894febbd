"""Who looked at what (the access log), reminders, notifications and what each person has read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.models.admissions import Admission
from coordination.models.derived import Obligation
from coordination.models.events import Event
from coordination.models.people import Citizen
from coordination.models.places import Municipality, Side


class AccessAction(models.TextChoices):
    VIEW = "view", _("Så")
    CHANGE = "change", _("Ændrede")
    PRINT = "print", _("Udskrev")
    EXPORT = "export", _("Eksporterede")
    REVEAL_CPR = "reveal_cpr", _("Viste fuldt CPR-nummer")
    GRANT = "grant", _("Gav adgang")
    REVOKE = "revoke", _("Fjernede adgang")
    EMAIL = "email", _("Fik e-mail om")
    FILE = "file", _("Skrevet i nødudskrift")


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Opslagsloggen kan ikke ændres.")

    def delete(self):
        raise TypeError("Opslagsloggen kan ikke slettes.")


def _named(to) -> models.ForeignKey:
    """A row the access log names: kept by PROTECT, without a database constraint or an index of its own
    (the (user, at) and (citizen, at) indexes lead with them; see AccessLog)."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class AccessLog(models.Model):
    """One row per citizen per request: who saw or changed which citizen's data, when and where. Append-only,
    like the timeline: the ORM refuses to change or delete a row, and so does a database trigger (0014)."""

    at = models.DateTimeField(_("tidspunkt"), db_index=True)
    # No user for what the system itself wrote out: the downtime boards' files (the note names the file).
    # No index of their own: the (user, at) and (citizen, at) indexes below lead with them, and each index
    # is one more write for every row of every look (issue 15).
    # No foreign-key constraints in the database (`db_constraint=False`, 0030): PostgreSQL checked three
    # referenced rows for every logged row, 60 % of writing a board's 150 rows (issue 15). The log names
    # rows this request has just read, and Django's PROTECT still refuses to delete a user, citizen or
    # admission the log names.
    user = _named(settings.AUTH_USER_MODEL)
    # No citizen for an export of figures (counts, no citizen-level data): the export itself is still logged.
    citizen = _named(Citizen)
    # No index either: nothing looks the log up by admission (the admin searches by citizen and user, and
    # lists by time), and it was the costliest of the indexes written for every row (issue 15: 0.7 of the
    # 1.7 ms of logging a board of 170 rows). Deleting an admission, which nothing does, scans the log.
    admission = _named(Admission)
    action = models.CharField(_("handling"), max_length=12, choices=AccessAction.choices)
    path = models.CharField(_("side"), max_length=300)
    view = models.CharField(_("visning"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("opslag")
        verbose_name_plural = _("opslagslog")
        indexes = [models.Index(fields=["citizen", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Opslagsloggen kan ikke ændres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Opslagsloggen kan ikke slettes.")


# --- Reminders and the inbox (issue 7) ------------------------------------------------------------------


class Reminder(models.Model):
    """One reminder point of one obligation: made once by the sweep (the unique constraint sees to it). A due
    that moves makes new points; the obligation's facts are kept here so the reminder outlives a changed or
    dropped obligation."""

    obligation = models.ForeignKey(
        Obligation, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="reminders")
    rule = models.CharField(_("regel"), max_length=30)
    owner = models.CharField(_("ansvarlig"), max_length=12, choices=Side.choices)
    label = models.CharField(_("opgave"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("frist"))
    minutes_before = models.PositiveIntegerField(_("minutter før frist"))
    remind_at = models.DateTimeField(_("påmindelse"))
    last_point = models.BooleanField(default=False, help_text=_("Profilens sidste påmindelse før fristen"))
    created_at = models.DateTimeField(_("oprettet"))

    class Meta:
        ordering = ["-remind_at"]
        verbose_name = _("påmindelse")
        verbose_name_plural = _("påmindelser")
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "due_at", "minutes_before"], name="reminder_once_per_point"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.remind_at:%d.%m.%Y %H:%M}"


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Påmindelse")
    MESSAGE = "message", _("Ny besked")
    OVERVIEW = "overview", _("Ugentlig oversigt")


class EmailState(models.TextChoices):
    NONE = "none", _("Ingen e-mail")
    PENDING = "pending", _("Venter")
    SENT = "sent", _("Sendt")
    FAILED = "failed", _("Fejlede")
    SKIPPED = "skipped", _("Ikke sendt: modtageren deltager ikke længere")


class Notification(models.Model):
    """One item of one person's inbox: a reminder (once per person and reminder point) or a new message (once
    per person and message: a new version of it brings the same item back, unread)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    admission = models.ForeignKey(
        Admission, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The message a "Ny besked" item is news of (issue 14: one item per message and recipient): its code,
    # every version of it included (a PFP, USR, MOF … sent again is the same message, newer), or
    # "KM-<sequence>" for a KM, each its own. `event` is its newest version. None for other kinds.
    message = models.CharField(_("besked"), max_length=40, null=True, blank=True)
    # What to say, as parameters of `kind` (no sentence): the text is made when shown, in the reader's
    # language, "i dag" / "i går" from when they look (coordination.texts.notification_text).
    params = models.JSONField(_("parametre"), default=dict, blank=True)
    created_at = models.DateTimeField(_("oprettet"))
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.NONE)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notifikation")
        verbose_name_plural = _("notifikationer")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reminder"],
                condition=Q(reminder__isnull=False),
                name="notification_once_per_reminder",
            ),
            models.UniqueConstraint(
                fields=["user", "event"], condition=Q(event__isnull=False), name="notification_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["user", "admission", "message"],
                condition=Q(message__isnull=False),
                name="notification_once_per_message",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(
                fields=["email_state"], condition=Q(email_state="pending"), name="notification_mail_pending"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def text_at(self, now) -> str:
        """The item's text in the active language, with days relative to `now`."""
        from coordination.texts import notification_text

        return notification_text(self, now)

    @property
    def text(self) -> str:
        """The item's text as the reader sees it now."""
        from django.utils import timezone

        return self.text_at(timezone.now())


class EventNotice(models.Model):
    """The outbox: an event whose receiving side is still to be notified. Written in the event's own
    transaction, so a notice never lives only in the broker; removed when the notifications exist."""

    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ventende besked-notifikation")
        verbose_name_plural = _("ventende besked-notifikationer")

    def __str__(self) -> str:
        return f"event {self.event_id}"


class WeeklyOverview(models.Model):
    """R-MON-FB: the weekly overview of waiting færdigbehandlede citizens, once per municipality and week."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="weekly_overviews")
    week_start = models.DateField(_("uge fra"))
    created_at = models.DateTimeField(_("oprettet"))
    citizens = models.PositiveIntegerField(_("ventende borgere"), default=0)
    email_state = models.CharField(max_length=8, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("ugentlig oversigt")
        verbose_name_plural = _("ugentlige oversigter")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "week_start"], name="overview_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} uge {self.week_start:%G-%V}"


# --- What one person has seen (the board's own state; not facts of the course) -------------------------


class BoardVisit(models.Model):
    """When a person last looked at the board, and where their current shift's "new since" starts: a visit
    after a pause of `SHIFT_PAUSE` or more starts a new shift, whose baseline is the previous visit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="board_visit"
    )
    seen_at = models.DateTimeField(_("sidst set"))
    shift_since = models.DateTimeField(_("vagtens udgangspunkt"), null=True, blank=True)

    class Meta:
        verbose_name = _("tavlebesøg")
        verbose_name_plural = _("tavlebesøg")

    def __str__(self) -> str:
        return f"{self.user} {self.seen_at:%d.%m.%Y %H:%M}"


class AdmissionSeen(models.Model):
    """The admission's version when this person last opened its page: a higher version marks the board row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="seen_by")
    version = models.PositiveIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("set indlæggelse")
        verbose_name_plural = _("sete indlæggelser")
        constraints = [models.UniqueConstraint(fields=["user", "admission"], name="seen_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} v{self.version}"


class UnreadMark(models.Model):
    """A person's "markér som ulæst" on messages of one code: their own reminder. The read event on the
    timeline (R-READ) stays a fact; this only flags the row on their board until they open it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="unread_marks")
    code = models.CharField(max_length=20)
    marked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("markeret som ulæst")
        verbose_name_plural = _("markeret som ulæst")
        constraints = [models.UniqueConstraint(fields=["user", "admission", "code"], name="unread_mark_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.code}"


class UsrDraft(models.Model):
    """The USR being written on the ward: one shared draft per admission. Not an event (nothing was sent);
    sending the USR (`services.send_usr`) records the event and removes the draft."""

    admission = models.OneToOneField(Admission, on_delete=models.CASCADE, related_name="usr_draft")
    content = models.JSONField(default=dict)
    saved_at = models.DateTimeField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("USR-kladde")
        verbose_name_plural = _("USR-kladder")

    def __str__(self) -> str:
        return f"USR-kladde {self.admission_id}"


# --- MedCom messages in (issue 12) ----------------------------------------------------------------------
