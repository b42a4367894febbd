"""Regions, municipalities, hospitals and wards, and the dated agreement profile each region keeps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination import rules
from coordination.cpr import CprError, validate_cpr

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
    # The ward's EAN/GLN (lokationsnummer) beside its SOR code (`code`): a KM written here goes out from it.
    ean = models.CharField(
        _("EAN-nummer"), max_length=13, blank=True, validators=[RegexValidator(r"^\d{13}$")]
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
