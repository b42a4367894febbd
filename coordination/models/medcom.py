"""MedCom messages received and sent, the units that send them and the episode-of-care identifiers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.models.admissions import Admission
from coordination.models.events import Event
from coordination.models.people import Citizen
from coordination.models.places import Municipality


class MedcomUnit(models.Model):
    """A SOR unit that receives MedCom messages for a municipality (a plejecenter, the home care …): the
    receiver of a HospitalNotification names the municipality whose citizens it is about. Kept by an
    administrator; a message to an unknown unit is refused, never guessed."""

    sor_code = models.CharField(
        _("SOR-kode"), max_length=20, unique=True, validators=[RegexValidator(r"^\d{9,18}$")]
    )
    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="medcom_units")
    # The unit's EAN/GLN (lokationsnummer): a KM written here is sent from (or to) it as a CareCommunication.
    ean = models.CharField(
        _("EAN-nummer"), max_length=13, blank=True, validators=[RegexValidator(r"^\d{13}$")]
    )

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
    # How it came: the gateway's sending organisation (its token), empty for a file read by import_medcom.
    received_via = models.CharField(_("modtaget via"), max_length=200, blank=True)
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


class GatewayToken(models.Model):
    """The key a sending organisation's message gateway posts MedCom messages with (`/medcom/gateway/`). An
    administrator issues it in the admin; it is shown once and only its SHA-256 is stored. A message is
    taken only from the organisation (SOR code) the token was issued to; a revoked token opens nothing."""

    organisation = models.CharField(_("afsender"), max_length=200)
    sor_code = models.CharField(
        _("afsenderens SOR-kode"), max_length=20, validators=[RegexValidator(r"^\d{9,18}$")]
    )
    prefix = models.CharField(_("nøglens begyndelse"), max_length=8, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("udstedt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("nøgle til beskedgateway")
        verbose_name_plural = _("nøgler til beskedgateway")
        constraints = [
            models.CheckConstraint(
                condition=Q(sor_code__regex=r"^\d{9,18}$"), name="gateway_token_sor_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.sor_code}) {self.prefix}…"
