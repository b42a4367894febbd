"""The data model. The timeline is the truth: `Event` rows are appended, never edited. `Obligation`,
`FaerdigbehandlingPeriod` and the board columns of `Admission` are derived from the timeline by the rules
engine (`coordination.rules`) and stored in the same transaction as the event (see services.py)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from coordination import rules
from coordination.cpr import CprError, mask_cpr, validate_cpr

# The object permission that lets a person outside the admitting ward/hospital and the municipality follow
# one citizen's course.
TAKE_PART = "take_part"
HOSPITAL = rules.HOSPITAL
MUNICIPALITY = rules.MUNICIPALITY


class Side(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    MUNICIPALITY = "municipality", _("Kommune")
    SYSTEM = "system", _("System")


def validate_cpr_field(value: str) -> None:
    try:
        validate_cpr(value)
    except CprError as error:
        raise ValidationError(str(error)) from error


# --- Reference data -------------------------------------------------------------------------------------


class Region(models.Model):
    code = models.CharField(
        _("regionskode"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(
        _("kortnavn"), unique=True, help_text=_("Bruges af replay: hovedstaden, sjaelland …")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self) -> str:
        return self.name

    def rules_profiles(self) -> list[rules.Profile]:
        """Every version of the region's agreement profile, as plain data for the rules engine."""
        return [p.as_rules_profile() for p in self.profiles.order_by("valid_from")]


class AgreementProfile(models.Model):
    """One version of a region's agreement profile (RULES.md "Agreement profiles"). Every *(setting)* of
    RULES.md is a field; an event is judged by the version in force at its time."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="profiles")
    code = models.SlugField(_("profil"), help_text=_("hovedstaden, sjaelland eller midtjylland"))
    valid_from = models.DateField(_("gælder fra"))
    # R-MILR
    milr_due_hours = models.PositiveSmallIntegerField(_("MILR: frist i timer"), null=True, blank=True)
    night_shift_start = models.TimeField(_("nattevagt fra"))
    night_shift_end = models.TimeField(_("nattevagt til (ikke medregnet)"))
    milr_night_due_time = models.TimeField(_("MILR ved nattevagt: frist kl."), null=True, blank=True)
    # R-PFP-COORD, R-MUN-24H
    pfp_coord = models.BooleanField(_("PFP ved behov for yderligere koordinering (R-PFP-COORD)"))
    mun_contact = models.BooleanField(_("kommunen kontakter sygehuset (R-MUN-24H)"))
    mun_contact_hours = models.PositiveSmallIntegerField(_("R-MUN-24H: frist i timer"), null=True, blank=True)
    # R-PFP-DATE
    pfp_date = models.BooleanField(_("PFP med sikker dato (R-PFP-DATE)"))
    pfp_date_due_time = models.TimeField(_("R-PFP-DATE: frist kl."), null=True, blank=True)
    pfp_date_days_before = models.PositiveSmallIntegerField(_("R-PFP-DATE: dage før"), default=1)
    long_stay_hours = models.PositiveSmallIntegerField(_("længere indlæggelse: timer"), default=48)
    # R-PFP-ALWAYS, R-PFP-ACK, R-CONFERENCE
    pfp_always = models.BooleanField(_("PFP altid (R-PFP-ALWAYS)"))
    pfp_ack = models.BooleanField(_("kvittering for PFP (R-PFP-ACK)"))
    pfp_ack_subject = models.CharField(
        _("emne for kvittering"), max_length=100, default="Plejeforløbsplan ok"
    )
    conference_pfp = models.BooleanField(_("PFP før og efter planlægningskonference (R-CONFERENCE)"))
    # R-CALL-13
    call_13 = models.BooleanField(_("telefonaftale om udskrivningstidspunkt (R-CALL-13)"))
    call_13_time = models.TimeField(_("R-CALL-13: fra kl."))
    # R-ADVIS-UD, R-READ
    advis_ud_hours = models.PositiveSmallIntegerField(_("R-ADVIS-UD: frist i timer"), null=True, blank=True)
    read_receipts = models.BooleanField(_("læsning af beskeder (R-READ)"))
    read_hours = models.PositiveSmallIntegerField(_("R-READ: frist i timer"), default=8)
    # R-GOP-*
    gop_start_days = models.PositiveSmallIntegerField(_("R-GOP-START: dage"), default=7)
    gop_answer = models.BooleanField(_("svar på spørgsmål om genoptræningsplan (R-GOP-ANSWER)"))
    gop_question_prefix = models.CharField(
        _("emne for spørgsmål"), max_length=100, default="Genoptræningsplan"
    )
    # R-72H, R-MEDICIN, R-PSYK
    extended_responsibility_hours = models.PositiveSmallIntegerField(
        _("R-72H: udvidet ansvar i timer"), null=True, blank=True
    )
    extended_responsibility_min_stay_hours = models.PositiveSmallIntegerField(
        _("R-72H: indlagt mere end timer"), default=24
    )
    medicine_until_weekday = models.BooleanField(_("medicin til første hverdag (R-MEDICIN)"))
    psyk_refusals = models.BooleanField(_("socialområdet uden ILR/PFP/USR (R-PSYK)"))
    # Warnings
    plejebolig_warning = models.BooleanField(_("advarsel om sen udskrivning til plejebolig (R-PLEJEBOLIG)"))
    late_evening_start = models.TimeField(_("sen aften fra"))
    late_evening_end = models.TimeField(_("sen aften til (ikke medregnet)"))
    fb_date_mismatch_warning = models.BooleanField(
        _("advarsel om afvigende færdigbehandlingsdato (R-FB-REG)")
    )
    fb_precond_warning = models.BooleanField(_("advarsel når aftalen ikke er fulgt (R-FB-PRECOND)"))
    # Reminders (issue 7): the points before a due at which the owners are reminded; 0 is "at due".
    reminder_minutes_before = models.CharField(
        _("påmindelser: minutter før frist"),
        max_length=100,
        default="120,0",
        validators=[
            RegexValidator(r"^\s*\d{1,5}(\s*,\s*\d{1,5})*\s*$", _("Skriv minuttal adskilt af komma."))
        ],
        help_text=_("Fx 120,0: to timer før og ved fristen"),
    )

    class Meta:
        ordering = ["region", "valid_from"]
        verbose_name = _("aftaleprofil")
        verbose_name_plural = _("aftaleprofiler")
        constraints = [
            models.UniqueConstraint(fields=["region", "valid_from"], name="profile_one_version_per_day"),
            models.CheckConstraint(
                condition=Q(milr_due_hours__isnull=True) | Q(milr_due_hours__gt=0),
                name="profile_milr_hours_positive",
            ),
            models.CheckConstraint(condition=Q(read_hours__gt=0), name="profile_read_hours_positive"),
            models.CheckConstraint(condition=Q(long_stay_hours__gt=0), name="profile_long_stay_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region} ({self.code}) fra {self.valid_from:%d.%m.%Y}"

    def reminder_offsets(self) -> list[int]:
        """The reminder points as minutes before due, largest first, each once."""
        values = {int(v) for v in self.reminder_minutes_before.split(",") if v.strip()}
        return sorted(values, reverse=True)

    def as_rules_profile(self) -> rules.Profile:
        """The same values as plain data, the form the pure rules engine takes."""
        names = [f.name for f in rules.Profile.__dataclass_fields__.values()]
        return rules.Profile(**{name: getattr(self, name) for name in names})


PHONE_VALIDATOR = RegexValidator(r"^\+?[0-9 ]{8,}$", _("Skriv et telefonnummer med mindst 8 cifre."))


def phone_field(label, help_text=""):
    return models.CharField(
        label, max_length=20, blank=True, validators=[PHONE_VALIDATOR], help_text=help_text
    )


class Municipality(models.Model):
    code = models.CharField(
        _("kommunekode"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("navn"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    visitation_phone = phone_field(_("visitationens telefon"), _("Om hjælp i hjemmet og hjælpemidler"))
    home_care_phone = phone_field(_("hjemmeplejens telefon"), _("Dag og aften"))
    night_phone = phone_field(_("telefon om natten"), _("Hjemmeplejen eller sygeplejen om natten"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{4}$"), name="municipality_code_4_digits")
        ]

    def __str__(self) -> str:
        return f"{self.name} Kommune"


class Hospital(models.Model):
    name = models.CharField(_("navn"), max_length=150, unique=True)
    code = models.CharField(_("kode"), max_length=20, blank=True, help_text=_("Kort kode, fx SOR-kode"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="hospitals")
    phone = phone_field(_("telefon"), _("Hospitalets hovednummer"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("hospital")
        verbose_name_plural = _("hospitaler")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(_("navn"), max_length=150)
    code = models.CharField(_("kode"), max_length=20, blank=True, help_text=_("Kort kode, fx SOR-kode"))
    phone = models.CharField(
        _("telefon"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ]{8,}$", _("Skriv et telefonnummer med mindst 8 cifre."))],
        help_text=_("Vises i 72-timers-vinduet (R-72H)"),
    )

    class Meta:
        ordering = ["hospital__name", "name"]
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "name"], name="ward_name_unique_per_hospital")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.hospital.name}"


class Citizen(models.Model):
    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True, validators=[validate_cpr_field])
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("bopælskommune")
    )
    # Registry data only (who the citizen is). The facts the rules read (known in EOJ, residence, social
    # area, terminal) are recorded with each admission and changed by events on its timeline.

    class Meta:
        ordering = ["name"]
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        constraints = [
            models.CheckConstraint(condition=Q(cpr__regex=r"^\d{10}$"), name="citizen_cpr_10_digits")
        ]

    def __str__(self) -> str:
        # Never the full CPR in ordinary text: lists, logs and admin titles show it masked.
        return f"{self.name} ({mask_cpr(self.cpr)})"

    def clean(self) -> None:
        if self.cpr:
            try:
                self.cpr = validate_cpr(self.cpr)
            except CprError as error:
                raise ValidationError({"cpr": str(error)}) from error

    @property
    def masked_cpr(self) -> str:
        return mask_cpr(self.cpr)


# --- Staff and who sees what ---------------------------------------------------------------------------


class StaffMember(models.Model):
    """The organisation unit a user works in: a ward, a whole hospital, a municipality or a region."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    email_notifications = models.BooleanField(
        _("påmindelser også som e-mail"), default=False, help_text=_("Kræver en e-mailadresse på brugeren")
    )

    class Meta:
        verbose_name = _("medarbejder")
        verbose_name_plural = _("medarbejdere")
        constraints = [
            models.CheckConstraint(
                # Exactly one organisation unit.
                condition=(
                    Q(
                        ward__isnull=False,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        ward__isnull=True,
                        hospital__isnull=False,
                        municipality__isnull=True,
                        region__isnull=True,
                    )
                    | Q(
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=False,
                        region__isnull=True,
                    )
                    | Q(
                        ward__isnull=True,
                        hospital__isnull=True,
                        municipality__isnull=True,
                        region__isnull=False,
                    )
                ),
                name="staff_exactly_one_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"

    @property
    def kind(self) -> str:
        for kind in ("ward", "hospital", "municipality", "region"):
            if getattr(self, f"{kind}_id"):
                return kind
        raise ValueError("staff member without organisation")

    @property
    def organisation(self):
        return getattr(self, self.kind)

    @property
    def side(self) -> str:
        return MUNICIPALITY if self.kind == "municipality" else HOSPITAL

    def own_admissions(self) -> Q:
        """The admissions of the user's own unit, as a filter on Admission: the ward's, the whole
        hospital's, or the municipality's citizens. Region staff have none (they see figures)."""
        if self.ward_id:
            return Q(ward_id=self.ward_id)
        if self.hospital_id:
            return Q(ward__hospital_id=self.hospital_id)
        if self.municipality_id:
            return Q(municipality_id=self.municipality_id)
        return Q(pk__in=[])

    def own_wards(self) -> Q:
        """The wards the user admits to, as a filter on Ward (none outside a hospital)."""
        if self.ward_id:
            return Q(pk=self.ward_id)
        if self.hospital_id:
            return Q(hospital_id=self.hospital_id)
        return Q(pk__in=[])


# --- Admissions and their timeline ---------------------------------------------------------------------


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
        granted_to_user = Exists(
            AdmissionUserObjectPermission.objects.filter(
                content_object=OuterRef("pk"), user=user, permission__codename=TAKE_PART
            )
        )
        granted_to_group = Exists(
            AdmissionGroupObjectPermission.objects.filter(
                content_object=OuterRef("pk"), group__user=user, permission__codename=TAKE_PART
            )
        )
        return self.filter(by_organisation | granted_to_user | granted_to_group)


class Admission(models.Model):
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="admissions")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="admissions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="admissions")
    admitted_at = models.DateTimeField(_("indlagt"))
    version = models.PositiveIntegerField(default=0, help_text=_("Tælles op ved hver hændelse"))
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
    warnings = models.JSONField(default=list, blank=True)
    # The engine's other facts for the screens, printouts and reminders (rules.Evaluation's unread, pfp,
    # goes_to_plejebolig, coordination_requested, rehabilitation_start_by, ilr_expected): read them through
    # the properties below, never work them out again.
    facts = models.JSONField(default=dict, blank=True)
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
        ]
        permissions = [
            (TAKE_PART, _("Deltager i borgerens forløb")),
            ("view_reports", _("Kan se rapporter og nøgletal")),
        ]

    def __str__(self) -> str:
        return f"{self.citizen} – {self.ward}"

    @property
    def region(self) -> Region:
        return self.ward.hospital.region

    def timeline(self) -> list[rules.Event]:
        return [event.as_rules_event() for event in self.events.order_by("occurred_at", "sequence")]

    # --- The engine's stored facts (services.core._store writes them) ---------------------------------

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

    def minutes_sent_at(self, held_sequence: int) -> datetime | None:
        """R-CONFERENCE-MINUTES: when the PFP with the decisions of the conference held at that event came."""
        value = self.facts.get("conference_minutes", {}).get(str(held_sequence))
        return datetime.fromisoformat(value) if value else None

    @property
    def ilr_expected(self) -> bool:
        return bool(self.facts.get("ilr_expected", True))

    @property
    def citizen_facts(self) -> rules.Citizen | None:
        """The citizen's facts the rules read, as in force now (recorded with the admission, changed by
        `citizen_changed` events)."""
        data = self.facts.get("citizen")
        return rules.Citizen(**data) if data else None

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


class ObligationStatus(models.TextChoices):
    # Stored statuses do not depend on the clock: "overdue" is an open obligation whose due has passed.
    OPEN = "open", _("Åben")
    MET = "met", _("Opfyldt")
    LATE = "late", _("Opfyldt for sent")


class ObligationQuerySet(models.QuerySet):
    def overdue(self, now):
        return self.filter(status=ObligationStatus.OPEN, due_at__lt=now)


class Obligation(models.Model):
    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="obligations")
    key = models.CharField(max_length=60, help_text=_("Stabil nøgle: regel-id, evt. med udløsende hændelse"))
    rule = models.CharField(_("regel"), max_length=30)
    owner = models.CharField(_("ansvarlig"), max_length=12, choices=Side.choices)
    label = models.CharField(_("opgave"), max_length=200, blank=True)
    message_code = models.CharField(max_length=20, blank=True)
    due_at = models.DateTimeField(_("frist"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=ObligationStatus.choices)
    met_at = models.DateTimeField(_("opfyldt"), null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "rule"]
        verbose_name = _("forpligtelse")
        verbose_name_plural = _("forpligtelser")
        constraints = [
            models.UniqueConstraint(fields=["admission", "key"], name="obligation_key_unique"),
            models.CheckConstraint(
                condition=Q(owner__in=[HOSPITAL, MUNICIPALITY]), name="obligation_owner_side"
            ),
            models.CheckConstraint(
                condition=Q(status="open", met_at__isnull=True)
                | Q(status__in=["met", "late"], met_at__isnull=False),
                name="obligation_met_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            # The timeliness figures (R-MON-TIMELY) select obligations by the date of their due.
            models.Index(fields=["due_at"], name="obligation_due_report"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} ({self.get_owner_display()})"

    def status_at(self, now) -> str:
        if self.status == ObligationStatus.OPEN and self.due_at is not None and now > self.due_at:
            return "overdue"
        return self.status


class FaerdigbehandlingPeriod(models.Model):
    """A færdigbehandling period (R-FB-REG .. R-FB-FEE): from the registration's date to the day it ended."""

    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="periods")
    registered_on = models.DateField(_("færdigbehandlet"))
    registered_at = models.DateTimeField(_("registreret"))
    ended_on = models.DateField(_("sluttede"), null=True, blank=True)
    days = models.PositiveIntegerField(
        _("dage"), default=0, help_text=_("For en åben periode: dage til og med i går")
    )
    voided = models.BooleanField(_("annulleret"), default=False)
    waiting_for = models.JSONField(_("venter på"), default=list, blank=True)
    disputed = models.BooleanField(_("bestridt"), default=False)
    dispute_note = models.TextField(_("note om uenighed"), blank=True)
    resumed = models.BooleanField(_("afsluttet ved genoptaget behandling"), default=False)

    class Meta:
        ordering = ["registered_at"]
        verbose_name = _("færdigbehandlingsperiode")
        verbose_name_plural = _("færdigbehandlingsperioder")
        constraints = [
            models.UniqueConstraint(fields=["admission", "registered_at"], name="period_unique_registration"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("registered_on")),
                name="period_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(voided=False) | Q(days=0), name="period_voided_has_no_days"),
        ]

    def __str__(self) -> str:
        return f"færdigbehandlet {self.registered_on:%d.%m.%Y}"

    def days_at(self, today: date) -> int:
        """R-FB-FEE's days on `today` (the engine's rule; an open period counts up to today)."""
        return rules.faerdigbehandling.days_on(self.registered_on, self.ended_on, self.voided, today)

    def fee_at(self, today: date, tariffs) -> Decimal | None:
        """R-FB-FEE's fee so far, each day at its own year's tariff; None when a year has no tariff."""
        return rules.faerdigbehandling.fee(self.registered_on, self.days_at(today), tariffs)


class FaerdigbehandlingDay(models.Model):
    """One date of a period, stored so the figures group by date in the database (R-MON-FB): the registration
    date (`paid` false: the admission counts in that period, 0-day ones included) and every paid day
    (R-FB-FEE, `rules.fee_days`). A voided period has no rows. Rewritten with the periods by each store."""

    period = models.ForeignKey(FaerdigbehandlingPeriod, on_delete=models.CASCADE, related_name="dates")
    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dato"))
    paid = models.BooleanField(_("betalt dag"))

    class Meta:
        verbose_name = _("færdigbehandlingsdag")
        verbose_name_plural = _("færdigbehandlingsdage")
        constraints = [models.UniqueConstraint(fields=["period", "day"], name="period_day_unique")]
        indexes = [models.Index(fields=["day", "admission"], name="fb_day_report")]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}" + ("" if self.paid else " (registreret)")


class FeeTariff(models.Model):
    """Færdigbehandlingstakst per day, set per year by an administrator (R-FB-FEE; no figure in the seeds)."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True, validators=[MinValueValidator(2000)])
    dkk_per_day = models.DecimalField(_("kr. pr. dag"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("færdigbehandlingstakst")
        verbose_name_plural = _("færdigbehandlingstakster")
        constraints = [models.CheckConstraint(condition=Q(dkk_per_day__gt=0), name="tariff_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.dkk_per_day} kr./dag"


# --- Who looked at what (Sundhedsloven §§ 40-42: every look-up is logged) ------------------------------


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


class AccessLog(models.Model):
    """One row per citizen per request: who saw or changed which citizen's data, when and where. Append-only,
    like the timeline: the ORM refuses to change or delete a row, and so does a database trigger (0014)."""

    at = models.DateTimeField(_("tidspunkt"), db_index=True)
    # No user for what the system itself wrote out: the downtime boards' files (the note names the file).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # No citizen for an export of figures (counts, no citizen-level data): the export itself is still logged.
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    admission = models.ForeignKey(
        Admission, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    """One item of one person's inbox: a reminder or a new message (once per person and reminder/event)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    admission = models.ForeignKey(
        Admission, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.CharField(_("tekst"), max_length=400)
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
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(
                fields=["email_state"], condition=Q(email_state="pending"), name="notification_mail_pending"
            ),
        ]

    def __str__(self) -> str:
        return self.text


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


class MedcomUnit(models.Model):
    """A SOR unit that receives MedCom messages for a municipality (a plejecenter, the home care …): the
    receiver of a HospitalNotification names the municipality whose citizens it is about. Kept by an
    administrator; a message to an unknown unit is refused, never guessed."""

    sor_code = models.CharField(
        _("SOR-kode"), max_length=20, unique=True, validators=[RegexValidator(r"^\d{9,18}$")]
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="medcom_units")

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("MedCom-modtager")
        verbose_name_plural = _("MedCom-modtagere")
        constraints = [
            models.CheckConstraint(condition=Q(sor_code__regex=r"^\d{9,18}$"), name="medcom_unit_sor_digits")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sor_code})"


class MedcomStatus(models.TextChoices):
    RECORDED = "recorded", _("Registreret på tidslinjen")
    FILTERED = "filtered", _("Frasorteret: borgeren er ikke kommunens")
    HELD = "held", _("Venter på en administrator")


class MedcomMessage(models.Model):
    """One MedCom message received and acknowledged, once per `MessageHeader.id` (a resend keeps it under a
    new Bundle.id: it is a duplicate, acknowledged again and not stored twice). A filtered message keeps only
    its ids (no health data of a citizen the municipality does not serve)."""

    message_id = models.CharField(_("MessageHeader.id"), max_length=100, unique=True)
    bundle_id = models.CharField(_("Bundle.id"), max_length=100, blank=True)
    kind = models.CharField(_("standard"), max_length=40)
    event = models.CharField(_("hændelse"), max_length=40)
    status = models.CharField(max_length=10, choices=MedcomStatus.choices)
    # What held or filtered it: a reason code and its parameters (text is made when shown).
    reason = models.CharField(_("årsag"), max_length=40, blank=True)
    reason_detail = models.CharField(_("detalje"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("modtaget"))
    encounter_at = models.DateTimeField(_("skete"), null=True, blank=True)
    sender_sor = models.CharField(_("afsender SOR"), max_length=20, blank=True)
    sender_name = models.CharField(_("afsender"), max_length=200, blank=True)
    receiver_sor = models.CharField(_("modtager SOR"), max_length=20, blank=True)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    admission = models.ForeignKey(
        Admission, on_delete=models.PROTECT, null=True, blank=True, related_name="medcom_messages"
    )
    events = models.ManyToManyField(Event, blank=True, related_name="medcom_messages")
    episode_of_care = models.JSONField(_("forløbs-id'er"), default=list, blank=True)
    body = models.TextField(_("beskeden"), blank=True)
    acknowledgement = models.JSONField(_("kvittering"), default=dict, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("MedCom-besked")
        verbose_name_plural = _("MedCom-beskeder")
        indexes = [models.Index(fields=["status", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="filtered") | (Q(body="") & Q(citizen__isnull=True)),
                name="medcom_filtered_keeps_no_health_data",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"


class EpisodeOfCareIdentifier(models.Model):
    """The hospital's identifiers of a stay (HospitalNotification Encounter.episodeOfCare): a stay is keyed
    on CPR plus these, so later notices of the same stay join its admission."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="episode_identifiers")
    system = models.CharField(max_length=200)
    value = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("forløbs-id")
        verbose_name_plural = _("forløbs-id'er")
        constraints = [models.UniqueConstraint(fields=["system", "value"], name="episode_identifier_unique")]

    def __str__(self) -> str:
        return self.value
