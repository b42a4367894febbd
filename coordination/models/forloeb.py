"""Forløbskoordination (R-FK, seed 004): one course per admission, derived from its timeline by the rules
engine (`rules.forloeb`) and stored for the coordinator's list and the yearly report (R-FK-QUALITY)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination import rules
from coordination.models.admissions import Admission
from coordination.models.places import HOSPITAL, MUNICIPALITY, Side


class ForloebQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_at__isnull=True)

    def coordinated_by(self, user):
        """The coordinator's own list ("Mine forløb"): the open courses naming the user, that they may see."""
        return self.open().filter(coordinator=user, admission__in=Admission.objects.visible_to(user))


class Forloeb(models.Model):
    """Derived, never edited by hand: rewritten by every event on the admission (services.derived.store)."""

    admission = models.OneToOneField(Admission, on_delete=models.CASCADE, related_name="forloeb")
    included_at = models.DateTimeField(_("inkluderet"))
    included_by = models.CharField(_("inkluderet af"), max_length=12, choices=Side.choices)
    criteria = models.JSONField(_("kriterier"), default=list, blank=True)
    # The coordinator as named on the timeline (a user name); the user while the account exists.
    coordinator_username = models.CharField(_("forløbskoordinator"), max_length=150)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coordinator_side = models.CharField(_("koordinatorens part"), max_length=12, choices=Side.choices)
    visit_due_on = models.DateField(_("hjemmebesøg senest"), null=True, blank=True)
    visit_done_at = models.DateTimeField(_("hjemmebesøg gennemført"), null=True, blank=True)
    ended_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    # R-FK-QUALITY: True met, False not met, None does not apply / not decided yet (rules.FK_QUALITY).
    q_ilr = models.BooleanField(null=True, blank=True)
    q_discharge_plan = models.BooleanField(null=True, blank=True)
    q_pfp = models.BooleanField(null=True, blank=True)
    q_mof = models.BooleanField(null=True, blank=True)
    q_usr = models.BooleanField(null=True, blank=True)
    q_epikrise = models.BooleanField(null=True, blank=True)

    objects = ForloebQuerySet.as_manager()

    class Meta:
        ordering = ["-included_at"]
        verbose_name = _("forløbskoordination")
        verbose_name_plural = _("forløbskoordinationer")
        constraints = [
            models.CheckConstraint(
                condition=Q(coordinator_side__in=[HOSPITAL, MUNICIPALITY]), name="forloeb_coordinator_side"
            ),
            models.CheckConstraint(
                condition=Q(included_by__in=[HOSPITAL, MUNICIPALITY]), name="forloeb_included_by_side"
            ),
        ]
        indexes = [
            # The yearly report (R-FK-QUALITY) groups courses by the year of their inclusion.
            models.Index(fields=["included_at"], name="forloeb_year_report"),
            models.Index(fields=["coordinator", "ended_at"], name="forloeb_mine"),
        ]

    def __str__(self) -> str:
        return f"forløbskoordination {self.included_at:%d.%m.%Y}"

    def quality(self) -> dict[str, bool | None]:
        return {name: getattr(self, f"q_{name}") for name in rules.FK_QUALITY}
