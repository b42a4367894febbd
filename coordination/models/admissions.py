"""The admission, who may see it, and what the engine derived for it (its events: models/events.py)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from coordination import rules
from coordination.models.people import Citizen
from coordination.models.places import TAKE_PART, Municipality, Region, Ward


class AdmissionQuerySet(models.QuerySet):
    def active(self):
        """Admissions on the board: not yet discharged (the discharge registration closes the course)."""
        return self.filter(discharge_registered_at__isnull=True)

    def visible_to(self, user):
        """Only the people taking part in the citizen's course (Sundhedsloven §§ 40-42, seed 000): the
        admitting ward and hospital, the municipality of residence, and whoever was granted the course
        explicitly (a forløbskoordinator, a consulting unit: django-guardian object permissions)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        staff = getattr(user, "staff", None)
        # Region managers see figures, not citizens.
        by_organisation = staff.own_admissions() if staff is not None else Q(pk__in=[])
        granted = granted_to(user)
        return self.filter(by_organisation | Q(pk__in=granted) if granted else by_organisation)


def granted_to(user) -> list[int]:
    """The admissions granted to the user or their groups (django-guardian's direct foreign-key tables). Read
    as a list, not as a subquery: OR-ed with the organisation's filter, a subquery made PostgreSQL scan every
    admission of the region, where the list lets it use the organisation's index (issue 15). Kept in the
    process's memory while the user's generation stays (every grant, revoke and group change moves it:
    coordination/board_state.py)."""
    from coordination import board_state

    def read() -> list[int]:
        to_user = AdmissionUserObjectPermission.objects.filter(user=user, permission__codename=TAKE_PART)
        to_groups = AdmissionGroupObjectPermission.objects.filter(
            group__user=user, permission__codename=TAKE_PART
        )
        ids = to_user.values_list("content_object_id", flat=True)
        return sorted(set(ids.union(to_groups.values_list("content_object_id", flat=True))))

    return board_state.kept_for_user("granted", user, read)


class Admission(models.Model):
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="admissions")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="admissions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="admissions")
    admitted_at = models.DateTimeField(_("indlagt"))
    version = models.PositiveIntegerField(default=0, help_text=_("Tælles op ved hver hændelse"))
    # Set by every save (the engine's store among them): a board re-reads a kept row only when it moved.
    changed_at = models.DateTimeField(_("ændret"), auto_now=True, null=True)
    # Where the admission came from (issue 12), set once when it is recorded: its first "admitted" event
    # (when it reached the board, who typed it) and the MedCom notice recorded with it. The board joins
    # them: as correlated subqueries they were most of the cost of a row read again (issue 15).
    admitted_event = models.ForeignKey(
        "Event", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    admitted_notice = models.ForeignKey(
        "MedcomMessage", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # The newest event's record time and author, and the newest record time of anyone else's: each row of
    # the board says "changed" when someone other than its reader recorded since their last look
    # (`last_change_by_others`), without a subquery of the events per row (issue 15). Kept by every event.
    last_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_event_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        db_index=False,  # nothing looks admissions up by it
        related_name="+",
    )
    last_other_event_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Derived from the timeline by the rules engine (services.refresh_derived_state); never edited by hand.
    over_48h = models.BooleanField(default=False)
    expected_faerdigbehandlet_on = models.DateField(_("forventet færdigbehandlet"), null=True, blank=True)
    faerdigbehandlet_date_certain = models.BooleanField(null=True, blank=True)
    faerdigbehandlet_on = models.DateField(_("færdigbehandlet"), null=True, blank=True)
    planned_discharge_at = models.DateTimeField(_("planlagt udskrivning"), null=True, blank=True)
    agreed_discharge_at = models.DateTimeField(_("aftalt udskrivning"), null=True, blank=True)
    left_at = models.DateTimeField(_("forlod afsnittet"), null=True, blank=True)
    discharge_registered_at = models.DateTimeField(_("udskrivning registreret"), null=True, blank=True)
    extended_responsibility_until = models.DateTimeField(
        _("udvidet ansvar til (R-72H)"), null=True, blank=True
    )
    medicine_until = models.DateField(_("medicin til og med (R-MEDICIN)"), null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Whether the side still has an open obligation that can be met: a discharged admission stays on that
    # side's board while it does (issue 14; board.on_board). Stored, so the board's query reads a column
    # instead of every open obligation of the region (issue 15).
    owed_by_hospital = models.BooleanField(default=False)
    owed_by_municipality = models.BooleanField(default=False)
    warnings = models.JSONField(default=list, blank=True)
    # The engine's other facts for the screens, printouts and reminders (rules.Evaluation's unread, pfp,
    # goes_to_plejebolig, coordination_requested, rehabilitation_start_by, ilr_expected): read them through
    # the properties below, never work them out again.
    facts = models.JSONField(default=dict, blank=True)
    # Issue 14: the steps the engine judged at the last derivation (services.derived.judged_steps); None for
    # a row derived before steps were judged.
    judged_steps = models.JSONField(null=True, blank=True)
    reevaluate_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = AdmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-admitted_at"]
        verbose_name = _("indlæggelse")
        verbose_name_plural = _("indlæggelser")
        constraints = [
            # One live admission per citizen: a new one only after the citizen has left.
            models.UniqueConstraint(
                fields=["citizen"], condition=Q(left_at__isnull=True), name="one_live_admission_per_citizen"
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=F("admitted_at")),
                name="admission_left_after_admitted",
            ),
            models.CheckConstraint(
                condition=Q(discharge_registered_at__isnull=True) | Q(left_at__isnull=False),
                name="admission_discharge_after_leaving",
            ),
        ]
        indexes = [
            models.Index(fields=["ward", "discharge_registered_at"]),
            models.Index(fields=["municipality", "discharge_registered_at"]),
            # Each side's board (board.on_board): not yet discharged, or still owed something by that side.
            # Without them a hospital's board scanned every admission of the region, historic ones included.
            models.Index(
                fields=["ward"],
                condition=Q(discharge_registered_at__isnull=True) | Q(owed_by_hospital=True),
                name="admission_hospital_board",
            ),
            models.Index(
                fields=["municipality"],
                condition=Q(discharge_registered_at__isnull=True) | Q(owed_by_municipality=True),
                name="admission_municipality_board",
            ),
        ]
        permissions = [
            (TAKE_PART, _("Deltager i borgerens forløb")),
            ("view_reports", _("Kan se rapporter og nøgletal")),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} – {self.ward}"

    @classmethod
    def from_db(cls, db, field_names, values):
        admission = super().from_db(db, field_names, values)
        # Where it lay when read: a transfer's save takes it off the old ward's board too (board_state).
        admission._loaded_places = (
            admission.__dict__.get("ward_id"),
            admission.__dict__.get("municipality_id"),
        )
        return admission

    @property
    def region(self) -> Region:
        return self.ward.hospital.region

    def timeline(self) -> list[rules.Event]:
        return [event.as_rules_event() for event in self.events.order_by("occurred_at", "sequence")]

    def note_event(self, recorded_at, recorded_by_id) -> None:
        """Keep `last_event_*` and `last_other_event_at` with one more event recorded (saved with the
        admission by the service that records it)."""
        if self.last_event_at is None or recorded_at >= self.last_event_at:
            if self.last_event_at is not None and recorded_by_id != self.last_event_by_id:
                self.last_other_event_at = self.last_event_at  # the newest event was someone else's
            self.last_event_at, self.last_event_by_id = recorded_at, recorded_by_id
        elif recorded_by_id != self.last_event_by_id:  # recorded with an earlier time than the newest
            self.last_other_event_at = max(filter(None, (self.last_other_event_at, recorded_at)))

    def last_change_by_others(self, user_id):
        """The newest record time of an event not recorded by this user (system and MedCom events are
        nobody's: they count as others')."""
        return self.last_event_at if self.last_event_by_id != user_id else self.last_other_event_at

    # --- The engine's stored facts (services.derived.store writes them) ---------------------------------

    def unread_codes(self, side: str) -> list[str]:
        """R-READ: codes of the messages `side` received and has not read, in the order they came."""
        return list(self.facts.get("unread", {}).get(side, []))

    @property
    def pfp(self) -> rules.PfpFact | None:
        """The newest PFP and whether the municipality acknowledged it (R-PFP-ACK)."""
        data = self.facts.get("pfp")
        if not data:
            return None
        return rules.PfpFact(
            version=data["version"],
            sent_at=datetime.fromisoformat(data["sent_at"]),
            faerdigbehandlet_date=_date_or_none(data["faerdigbehandlet_date"]),
            date_certain=data["date_certain"],
            coordination_needed=data["coordination_needed"],
            acknowledged=data["acknowledged"],
        )

    @property
    def goes_to_plejebolig(self) -> bool:
        return bool(self.facts.get("goes_to_plejebolig"))

    @property
    def coordination_requested(self) -> bool:
        return bool(self.facts.get("coordination_requested"))

    @property
    def coordination_identified(self) -> bool:
        """R-PFP-COORD's record exists: a PFP asking for coordination needs no reason of its own."""
        return bool(self.facts.get("coordination_identified"))

    @property
    def rehabilitation_start_by(self) -> date | None:
        """R-GOP-START: the last date rehabilitation may start."""
        return _date_or_none(self.facts.get("rehabilitation_start_by"))

    @property
    def mof(self) -> dict | None:
        """The newest færdigbehandling period and the last dispute, as the MOF column shows them (dates
        as dates); None: no period (or none stored: see migration 0036)."""
        fact = self.facts.get("mof")
        if not fact:
            return None
        return {
            **fact,
            "registered_on": _date_or_none(fact["registered_on"]),
            "ended_on": _date_or_none(fact["ended_on"]),
        }

    @property
    def usr_sent_at(self) -> datetime | None:
        """R-USR: when the first USR was sent (none, or only one entered in error: None)."""
        value = self.facts.get("usr_sent_at")
        return timezone.localtime(datetime.fromisoformat(value)) if value else None

    def minutes_sent_at(self, held_sequence: int) -> datetime | None:
        """R-CONFERENCE-MINUTES: when the PFP with the decisions of the conference held at that event came."""
        value = self.facts.get("conference_minutes", {}).get(str(held_sequence))
        return datetime.fromisoformat(value) if value else None

    @property
    def steps(self) -> dict[str, dict] | None:
        """Issue 14: the steps as the engine judged them when the admission was last derived, by step key
        ({"available", "rule", "refused", "meets"}); None for a row derived before steps were stored."""
        stored = self.judged_steps
        if stored is None:
            return None
        return {item["step"]: item for item in stored}

    @property
    def ilr_expected(self) -> bool:
        return bool(self.facts.get("ilr_expected", True))

    @property
    def corrections(self) -> list[dict]:
        """R-CORRECTION: the accepted corrections (event, kind, by, at, reason, values) as the engine listed
        them; `event` and `by` are event sequences."""
        return list(self.facts.get("corrections", []))

    @property
    def fact_sources(self) -> dict[str, int]:
        """Fact name -> the sequence of the event that states it (the engine's `sources`)."""
        return {name: int(seq) for name, seq in self.facts.get("sources", {}).items()}

    @property
    def in_error(self) -> frozenset[int]:
        """The sequences of the events marked entered in error (R-CORRECTION): screens reading events
        themselves skip them."""
        return frozenset(c["event"] for c in self.corrections if c["kind"] == "entered_in_error")

    @property
    def citizen_facts(self) -> rules.Citizen | None:
        """The citizen's facts the rules read, as in force now (recorded with the admission, changed by
        `citizen_changed` events)."""
        data = self.facts.get("citizen")
        return rules.Citizen(**data) if data else None

    @property
    def sharing(self) -> rules.SharingFact | None:
        """The citizen's wishes about sharing in force (sundhedsloven § 41): the newest `sharing_wishes`."""
        data = self.facts.get("sharing")
        if not data:
            return None
        return rules.SharingFact(
            declined=tuple(data["declined"]),
            note=data["note"],
            relatives_allowed=data["relatives_allowed"],
            relatives=data["relatives"],
            at=datetime.fromisoformat(data["at"]),
            event=data.get("event"),
        )

    def admitted_citizen(self) -> rules.Citizen:
        """The citizen's facts as recorded with the admission (its `admitted` event)."""
        admitted = self.events.filter(type="admitted").order_by("sequence").first()
        return rules.Citizen(**admitted.data["citizen"])


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class AdmissionUserObjectPermission(UserObjectPermissionBase):
    """An explicit grant of one admission to one person (direct foreign key, fast to filter on)."""

    content_object = models.ForeignKey(Admission, on_delete=models.CASCADE)


class AdmissionGroupObjectPermission(GroupObjectPermissionBase):
    """An explicit grant of one admission to a group of people."""

    content_object = models.ForeignKey(Admission, on_delete=models.CASCADE)
