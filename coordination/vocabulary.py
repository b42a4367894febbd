"""The product's one vocabulary: every code the users see, with its Danish name (translated by Django i18n).

Models, forms, screens, printouts and e-mails take their labels from here, so a message is called the same
everywhere (RULES.md's names: "Manuelt opdateret indlæggelsesrapport", "Melding om færdigbehandling").
The values are the codes of the rules engine (coordination.rules.types), which knows no Django.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination import rules


class MessageCode(models.TextChoices):
    """MedCom messages and the messages that follow from events (RULES.md "Messages")."""

    ADVIS_IND = "ADVIS-IND", _("Indlæggelsesadvis")
    ILR = "ILR", _("Indlæggelsesrapport")
    MILR = "MILR", _("Manuelt opdateret indlæggelsesrapport")
    PFP = "PFP", _("Plejeforløbsplan")
    KM = "KM", _("Korrespondancemeddelelse")
    USR = "USR", _("Udskrivningsrapport")
    GOP = "GOP", _("Genoptræningsplan")
    MOF = "MOF", _("Melding om færdigbehandling")
    MOF_GENOPTAGET = "MOF-GENOPTAGET", _("Behandling genoptaget")
    ADVIS_UD = "ADVIS-UD", _("Udskrivningsadvis")


class WaitingReason(models.TextChoices):
    """What a færdigbehandlet citizen waits for (R-FB-REG's `waiting_for`)."""

    MIDLERTIDIG_PLADS = "midlertidig_plads", _("midlertidig plads")
    GENOPTRAENINGSPLADS = "genoptraeningsplads", _("genoptræningsplads")
    PLEJEBOLIG = "plejebolig", _("plejebolig")
    HJAELPEMIDLER = "hjaelpemidler", _("hjælpemidler")
    BOLIGAENDRING = "boligaendring", _("boligændring")
    HJEMMEPLEJE = "hjemmepleje", _("hjemmepleje")
    ANDET = "andet", _("andet")


class Residence(models.TextChoices):
    """Where the citizen lives, or goes to at discharge."""

    OWN_HOME = "own_home", _("Eget hjem")
    PLEJEBOLIG = "plejebolig", _("Plejebolig")
    MIDLERTIDIG_PLADS = "midlertidig_plads", _("Midlertidig plads")


class ResumeReason(models.TextChoices):
    """Why treatment was resumed (R-FB-RESUME), as the form offers it and the timeline says it."""

    RELAPSE = "relapse", _("Tilbagefald eller ny sygdom: behandling genoptaget; MOF-GENOPTAGET sendt")
    ERROR = (
        "error",
        _("Færdigbehandlet registreret ved en fejl: registreringen annulleres; MOF-GENOPTAGET sendt"),
    )


class Party(models.TextChoices):
    """The two sides of a course, named as a sentence names them ("læst af kommunen")."""

    HOSPITAL = rules.HOSPITAL, _("hospitalet")
    MUNICIPALITY = rules.MUNICIPALITY, _("kommunen")


class ObligationState(models.TextChoices):
    """An obligation's state on screen: the stored status, with "overdue" for an open one past its due."""

    OPEN = "open", _("åben")
    OVERDUE = "overdue", _("overskredet")
    MET = "met", _("opfyldt")
    LATE = "late", _("opfyldt for sent")


class ObligationLabel(models.TextChoices):
    """What each duty asks, by rule id (R-READ's label names the message: `obligation_label`)."""

    R_MILR = "R-MILR", _("MILR sendes")
    R_PFP_COORD = "R-PFP-COORD", _("PFP om yderligere koordinering sendes")
    R_MUN_24H = "R-MUN-24H", _("Kommunen kontakter hospitalet")
    R_PFP_DATE = "R-PFP-DATE", _("PFP med sikker dato sendes")
    R_PFP_ALWAYS = "R-PFP-ALWAYS", _("Plejeforløbsplan sendes")
    R_PFP_ACK = "R-PFP-ACK", _("Kvittering: Plejeforløbsplan ok")
    R_CONFERENCE = "R-CONFERENCE", _("PFP sendes før planlægningskonference")
    R_CONFERENCE_MINUTES = "R-CONFERENCE-MINUTES", _("Beslutningsreferat skrives ind i PFP")
    R_CALL_13 = "R-CALL-13", _("Ring til kommunen")
    R_USR = "R-USR", _("Udskrivningsrapport sendes")
    R_ADVIS_UD = "R-ADVIS-UD", _("Udskrivning registreres")
    R_GOP_SEND = "R-GOP-SEND", _("Genoptræningsplan sendes")
    R_GOP_START = "R-GOP-START", _("Genoptræning påbegyndes")
    R_GOP_ANSWER = "R-GOP-ANSWER", _("Spørgsmål om genoptræningsplan besvares")
    R_MUN_PLAN = "R-MUN-PLAN", _("Kommunen meddeler plan for hjemtagning")
    R_FK = "R-FK", _("Opfølgende hjemmebesøg efter udskrivelsen")


class KmSubject(models.TextChoices):
    """The fixed KM subjects of RULES.md (seed 001). The value is what the message carries (R-PFP-ACK compares
    it with the profile's subject); the label is its name in the reader's language. Any other subject is
    the sender's free text."""

    PFP_OK = "Plejeforløbsplan ok", _("Plejeforløbsplan ok")
    PFP = "Plejeforløbsplan", _("Plejeforløbsplan")
    EXTENDED = "Udvidet koordinering", _("Udvidet koordinering")
    GOP = "Genoptræningsplan", _("Genoptræningsplan")


class SharingSection(models.TextChoices):
    """The USR's sections a citizen may decline to have passed on to the municipality (sundhedsloven § 41,
    `sharing_wishes`), named as the USR names them."""

    SUMMARY = "summary", _("Resumé af indlæggelsen")
    FUNCTION = "function", _("Funktionsevne")
    NURSING = "nursing", _("Sygeplejefaglige problemområder og handlinger")
    MEDICINE = "medicine", _("Medicin ved udskrivelsen")
    AIDS = "aids", _("Hjælpemidler")
    APPOINTMENTS = "appointments", _("Fremtidige aftaler")
    CONTACTS = "contacts", _("Andre kontakter")
    WISHES = "wishes", _("Borgerens egne ønsker")


def label(choices: type[models.TextChoices], code: str | None) -> str:
    """The name of a code in the reader's language; an unknown code as it is."""
    if code in choices.values:
        return str(choices(code).label)
    return code or ""


def labels(choices: type[models.TextChoices], codes) -> list[str]:
    return [label(choices, code) for code in codes or ()]


assert set(MessageCode.values) == set(rules.READ_CODES)
assert set(WaitingReason.values) == set(rules.WAITING_REASONS)
assert set(Residence.values) == set(rules.types.RESIDENCES)
assert tuple(SharingSection.values) == rules.SHARING_SECTIONS
assert set(ResumeReason.values) == set(rules.types.RESUME_REASONS)
