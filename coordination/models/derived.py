"""What the rules engine derives from a timeline, stored for queries: obligations, færdigbehandling
periods and days, and the fee tariff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coordination import rules
from coordination.models.admissions import Admission
from coordination.models.places import HOSPITAL, MUNICIPALITY, Side


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
    # The engine's judgement (rules.Obligation.possible, R-FLOW): False when the owner can no longer meet
    # it; the reason is a text key (coordination.texts).
    possible = models.BooleanField(_("kan opfyldes"), default=True)
    impossible_reason = models.CharField(max_length=60, blank=True)
    # Issue 14: why it is due when it is ({"key", "params"}: rules.Why, made a sentence when shown by
    # coordination.why_texts), and the step that meets it (rules.Step.key, "" when none can now).
    why = models.JSONField(_("hvorfor"), default=dict, blank=True)
    step = models.CharField(max_length=40, blank=True)

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
            # The board's "still owed" and "overdue" per admission (issue 15): a probe, not a scan of every
            # open obligation of the region.
            models.Index(
                fields=["admission", "owner", "due_at"],
                condition=models.Q(status="open"),
                name="obligation_open_per_admission",
            ),
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
