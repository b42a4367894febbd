"""The printouts of issue 16: the citizen's papers in Danish or English (chosen when printing, remembered per
citizen), the staff printouts in the reader's language, plain words and few pages on the citizen's copy,
"printet" in the footers and "udskrevet" only for the discharge, the appointments on the aftalekort, the PFP's
dates as sent, the downtime board's owner apart from the duty, name and CPR on every page, 404 for a stranger,
and a picture of each first page in tests/artifacts/."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from coordination import services
from coordination.cpr import format_cpr
from coordination.models import AccessLog, Citizen
from coordination.printouts import aftalekort, nedbrud, pfp, usr
from coordination.services import Actor
from tests.factories import CitizenFactory, WardFactory, logged_in, municipality, region
from tests.printout_data import course_to_usr, cph

PRINTED = cph("2026-02-05 11:30")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CITIZEN_PAPERS = ("usr.pdf", "aftalekort.pdf")
STAFF_PAPERS = ("usr-kommune.pdf", "pfp.pdf")

# A USR with every section filled, in English (the citizen's typed text is not the printout's words: the
# English copy is checked with English content so that any Danish found is the template's).
ENGLISH_USR = {
    "summary": "You came in with pneumonia. You had antibiotics and feel better now.",
    "function": "You walk with a walker indoors. You need help to shower.",
    "nursing": [
        {"area": "Skin", "action": "wound on the left leg cleaned and dressed"},
        {"area": "Nutrition", "action": "weighed every morning"},
    ],
    "help": [
        {"what": "Help to shower every morning", "by": "Home care", "from": "2026-02-07"},
        {"what": "A nurse changes the dressing", "by": "Home nursing", "from": "2026-02-08"},
    ],
    "medicine": [
        {"name": "Furosemide 40 mg", "dose": "1 tablet each morning", "note": "water tablet"},
        {
            "name": "Morphine 10 mg",
            "dose": "1 tablet for pain",
            "kind": "pn",
            "last_given": "2026-02-05T06:15:00+01:00",
        },
        {
            "name": "Methylprednisolone depot",
            "kind": "depot",
            "last_given": "2026-02-04T09:00:00+01:00",
            "in_fmk": False,
        },
    ],
    "aids": ["Walker", "Shower stool"],
    "rehabilitation_where": "Rehabilitation Centre North",
    "wishes": "Wants to decide when to shower.",
    "appointments": [
        {"at": "2026-02-19T10:30:00+01:00", "what": "Lung check-up", "where": "Lung clinic, entrance 14"},
        {"at": "2026-02-10T08:15:00+01:00", "what": "Blood test at the GP", "where": "Medical Centre North"},
    ],
    "contacts": [{"name": "GP, Medical Centre North", "phone": "48 24 11 00", "note": "weekdays 8-15"}],
    "municipality_contact": {"name": "Visitation", "phone": "72 32 10 00"},
}

DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
# Common Danish words of the printouts that are not English words (whole words, any case).
DANISH_WORDS = set(
    """og ikke skal er det der af til på du dig din dine har kan med fra hvem hvad hvorfor sådan ringe kære
    hilsen venlig udskrevet udskrives udskrivning udskrivningsrapport printet indlagt indlæggelse afsnittet
    kommunen kommune hospitalet borgeren borger medicin aftaler aftale sted genoptræning hjælp hjælpemidler
    ønsker senest gælder ingen endnu efter behov sidst givet udgave rettet foreløbig livsfare mine min jeg tlf
    kl mandag tirsdag onsdag torsdag fredag lørdag søndag februar tavlen frist sikker forventet
    færdigbehandlet ja nej aftalt planlagt""".split()
)
ABBREVIATIONS = re.compile(r"\b(USR|GOP|PFP|PN|FMK|EOJ|MILR)\b|\bR-[A-Z0-9]")


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded (a phrase may break over lines)."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return " ".join(pages(pdf))


def danish_in(body: str, *names: str) -> list[str]:
    """The Danish words and letters left in `body` once the people's and places' own names are taken out."""
    for name in sorted(names, key=len, reverse=True):
        body = body.replace(name, " ")
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", body)}
    return sorted(words & DANISH_WORDS) + DANISH_LETTERS.findall(body)


def place_names(admission) -> tuple[str, ...]:
    return (
        admission.citizen.name,
        admission.ward.name,
        admission.ward.hospital.name,
        str(admission.municipality),
        admission.municipality.name,
    )


def english_speaking(user):
    client = logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def karen(admission):
    """Karen Hansen the day before her discharge, the Danish USR sent (tests/printout_data.py)."""
    return course_to_usr(admission)


def full_course(profile="midtjylland", content=ENGLISH_USR, left=False):
    """A course in a region with R-72H (the ward's phone until the window ends) and every USR section."""
    ward = WardFactory(name="Medicinsk afdeling", hospital__region=region(profile), phone="38 63 70 10")
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0751"))
    actor = Actor(side="hospital", organisation=str(ward))
    at = cph("2026-02-02 14:20")
    admission = services.admit_citizen(citizen, ward, at=at, expected_stay="over_48h", actor=actor, now=at)
    course_to_usr(admission, usr=False)
    at = cph("2026-02-05 11:00")
    services.send_usr(admission, content=content, at=at, actor=actor, now=at)
    at = cph("2026-02-05 11:10")
    services.send_message(admission, "GOP", at=at, actor=actor, now=at)
    if left:
        at = cph("2026-02-06 10:00")
        services.record_departure(admission, at=at, actor=actor, now=at)
    admission.refresh_from_db()
    return admission


# --- 1. The downtime board: the owner apart from the duty, in words, in the reader's language --------------


@pytest.mark.django_db
def test_the_downtime_board_separates_the_owner_from_the_duty_and_names_no_rule_id(karen, ward):
    body = text(nedbrud.render(nedbrud.board_rows(ward.admissions.all()), unit=str(ward), now=PRINTED))
    assert "Kommune · MILR sendes" in body
    assert "KommuneMILR" not in body
    assert not re.search(r"\(R-[A-Z]", body)


@pytest.mark.django_db
def test_the_downtime_board_is_in_the_users_language(client, karen, nurse):
    danish = text(logged_in(nurse).get("/board/nedbrud.pdf").content)
    assert "Kommune · MILR sendes" in danish and "Næste frist" in danish
    english = text(english_speaking(nurse).get("/board/nedbrud.pdf").content)
    assert "Municipality · MILR is sent" in english and "Next deadline" in english
    assert danish_in(english, *place_names(karen), "Hillerød") == []


# --- 2. "Printet" in the footers, "udskrevet" only for the discharge ---------------------------------------


@pytest.mark.django_db
def test_every_footer_says_printet_and_the_citizens_copy_keeps_udskrevet_for_the_discharge(ward):
    admission = full_course(left=True)
    printouts = {
        "usr": usr.render_citizen_copy(admission, now=PRINTED),
        "usr-kommune": usr.render_municipality_copy(admission, now=PRINTED),
        "pfp": pfp.render(admission, now=PRINTED),
        "aftalekort": aftalekort.render(admission, now=PRINTED),
        "nedbrud": nedbrud.render(nedbrud.board_rows(ward.admissions.all()), unit=str(ward), now=PRINTED),
    }
    for name, pdf in printouts.items():
        for page in pages(pdf):
            assert re.search(r"\b[Pp]rintet (torsdag )?5\. februar 2026 kl\. 11\.30", page), name
            # The time of printing is never called "udskrevet".
            assert not re.search(r"[Uu]dskrevet (torsdag )?5\. februar", page), name
    citizen_copy = text(printouts["usr"])
    assert "Udskrevet fredag 6. februar 2026 kl. 10.00" in citizen_copy  # the discharge
    assert "udskrevet fredag 6. februar 2026 kl. 10.00" in text(printouts["aftalekort"])
    english = text(usr.render_citizen_copy(admission, now=PRINTED, language="en"))
    assert (
        "Printed 5 February 2026 at 11:30" in english
        and "Discharged Friday 6 February 2026 at 10:00" in english
    )


# --- 3. The aftalekort's "Mine aftaler" --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_aftalekort_lists_the_appointments_of_the_newest_usr(karen, hospital_actor):
    at = cph("2026-02-05 12:00")
    corrected = {
        **ENGLISH_USR,
        "appointments": [
            {
                "at": "2026-02-24T13:45:00+01:00",
                "what": "Røntgen af lungerne",
                "where": "Billeddiagnostisk afsnit",
            }
        ],
    }
    services.send_usr(karen, content=corrected, at=at, actor=hospital_actor, now=at)
    body = text(aftalekort.render(karen, now=PRINTED))
    mine = body[body.index("Mine aftaler") :]
    assert "tirsdag 24. februar 2026 kl. 13.45: Røntgen af lungerne, Billeddiagnostisk afsnit" in mine
    assert "Kontrol af lungerne" not in body  # the first USR's appointment: replaced


@pytest.mark.django_db
def test_the_aftalekort_says_no_appointments_yet_when_there_are_none(admission, hospital_actor):
    at = cph("2026-02-04 11:00")
    services.send_usr(admission, content={"summary": "Lungebetændelse."}, at=at, actor=hospital_actor, now=at)
    body = text(aftalekort.render(admission, now=PRINTED))
    assert "Mine aftaler Ingen aftaler endnu." in body
    assert "No appointments yet." in text(aftalekort.render(admission, now=PRINTED, language="en"))


# --- 4. The PFP's history: each version's dates as sent ----------------------------------------------------


@pytest.mark.django_db
def test_the_pfp_history_shows_each_versions_dates_as_sent(karen, hospital_actor):
    at = cph("2026-02-05 10:00")
    services.send_pfp(
        karen,
        at=at,
        faerdigbehandlet_date=cph("2026-02-09 00:00").date(),
        date_certain=True,
        coordination_needed=True,
        reason="Ny bolig skal findes",
        actor=hospital_actor,
        now=at,
    )
    body = text(pfp.render(karen, now=PRINTED))
    history = body[body.index("Versionshistorik") : body.index("Planlægningskonferencer")]
    # Newest first: number, sent, the medically-ready date it gave (expected or certain), coordination.
    assert "3 5.2.2026 10.00 9.2.2026 sikker Ja" in history
    assert "2 4.2.2026 12.00 6.2.2026 sikker Nej" in history
    assert "1 3.2.2026 09.00 6.2.2026 forventet Nej" in history
    assert history.index("3 5.2.2026") < history.index("2 4.2.2026") < history.index("1 3.2.2026")
    english = text(pfp.render(karen, now=PRINTED, language="en"))
    assert "1 3 Feb 2026 09:00 6 Feb 2026 expected No" in english


# --- 5. The language of the citizen's papers ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_english_citizens_copy_holds_no_danish_words():
    admission = full_course()
    body = text(usr.render_citizen_copy(admission, now=PRINTED, language="en"))
    assert "Dear Karen Hansen" in body and "Your medicine" in body and "Who can you call?" in body
    assert (
        "In the first 72 hours after you come home," in body
        and "until Monday 9 February 2026 at 10:00" in body
    )
    assert "by Friday 13 February 2026" in body  # R-GOP-START, in words
    assert danish_in(body, *place_names(admission)) == []


@pytest.mark.django_db
def test_the_english_aftalekort_holds_no_danish_words():
    admission = full_course()
    body = text(aftalekort.render(admission, now=PRINTED, language="en"))
    assert "My appointments" in body and "Tuesday 10 February 2026 at 08:15: Blood test at the GP" in body
    assert danish_in(body, *place_names(admission)) == []


@pytest.mark.django_db
def test_the_language_is_chosen_when_printing_and_remembered_for_the_citizen(karen, nurse):
    client = logged_in(nurse)  # a Danish screen
    assert "Udskrivningsrapport" in text(client.get(f"/admissions/{karen.pk}/usr.pdf").content)  # default
    assert "Discharge report" in text(client.get(f"/admissions/{karen.pk}/usr.pdf?lang=en").content)
    karen.citizen.refresh_from_db()
    assert karen.citizen.paper_language == "en"
    # Remembered: the next print, and the aftalekort, are English without asking again.
    assert "Discharge report" in text(client.get(f"/admissions/{karen.pk}/usr.pdf").content)
    assert "My plan after leaving hospital" in text(
        client.get(f"/admissions/{karen.pk}/aftalekort.pdf").content
    )
    assert "Min plan efter udskrivelsen" in text(
        client.get(f"/admissions/{karen.pk}/aftalekort.pdf?lang=da").content
    )
    karen.citizen.refresh_from_db()
    assert karen.citizen.paper_language == "da"
    assert client.get(f"/admissions/{karen.pk}/usr.pdf?lang=fr").status_code == 404


@pytest.mark.django_db
def test_the_citizens_papers_follow_the_citizen_not_the_nurses_screen(karen, nurse):
    client = english_speaking(nurse)
    assert "Udskrivningsrapport" in text(client.get(f"/admissions/{karen.pk}/usr.pdf").content)
    assert "Min plan efter udskrivelsen" in text(client.get(f"/admissions/{karen.pk}/aftalekort.pdf").content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, danish, english",
    [
        ("usr-kommune.pdf", "kommunens kopi", "the municipality's copy"),
        ("pfp.pdf", "Versionshistorik", "Version history"),
    ],
)
def test_staff_printouts_follow_the_users_language(karen, nurse, name, danish, english):
    Citizen.objects.filter(pk=karen.citizen_id).update(paper_language="en")  # the citizen's choice: not these
    assert danish in text(logged_in(nurse).get(f"/admissions/{karen.pk}/{name}").content)
    assert english in text(english_speaking(nurse).get(f"/admissions/{karen.pk}/{name}").content)


@pytest.mark.django_db
def test_the_admission_page_offers_both_languages_for_the_citizens_papers(karen, nurse):
    page = logged_in(nurse).get(f"/admissions/{karen.pk}/").content.decode()
    for name in CITIZEN_PAPERS:
        assert f'href="/admissions/{karen.pk}/{name}?lang=da"' in page
        assert f'href="/admissions/{karen.pk}/{name}?lang=en"' in page
    assert 'aria-label="Udskrivningsrapport til borgeren på English (PDF)"' in page
    assert "valgt sidst" not in page  # nothing chosen yet
    logged_in(nurse).get(f"/admissions/{karen.pk}/usr.pdf?lang=en")
    page = logged_in(nurse).get(f"/admissions/{karen.pk}/").content.decode()
    assert re.search(rf'href="/admissions/{karen.pk}/usr.pdf\?lang=en"[^>]*aria-current="true"', page)


# --- 6. Plain words and few pages ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_the_citizens_copy_is_a_letter_without_abbreviations_or_rule_ids_on_two_pages(language):
    admission = full_course()
    texts = pages(usr.render_citizen_copy(admission, now=PRINTED, language=language))
    body = " ".join(texts)
    assert not ABBREVIATIONS.search(body), ABBREVIATIONS.findall(body)
    assert ("Kære Karen Hansen" if language == "da" else "Dear Karen Hansen") in body
    assert ("Med venlig hilsen" if language == "da" else "Kind regards") in body
    assert len(texts) <= 2, [len(t) for t in texts]


@pytest.mark.django_db
def test_the_danish_filled_usr_fits_on_two_pages(karen):
    assert len(pages(usr.render_citizen_copy(karen, now=PRINTED))) <= 2


# --- 7. Name and CPR on every page; a stranger gets nothing -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_page_of_every_printout_carries_the_name_and_the_cpr(language):
    admission = full_course()
    cpr, name = format_cpr(admission.citizen.cpr), admission.citizen.name
    for pdf in (
        usr.render_citizen_copy(admission, now=PRINTED, language=language),
        usr.render_municipality_copy(admission, now=PRINTED, language=language),
        pfp.render(admission, now=PRINTED, language=language),
        aftalekort.render(admission, now=PRINTED, language=language),
    ):
        for page in pages(pdf):
            assert cpr in page and name in page
    board = nedbrud.render(nedbrud.board_rows(admission.ward.admissions.all()), unit="x", now=PRINTED)
    for page in pages(board):
        assert cpr in page and name in page


@pytest.mark.django_db
@pytest.mark.parametrize("name", CITIZEN_PAPERS + STAFF_PAPERS)
@pytest.mark.parametrize("query", ["", "?version=1", "?lang=en", "?lang=da", "?version=1&lang=en"])
def test_a_stranger_gets_404_for_every_printout_and_every_variant(karen, outsider, name, query):
    response = logged_in(outsider).get(f"/admissions/{karen.pk}/{name}{query}")
    assert response.status_code == 404
    assert not AccessLog.objects.filter(user=outsider).exists()
    karen.citizen.refresh_from_db()
    assert karen.citizen.paper_language == ""  # a stranger's link changes nothing


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["?version=1", "?lang=en", "?version=1&lang=en"])
def test_the_ward_and_the_municipality_get_every_variant(karen, nurse, visitator, query):
    for user in (nurse, visitator):
        response = logged_in(user).get(f"/admissions/{karen.pk}/usr.pdf{query}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- 8. Pictures of each printout ---------------------------------------------------------------------------


def write_first_page_pictures(printouts: dict[str, bytes], directory: Path = ARTIFACTS) -> list[Path]:
    """Each PDF's first page as a PNG at 60 dpi (pdftoppm), for a person to look at; [] without pdftoppm."""
    if shutil.which("pdftoppm") is None:
        return []
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, pdf in printouts.items():
        source = directory / f"{name}.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(source),
                str(directory / name),
            ],
            check=True,
            timeout=60,
        )
        source.unlink()
        written.append(directory / f"{name}.png")
    return written


@pytest.mark.django_db
def test_a_picture_of_the_first_page_of_each_printout_is_written_to_the_artifacts():
    admission = full_course()
    board_rows = nedbrud.board_rows(admission.ward.admissions.all())
    printouts = {
        "usr-borger-da": usr.render_citizen_copy(admission, now=PRINTED, language="da"),
        "usr-borger-en": usr.render_citizen_copy(admission, now=PRINTED, language="en"),
        "usr-kommune": usr.render_municipality_copy(admission, now=PRINTED),
        "pfp": pfp.render(admission, now=PRINTED),
        "aftalekort-da": aftalekort.render(admission, now=PRINTED, language="da"),
        "aftalekort-en": aftalekort.render(admission, now=PRINTED, language="en"),
        "nedbrud": nedbrud.render(board_rows, unit=str(admission.ward), now=PRINTED),
    }
    written = write_first_page_pictures(printouts)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: no pictures")
    assert [p.name for p in written] == [f"{name}.png" for name in printouts]
    for picture in written:
        assert picture.read_bytes().startswith(b"\x89PNG")
