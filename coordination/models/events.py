"""The timeline's rows: each event of an admission, appended, never edited (a correction is an event)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coordination import rules
from coordination.models.admissions import Admission
from coordination.models.places import Side


class EventType(models.TextChoices):
    ADMITTED = "admitted", _("Indlagt")
    MESSAGE = "message", _("Besked")
    MESSAGE_READ = "message_read", _("Besked læst")
    COORDINATION_IDENTIFIED = "coordination_identified", _("Behov for yderligere koordinering")
    DISCHARGE_PLANNED = "discharge_planned", _("Udskrivning planlagt")
    PHONE_AGREEMENT = "phone_agreement", _("Telefonaftale om udskrivning")
    MUNICIPALITY_CONTACTED = "municipality_contacted", _("Kommunen har kontaktet hospitalet")
    CONFERENCE_PLANNED = "conference_planned", _("Planlægningskonference indkaldt")
    CONFERENCE_HELD = "conference_held", _("Planlægningskonference holdt")
    FAERDIGBEHANDLET = "faerdigbehandlet", _("Færdigbehandlet (MOF)")
    TREATMENT_RESUMED = "treatment_resumed", _("Behandling genoptaget")
    MOF_DISPUTED = "mof_disputed", _("MOF bestridt")
    LEFT_WARD = "left_ward", _("Forlod afsnittet")
    DISCHARGE_REGISTERED = "discharge_registered", _("Udskrivning registreret")
    REHABILITATION_STARTED = "rehabilitation_started", _("Genoptræning startet")
    TRANSFERRED = "transferred", _("Flyttet")
    LEAVE_STARTED = "leave_started", _("Orlov begyndt")
    LEAVE_ENDED = "leave_ended", _("Orlov sluttet")
    CITIZEN_CHANGED = "citizen_changed", _("Borgerens forhold ændret")
    ENTERED_IN_ERROR = "entered_in_error", _("Markeret som fejlregistreret")
    CORRECTED = "corrected", _("Rettet")
    FK_INCLUDED = "fk_included", _("Inkluderet i forløbskoordination")
    FK_COORDINATOR_CHANGED = "fk_coordinator_changed", _("Ny forløbskoordinator")
    FK_VISIT_PLANNED = "fk_visit_planned", _("Opfølgende hjemmebesøg planlagt")
    FK_VISIT_DONE = "fk_visit_done", _("Opfølgende hjemmebesøg gennemført")
    FK_ENDED = "fk_ended", _("Forløbskoordination afsluttet")
    EPIKRISE_SENT = "epikrise_sent", _("Epikrise sendt til egen læge")
    SHARING_WISHES = "sharing_wishes", _("Borgerens ønsker om videregivelse (§ 41)")


# Who records each event type that belongs to one side (services.core checks it for a person; the database
# for every write, issue 11): the system (replay, import) may record either side's.
HOSPITAL_EVENT_TYPES = (
    "admitted",
    "coordination_identified",
    "discharge_planned",
    "faerdigbehandlet",
    "treatment_resumed",
    "left_ward",
    "discharge_registered",
    "leave_started",
    "leave_ended",
    "epikrise_sent",
    "sharing_wishes",
)
MUNICIPALITY_EVENT_TYPES = ("rehabilitation_started",)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Hændelser kan ikke ændres; registrér en ny hændelse i stedet.")

    def delete(self):
        raise TypeError("Hændelser kan ikke slettes; registrér en ny hændelse i stedet.")


class Event(models.Model):
    """One fact on an admission's timeline, appended and never edited: a correction is a new event."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField(
        help_text=_("Rækkefølge for registrering, 1, 2, 3 … pr. indlæggelse")
    )
    type = models.CharField(_("hændelse"), max_length=30, choices=EventType.choices)
    occurred_at = models.DateTimeField(_("skete"))
    recorded_at = models.DateTimeField(_("registreret"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_side = models.CharField(_("registreret af part"), max_length=12, choices=Side.choices)
    recorded_by_organisation = models.CharField(_("registreret af enhed"), max_length=200, blank=True)
    data = models.JSONField(_("indhold"), default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["admission", "occurred_at", "sequence"]
        verbose_name = _("hændelse")
        verbose_name_plural = _("hændelser")
        constraints = [
            models.UniqueConstraint(fields=["admission", "sequence"], name="event_sequence_unique"),
            models.CheckConstraint(
                condition=Q(occurred_at__lte=F("recorded_at")), name="event_not_recorded_before_it_happened"
            ),
            # The vocabulary the code assumes (issue 11): REPLAY.md's types and the product's, and the sides.
            models.CheckConstraint(condition=Q(type__in=rules.EVENT_TYPES), name="event_type_known"),
            models.CheckConstraint(condition=Q(recorded_by_side__in=Side.values), name="event_side_known"),
            models.CheckConstraint(
                condition=~Q(type__in=HOSPITAL_EVENT_TYPES)
                | Q(recorded_by_side__in=[Side.HOSPITAL, Side.SYSTEM]),
                name="event_hospital_type_by_hospital",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=MUNICIPALITY_EVENT_TYPES)
                | Q(recorded_by_side__in=[Side.MUNICIPALITY, Side.SYSTEM]),
                name="event_municipality_type_by_municipality",
            ),
        ]
        indexes = [models.Index(fields=["admission", "occurred_at", "sequence"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.occurred_at:%d.%m.%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Hændelser kan ikke ændres; registrér en ny hændelse i stedet.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Hændelser kan ikke slettes; registrér en ny hændelse i stedet.")

    def as_rules_event(self) -> rules.Event:
        raw = {"at": self.occurred_at.isoformat(), "type": self.type, **self.data}
        event = rules.parse_event(raw, self.sequence, stored=True)
        return rules.Event(type=event.type, at=event.at, data=event.data, id=self.sequence)


# --- Derived tables (stored for queries; rebuilt from the timeline) ------------------------------------
