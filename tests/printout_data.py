"""A citizen's course up to a USR with everything a printout shows: help, medicine, appointments, contacts."""

from datetime import datetime
from zoneinfo import ZoneInfo

from coordination import services
from coordination.services import Actor

CPH = ZoneInfo("Europe/Copenhagen")


def cph(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CPH)


USR_CONTENT = {
    "summary": "Du blev indlagt med lungebetændelse og væske i lungerne. Du er behandlet med penicillin "
    "og vanddrivende medicin, og du har det bedre nu.",
    "function": "Du går selv med rollator inde i boligen. Du skal have hjælp til bad og til at tage "
    "støttestrømper på. Du spiser og drikker selv.",
    "nursing": [
        "Væskeregnskab: vejes hver morgen; ring til afsnittet ved vægtøgning over 2 kg på tre dage",
        "Sår på venstre underben: skiftes mandag og torsdag",
    ],
    "help": [
        {"what": "Hjælp til bad og støttestrømper hver morgen", "by": "Hjemmeplejen", "from": "2026-02-06"},
        {"what": "Sygeplejerske skifter forbinding på benet", "by": "Hjemmesygeplejen", "from": "2026-02-07"},
    ],
    "medicine": [
        {"name": "Furix 40 mg", "dose": "1 tablet om morgenen", "note": "Vanddrivende"},
        {"name": "Penicillin 1 mio. IE", "dose": "2 tabletter 3 gange dagligt", "note": "Til og med søndag"},
        {"name": "Pinex 500 mg", "dose": "2 tabletter op til 4 gange dagligt ved smerter", "note": ""},
    ],
    "appointments": [
        {
            "at": "2026-02-19T10:30:00+01:00",
            "what": "Kontrol af lungerne hos lægen",
            "where": "Lungeambulatoriet, Nordsjællands Hospital, indgang 14",
        },
        {"at": "2026-02-10", "what": "Blodprøve hos egen læge", "where": "Lægehuset Søndergade"},
    ],
    "contacts": [
        {"name": "Egen læge, Lægehuset Søndergade", "phone": "48 24 11 00", "note": "hverdage 8-15"}
    ],
    "municipality_contact": {"name": "Visitationen", "phone": "72 32 10 00"},
}
PFP_CONTENT = {
    "status": "Karen er forpustet ved gang og har brug for hjælp til personlig pleje.",
    "plan": "Hjemmepleje morgen og aften. Sygepleje to gange om ugen til sår.",
}


def course_to_usr(admission, *, usr: bool = True, region_has_call: bool = True):
    """Karen's course after the `admission` fixture: PFP, a conference, a planned discharge to her own home on
    Friday 6 February 2026 at 10:00 with rehabilitation, the USR with its content and the GOP."""
    hospital = Actor(side="hospital", organisation=str(admission.ward))
    municipality = Actor(side="municipality", organisation=str(admission.municipality))
    step = iter(
        [
            cph(f"2026-02-{d} {t}")
            for d, t in [
                ("03", "09:00"),
                ("03", "11:00"),
                ("04", "10:00"),
                ("04", "12:00"),
                ("05", "09:00"),
                ("05", "09:30"),
                ("05", "11:00"),
                ("05", "11:10"),
            ]
        ]
    )
    at = next(step)
    services.send_pfp(
        admission,
        at=at,
        faerdigbehandlet_date=cph("2026-02-06 00:00").date(),
        date_certain=False,
        coordination_needed=False,
        actor=hospital,
        now=at,
        content=PFP_CONTENT,
    )
    at = next(step)
    services.plan_conference(admission, at=at, conference_at=cph("2026-02-04 10:00"), actor=hospital, now=at)
    at = next(step)
    services.hold_conference(admission, at=at, discharge_at=cph("2026-02-06 10:00"), actor=hospital, now=at)
    at = next(step)
    services.send_pfp(
        admission,
        at=at,
        faerdigbehandlet_date=cph("2026-02-06 00:00").date(),
        date_certain=True,
        coordination_needed=False,
        actor=hospital,
        now=at,
        content={
            **PFP_CONTENT,
            "decisions": "Udskrives fredag kl. 10 til eget hjem med hjemmepleje; plejeseng leveres torsdag.",
        },
    )
    at = next(step)
    services.plan_discharge(
        admission,
        at=at,
        discharge_at=cph("2026-02-06 10:00"),
        needs_changed=True,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        rehabilitation_needed=True,
        actor=hospital,
        now=at,
    )
    at = next(step)
    services.record_phone_agreement(
        admission, at=at, discharge_at=cph("2026-02-06 10:00"), actor=municipality, now=at
    )
    if usr:
        at = next(step)
        services.send_message(admission, "USR", at=at, actor=hospital, now=at, content=USR_CONTENT)
        at = next(step)
        services.send_message(admission, "GOP", at=at, actor=hospital, now=at)
    admission.refresh_from_db()
    return admission
