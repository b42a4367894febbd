"""The text of the demo's USR and PFP messages (`content`, see coordination/printouts/content.py), so that the
demo's printouts read like real ones. Pure and deterministic: its own rng, so the timelines' times do not
change. Phone numbers are DEMO NUMBERS, not real lines, and must not be called."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from coordination.rules.calendar import COPENHAGEN

CPH = COPENHAGEN  # the one definition of the product's time zone

_REASONS = (
    (
        "Du blev indlagt med lungebetændelse. Du er behandlet med penicillin og har det bedre nu.",
        "Penicillin 1 mio. IE",
        "2 tabletter 3 gange dagligt",
        "Tages til og med pakken er tom",
    ),
    (
        "Du blev indlagt, fordi du faldt derhjemme og slog hoften. Der er ikke noget brud, men du har ondt, "
        "når du går.",
        "Panodil 500 mg",
        "2 tabletter 4 gange dagligt",
        "Mod smerter",
    ),
    (
        "Du blev indlagt med væske i lungerne på grund af hjertesvigt. Du har fået vanddrivende medicin.",
        "Furix 40 mg",
        "1 tablet om morgenen",
        "Vanddrivende; vej dig hver morgen",
    ),
    (
        "Du blev indlagt med en urinvejsinfektion og var forvirret. Infektionen er behandlet.",
        "Selexid 200 mg",
        "1 tablet 3 gange dagligt",
        "Til og med søndag",
    ),
    (
        "Du blev indlagt med et sukkersygeanfald. Din insulin er justeret.",
        "NovoRapid",
        "Efter skema fra afsnittet",
        "Mål blodsukker før hvert måltid",
    ),
)
_FUNCTIONS = (
    "Du går selv med rollator inde i boligen. Du skal have hjælp til bad og til at tage strømper på.",
    "Du kan gå korte ture med stok. Du skal have hjælp til indkøb og rengøring.",
    "Du skal have hjælp til at komme ud af sengen morgen og aften. Du spiser selv.",
    "Du klarer dig selv i boligen, men bliver hurtigt træt. Hvil dig flere gange om dagen.",
)
_HELP = (
    ("Hjælp til bad og påklædning hver morgen", "Hjemmeplejen"),
    ("Hjælp til at komme i seng om aftenen", "Hjemmeplejen"),
    ("Sygeplejerske skifter forbinding to gange om ugen", "Hjemmesygeplejen"),
    ("Hjælp til medicin morgen og aften", "Hjemmesygeplejen"),
    ("Indkøb én gang om ugen", "Hjemmeplejen"),
)
_APPOINTMENTS = (
    ("Kontrol hos lægen i ambulatoriet", "Ambulatoriet, indgang 2"),
    ("Blodprøve", "Egen læge"),
    ("Samtale med sygeplejerske om din medicin", "Ambulatoriet, indgang 2"),
)
_AIDS = ("Rollator", "Badebænk", "Plejeseng", "Toiletforhøjer")
_WISHES = (
    "",
    "Vil gerne selv bestemme, hvornår der er bad.",
    "Ønsker at datteren er med ved det første besøg.",
)
_STATUS = (
    "Borgeren er afklaret og samarbejdende. Har brug for hjælp til personlig pleje.",
    "Borgeren er træt og forpustet ved gang. Mobiliseres med rollator.",
    "Borgeren er periodevis forvirret om aftenen. Pårørende er orienteret.",
)
_PLANS = (
    "Hjemmepleje morgen og aften. Hjælpemidler: badebænk.",
    "Sygepleje til sår to gange om ugen. Kontrol i ambulatoriet.",
    "Genoptræning af gangfunktion efter udskrivelsen.",
)


def _phone(rng: random.Random) -> str:
    return f"44 77 {rng.randint(10, 99)} {rng.randint(10, 99)}"  # a DEMO NUMBER


def usr_content(rng: random.Random, discharge_at: datetime) -> dict[str, Any]:
    summary, medicine, dose, note = rng.choice(_REASONS)
    start = discharge_at.date()
    help_ = rng.sample(_HELP, rng.randint(1, 3))
    appointments = []
    for what, where in rng.sample(_APPOINTMENTS, rng.randint(1, 2)):
        day = start + timedelta(days=rng.randint(5, 20))
        at = datetime.combine(day, time(rng.choice((9, 10, 11, 13)), rng.choice((0, 15, 30))), CPH)
        appointments.append({"at": at.isoformat(), "what": what, "where": where})
    return {
        "summary": summary,
        "function": rng.choice(_FUNCTIONS),
        "nursing": [
            {"area": "Almentilstand", "action": "Observeret dagligt; væskeindtag og vægt noteret"},
            {"area": "Personlig hygiejne", "action": "Hjælp til bad og påklædning hver morgen"},
        ],
        "help": [
            {"what": what, "by": by, "from": (start + timedelta(days=i)).isoformat()}
            for i, (what, by) in enumerate(help_)
        ],
        "medicine": [
            {"name": medicine, "dose": dose, "note": note},
            {
                "name": "Pinex 500 mg",
                "dose": "2 tabletter op til 4 gange dagligt",
                "note": "Ved smerter",
                "kind": "pn",
                "last_given": (discharge_at - timedelta(hours=3)).isoformat(),
            },
            *(
                [
                    {
                        "name": "Prolia 60 mg",
                        "dose": "1 indsprøjtning hvert halve år",
                        "kind": "depot",
                        "last_given": (discharge_at - timedelta(days=1)).isoformat(),
                        "in_fmk": False,
                    }
                ]
                if rng.random() < 0.3
                else []
            ),
        ],
        "aids": rng.sample(_AIDS, rng.randint(0, 2)),
        "wishes": rng.choice(_WISHES),
        "appointments": appointments,
        "contacts": [{"name": "Egen læge", "phone": _phone(rng), "note": "hverdage kl. 8-15"}],
        "municipality_contact": {"name": "Visitationen", "phone": _phone(rng)},
    }


def pfp_content(rng: random.Random) -> dict[str, Any]:
    return {"status": rng.choice(_STATUS), "plan": rng.choice(_PLANS)}


def with_content(events: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """The events with `content` added to each USR (after a planned discharge) and each PFP."""
    discharge_at = None
    for event in events:
        if event["type"] == "discharge_planned":
            discharge_at = datetime.fromisoformat(event["discharge_at"]).astimezone(CPH)
        elif event["type"] == "message" and event["code"] == "PFP":
            event["content"] = pfp_content(rng)
        elif event["type"] == "message" and event["code"] == "USR" and discharge_at is not None:
            event["content"] = usr_content(rng, discharge_at)
    return events
