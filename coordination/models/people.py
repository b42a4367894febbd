"""The citizen as registry data and the staff member with the side and places they work for."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.cpr import CprError, mask_cpr, validate_cpr
from coordination.models.places import (
    HOSPITAL,
    MUNICIPALITY,
    Hospital,
    Municipality,
    Region,
    Ward,
    validate_cpr_field,
)


class Citizen(models.Model):
    cpr = models.CharField(_("CPR-nummer"), max_length=10, unique=True, validators=[validate_cpr_field])
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("bopælskommune")
    )
    # The language the citizen's own papers (the USR for the citizen, the aftalekort) were last printed in,
    # chosen when printing and offered again next time; "" (never chosen): Danish. Not a rule input.
    paper_language = models.CharField(
        _("sprog på borgerens papirer"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
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

    @classmethod
    def from_db(cls, db, field_names, values):
        citizen = super().from_db(db, field_names, values)
        # What the boards show of the citizen, as read: a save that changes it refreshes their rows.
        citizen._shown = (citizen.__dict__.get("name"), citizen.__dict__.get("cpr"))
        return citizen

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
    # The language the person's e-mails are written in (the screens follow the browser or the choice made
    # on the page); Danish unless they choose otherwise.
    language = models.CharField(_("sprog i e-mails"), max_length=8, choices=settings.LANGUAGES, default="da")

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
