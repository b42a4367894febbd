"""Danish reference data: regions, municipalities, demo hospitals and names.

Pure data, no Django imports, so that migrations, commands, the demo generator and tests can all use it.

Regions and municipalities carry their official codes (Danmarks Statistik / DAGI: regionskode 1081–1085,
kommunekode as a zero-padded four-digit string). Christiansø (0411) has a code but is not a municipality
(it is administered by the state), so it is left out: there are exactly 98 municipalities.
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    """One of the five Danish regions."""

    code: str  # official four-digit regionskode, e.g. "1084"
    name: str  # official name, e.g. "Region Hovedstaden"
    slug: str  # ascii slug, also the agreement profile name where there is one


class Municipality(NamedTuple):
    """One of the 98 Danish municipalities (kommuner)."""

    code: str  # official kommunekode, zero-padded: "0101"
    name: str  # official short name in Danish, without "Kommune"
    region_code: str  # the Region.code it belongs to


class Ward(NamedTuple):
    """A hospital ward (afsnit/afdeling) with the phone number the municipality calls."""

    name: str
    phone: str  # "NN NN NN NN"


class Hospital(NamedTuple):
    """A hospital and its wards, for demo data and as reference when a ward is created."""

    name: str
    region_slug: str
    wards: tuple[Ward, ...]


REGIONS: tuple[Region, ...] = (
    Region("1081", "Region Nordjylland", "nordjylland"),
    Region("1082", "Region Midtjylland", "midtjylland"),
    Region("1083", "Region Syddanmark", "syddanmark"),
    Region("1084", "Region Hovedstaden", "hovedstaden"),
    Region("1085", "Region Sjælland", "sjaelland"),
)

_HOVEDSTADEN = "1084"
_SJAELLAND = "1085"
_SYDDANMARK = "1083"
_MIDTJYLLAND = "1082"
_NORDJYLLAND = "1081"

MUNICIPALITIES: tuple[Municipality, ...] = (
    # Region Hovedstaden (29)
    Municipality("0101", "København", _HOVEDSTADEN),
    Municipality("0147", "Frederiksberg", _HOVEDSTADEN),
    Municipality("0151", "Ballerup", _HOVEDSTADEN),
    Municipality("0153", "Brøndby", _HOVEDSTADEN),
    Municipality("0155", "Dragør", _HOVEDSTADEN),
    Municipality("0157", "Gentofte", _HOVEDSTADEN),
    Municipality("0159", "Gladsaxe", _HOVEDSTADEN),
    Municipality("0161", "Glostrup", _HOVEDSTADEN),
    Municipality("0163", "Herlev", _HOVEDSTADEN),
    Municipality("0165", "Albertslund", _HOVEDSTADEN),
    Municipality("0167", "Hvidovre", _HOVEDSTADEN),
    Municipality("0169", "Høje-Taastrup", _HOVEDSTADEN),
    Municipality("0173", "Lyngby-Taarbæk", _HOVEDSTADEN),
    Municipality("0175", "Rødovre", _HOVEDSTADEN),
    Municipality("0183", "Ishøj", _HOVEDSTADEN),
    Municipality("0185", "Tårnby", _HOVEDSTADEN),
    Municipality("0187", "Vallensbæk", _HOVEDSTADEN),
    Municipality("0190", "Furesø", _HOVEDSTADEN),
    Municipality("0201", "Allerød", _HOVEDSTADEN),
    Municipality("0210", "Fredensborg", _HOVEDSTADEN),
    Municipality("0217", "Helsingør", _HOVEDSTADEN),
    Municipality("0219", "Hillerød", _HOVEDSTADEN),
    Municipality("0223", "Hørsholm", _HOVEDSTADEN),
    Municipality("0230", "Rudersdal", _HOVEDSTADEN),
    Municipality("0240", "Egedal", _HOVEDSTADEN),
    Municipality("0250", "Frederikssund", _HOVEDSTADEN),
    Municipality("0260", "Halsnæs", _HOVEDSTADEN),
    Municipality("0270", "Gribskov", _HOVEDSTADEN),
    Municipality("0400", "Bornholm", _HOVEDSTADEN),
    # Region Sjælland (17)
    Municipality("0253", "Greve", _SJAELLAND),
    Municipality("0259", "Køge", _SJAELLAND),
    Municipality("0265", "Roskilde", _SJAELLAND),
    Municipality("0269", "Solrød", _SJAELLAND),
    Municipality("0306", "Odsherred", _SJAELLAND),
    Municipality("0316", "Holbæk", _SJAELLAND),
    Municipality("0320", "Faxe", _SJAELLAND),
    Municipality("0326", "Kalundborg", _SJAELLAND),
    Municipality("0329", "Ringsted", _SJAELLAND),
    Municipality("0330", "Slagelse", _SJAELLAND),
    Municipality("0336", "Stevns", _SJAELLAND),
    Municipality("0340", "Sorø", _SJAELLAND),
    Municipality("0350", "Lejre", _SJAELLAND),
    Municipality("0360", "Lolland", _SJAELLAND),
    Municipality("0370", "Næstved", _SJAELLAND),
    Municipality("0376", "Guldborgsund", _SJAELLAND),
    Municipality("0390", "Vordingborg", _SJAELLAND),
    # Region Syddanmark (22)
    Municipality("0410", "Middelfart", _SYDDANMARK),
    Municipality("0420", "Assens", _SYDDANMARK),
    Municipality("0430", "Faaborg-Midtfyn", _SYDDANMARK),
    Municipality("0440", "Kerteminde", _SYDDANMARK),
    Municipality("0450", "Nyborg", _SYDDANMARK),
    Municipality("0461", "Odense", _SYDDANMARK),
    Municipality("0479", "Svendborg", _SYDDANMARK),
    Municipality("0480", "Nordfyns", _SYDDANMARK),
    Municipality("0482", "Langeland", _SYDDANMARK),
    Municipality("0492", "Ærø", _SYDDANMARK),
    Municipality("0510", "Haderslev", _SYDDANMARK),
    Municipality("0530", "Billund", _SYDDANMARK),
    Municipality("0540", "Sønderborg", _SYDDANMARK),
    Municipality("0550", "Tønder", _SYDDANMARK),
    Municipality("0561", "Esbjerg", _SYDDANMARK),
    Municipality("0563", "Fanø", _SYDDANMARK),
    Municipality("0573", "Varde", _SYDDANMARK),
    Municipality("0575", "Vejen", _SYDDANMARK),
    Municipality("0580", "Aabenraa", _SYDDANMARK),
    Municipality("0607", "Fredericia", _SYDDANMARK),
    Municipality("0621", "Kolding", _SYDDANMARK),
    Municipality("0630", "Vejle", _SYDDANMARK),
    # Region Midtjylland (19)
    Municipality("0615", "Horsens", _MIDTJYLLAND),
    Municipality("0657", "Herning", _MIDTJYLLAND),
    Municipality("0661", "Holstebro", _MIDTJYLLAND),
    Municipality("0665", "Lemvig", _MIDTJYLLAND),
    Municipality("0671", "Struer", _MIDTJYLLAND),
    Municipality("0706", "Syddjurs", _MIDTJYLLAND),
    Municipality("0707", "Norddjurs", _MIDTJYLLAND),
    Municipality("0710", "Favrskov", _MIDTJYLLAND),
    Municipality("0727", "Odder", _MIDTJYLLAND),
    Municipality("0730", "Randers", _MIDTJYLLAND),
    Municipality("0740", "Silkeborg", _MIDTJYLLAND),
    Municipality("0741", "Samsø", _MIDTJYLLAND),
    Municipality("0746", "Skanderborg", _MIDTJYLLAND),
    Municipality("0751", "Aarhus", _MIDTJYLLAND),
    Municipality("0756", "Ikast-Brande", _MIDTJYLLAND),
    Municipality("0760", "Ringkøbing-Skjern", _MIDTJYLLAND),
    Municipality("0766", "Hedensted", _MIDTJYLLAND),
    Municipality("0779", "Skive", _MIDTJYLLAND),
    Municipality("0791", "Viborg", _MIDTJYLLAND),
    # Region Nordjylland (11)
    Municipality("0773", "Morsø", _NORDJYLLAND),
    Municipality("0787", "Thisted", _NORDJYLLAND),
    Municipality("0810", "Brønderslev", _NORDJYLLAND),
    Municipality("0813", "Frederikshavn", _NORDJYLLAND),
    Municipality("0820", "Vesthimmerlands", _NORDJYLLAND),
    Municipality("0825", "Læsø", _NORDJYLLAND),
    Municipality("0840", "Rebild", _NORDJYLLAND),
    Municipality("0846", "Mariagerfjord", _NORDJYLLAND),
    Municipality("0849", "Jammerbugt", _NORDJYLLAND),
    Municipality("0851", "Aalborg", _NORDJYLLAND),
    Municipality("0860", "Hjørring", _NORDJYLLAND),
)

# Demo wards and phone numbers. The phone numbers are DEMO NUMBERS in the "38 63 xx xx" style of a
# Copenhagen hospital switchboard; they are not the wards' real direct lines and must not be called.
HOSPITALS: dict[str, tuple[Hospital, ...]] = {
    "hovedstaden": (
        Hospital(
            "Nordsjællands Hospital",
            "hovedstaden",
            (
                Ward("Medicinsk afdeling", "38 63 10 10"),
                Ward("Geriatrisk afdeling", "38 63 10 20"),
                Ward("Ortopædkirurgisk afdeling", "38 63 10 30"),
                Ward("Lungemedicinsk afdeling", "38 63 10 40"),
            ),
        ),
        Hospital(
            "Herlev og Gentofte Hospital",
            "hovedstaden",
            (
                Ward("Medicinsk afdeling", "38 63 20 10"),
                Ward("Kardiologisk afdeling", "38 63 20 20"),
                Ward("Lungemedicinsk afdeling", "38 63 20 30"),
            ),
        ),
        Hospital(
            "Bispebjerg og Frederiksberg Hospital",
            "hovedstaden",
            (
                Ward("Geriatrisk afdeling", "38 63 30 10"),
                Ward("Medicinsk afdeling", "38 63 30 20"),
                Ward("Ortopædkirurgisk afdeling", "38 63 30 30"),
            ),
        ),
        Hospital(
            "Amager og Hvidovre Hospital",
            "hovedstaden",
            (
                Ward("Medicinsk afdeling", "38 63 40 10"),
                Ward("Geriatrisk afdeling", "38 63 40 20"),
                Ward("Ortopædkirurgisk afdeling", "38 63 40 30"),
                Ward("Kardiologisk afdeling", "38 63 40 40"),
            ),
        ),
        Hospital(
            "Rigshospitalet",
            "hovedstaden",
            (
                Ward("Kardiologisk afdeling", "38 63 50 10"),
                Ward("Lungemedicinsk afdeling", "38 63 50 20"),
            ),
        ),
        Hospital(
            "Bornholms Hospital",
            "hovedstaden",
            (
                Ward("Medicinsk afdeling", "38 63 60 10"),
                Ward("Ortopædkirurgisk afdeling", "38 63 60 20"),
            ),
        ),
    ),
    "sjaelland": (
        Hospital(
            "Sjællands Universitetshospital, Køge",
            "sjaelland",
            (
                Ward("Medicinsk afdeling", "38 63 70 10"),
                Ward("Geriatrisk afdeling", "38 63 70 20"),
                Ward("Ortopædkirurgisk afdeling", "38 63 70 30"),
            ),
        ),
        Hospital(
            "Holbæk Sygehus",
            "sjaelland",
            (
                Ward("Medicinsk afdeling", "38 63 71 10"),
                Ward("Lungemedicinsk afdeling", "38 63 71 20"),
            ),
        ),
    ),
    "midtjylland": (
        Hospital(
            "Aarhus Universitetshospital",
            "midtjylland",
            (
                Ward("Medicinsk afdeling", "38 63 80 10"),
                Ward("Kardiologisk afdeling", "38 63 80 20"),
                Ward("Geriatrisk afdeling", "38 63 80 30"),
            ),
        ),
        Hospital(
            "Regionshospitalet Gødstrup",
            "midtjylland",
            (
                Ward("Medicinsk afdeling", "38 63 81 10"),
                Ward("Ortopædkirurgisk afdeling", "38 63 81 20"),
            ),
        ),
    ),
}

# Approximate catchment areas (optageområder) of the Hovedstaden demo hospitals, by municipality code, so
# that demo citizens live where the hospital would admit them. Simplified: København and Egedal are split
# between hospitals in reality, and Rigshospitalet takes patients from the whole region.
HOSPITAL_CATCHMENT: dict[str, tuple[str, ...]] = {
    "Nordsjællands Hospital": ("0201", "0210", "0217", "0219", "0223", "0240", "0250", "0260", "0270"),
    "Herlev og Gentofte Hospital": ("0151", "0157", "0159", "0163", "0173", "0190", "0230", "0240"),
    "Bispebjerg og Frederiksberg Hospital": ("0101", "0147"),
    "Amager og Hvidovre Hospital": (
        "0101",
        "0153",
        "0155",
        "0161",
        "0165",
        "0167",
        "0169",
        "0175",
        "0183",
        "0185",
        "0187",
    ),
    "Rigshospitalet": ("0101", "0147", "0157", "0173"),
    "Bornholms Hospital": ("0400",),
}

# Common first names and surnames of Danes born roughly 1930–1960 (citizens aged 65–95).
FIRST_NAMES_FEMALE: tuple[str, ...] = (
    "Karen", "Inger", "Kirsten", "Hanne", "Lis", "Bente", "Birthe", "Grethe", "Ruth", "Else",
    "Ellen", "Gerda", "Edith", "Jytte", "Annelise", "Anna", "Ingrid", "Birgit", "Inge", "Ulla",
    "Tove", "Elly", "Aase", "Solveig", "Dorthe", "Merete", "Vibeke", "Gudrun", "Bodil", "Margrethe",
)  # fmt: skip

FIRST_NAMES_MALE: tuple[str, ...] = (
    "Jens", "Niels", "Hans", "Poul", "Jørgen", "Peter", "Erik", "Henning", "Ole", "Knud",
    "Carl", "Bent", "Svend", "Leif", "Finn", "Kurt", "Arne", "Kaj", "Preben", "Flemming",
    "Bjarne", "Aksel", "Børge", "Egon", "Mogens", "Ib", "Verner", "Holger", "Palle", "Aage",
)  # fmt: skip

SURNAMES: tuple[str, ...] = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen",
    "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen", "Mikkelsen", "Olesen",
    "Frederiksen", "Laursen", "Henriksen", "Holm", "Kjær", "Østergaard",
)  # fmt: skip


def region_by_slug(slug: str) -> Region:
    """The region with this slug; KeyError when there is none."""
    for region in REGIONS:
        if region.slug == slug:
            return region
    raise KeyError(slug)


def region_by_code(code: str) -> Region:
    """The region with this official code; KeyError when there is none."""
    for region in REGIONS:
        if region.code == code:
            return region
    raise KeyError(code)


def municipality_by_code(code: str) -> Municipality:
    """The municipality with this official four-digit code; KeyError when there is none."""
    for municipality in MUNICIPALITIES:
        if municipality.code == code:
            return municipality
    raise KeyError(code)


def municipalities_in_region(slug: str) -> tuple[Municipality, ...]:
    """The municipalities of the region with this slug, in code order."""
    region = region_by_slug(slug)
    return tuple(sorted((m for m in MUNICIPALITIES if m.region_code == region.code), key=lambda m: m.code))
