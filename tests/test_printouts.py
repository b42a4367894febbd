"""Printouts (issue 6): each document rendered to PDF and read back as text, the way a reader would."""

import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from coordination import services
from coordination.cpr import format_cpr
from coordination.models import AccessLog
from coordination.printouts import aftalekort, nedbrud, pfp, usr
from coordination.printouts.base import BundledFilesOnly, render_pdf
from coordination.printouts.course import gather
from coordination.services import Actor
from tests.factories import CitizenFactory, WardFactory, municipality, region
from tests.printout_data import USR_CONTENT, course_to_usr, cph

PRINTED = cph("2026-02-05 11:30")
PDF_URLS = ("usr.pdf", "usr-kommune.pdf", "pfp.pdf", "aftalekort.pdf")


def pages(pdf: bytes) -> list[str]:
    """The text of each page, whitespace folded (a phrase may break over lines)."""
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return " ".join(pages(pdf))


@pytest.fixture
def karen(admission):
    """Karen Hansen on the day before her discharge (Friday 6 February 2026 10:00), the USR sent."""
    return course_to_usr(admission)


def admission_in(profile: str, municipality_code: str, hospital: str):
    ward = WardFactory(
        name="Medicinsk afdeling",
        hospital__name=hospital,
        hospital__region=region(profile),
        phone="38 63 70 10",
    )
    citizen = CitizenFactory(name="Søren Ødegård Åberg", municipality=municipality(municipality_code))
    actor = Actor(side="hospital", organisation=str(ward))
    at = cph("2026-02-02 14:20")
    admission = services.admit_citizen(citizen, ward, at=at, expected_stay="over_48h", actor=actor, now=at)
    return course_to_usr(admission)


# --- The USR, the citizen's copy ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_citizens_usr_says_who_where_why_and_what_help_in_plain_danish(karen):
    body = text(usr.render_citizen_copy(karen, now=PRINTED))
    assert "Karen Hansen" in body and format_cpr(karen.citizen.cpr) in body
    assert "Medicinsk afdeling, Nordsjællands Hospital" in body
    assert "Indlagt mandag 2. februar 2026" in body
    assert "Du skal udskrives fredag 6. februar 2026 kl. 10.00" in body
    assert "lungebetændelse" in body and "rollator" in body
    assert "Hjælp til bad og støttestrømper hver morgen" in body and "fra fredag 6. februar 2026" in body
    assert "Hillerød Kommune" in body


@pytest.mark.django_db
def test_the_citizens_usr_lists_medicine_appointments_and_whom_to_call(karen):
    body = text(usr.render_citizen_copy(karen, now=PRINTED))
    for medicine in USR_CONTENT["medicine"]:
        assert medicine["name"] in body and medicine["dose"] in body
    assert "torsdag 19. februar 2026 kl. 10.30" in body and "Lungeambulatoriet" in body
    assert "tirsdag 10. februar 2026" in body and "Blodprøve hos egen læge" in body
    assert "72 32 10 00" in body and "Visitationen" in body  # the municipality
    assert "48 24 11 00" in body  # the citizen's own doctor
    assert "ring 112" in body


@pytest.mark.django_db
def test_the_citizens_usr_says_rehabilitation_starts_within_seven_days(karen):
    body = text(usr.render_citizen_copy(karen, now=PRINTED))
    # R-GOP-START: the departure date (Friday 6 February) + 7 days.
    assert "senest fredag 13. februar 2026" in body


@pytest.mark.django_db
def test_every_page_of_the_usr_carries_the_cpr_the_page_number_and_the_printing_time(karen):
    texts = pages(usr.render_citizen_copy(karen, now=PRINTED))
    assert len(texts) >= 2  # large type: the rule is worth checking only over several pages
    for number, page in enumerate(texts, start=1):
        assert format_cpr(karen.citizen.cpr) in page
        assert f"Side {number} af {len(texts)}" in page
        assert "Printet 5. februar 2026 kl. 11.30" in page  # "printed", never "udskrevet"


@pytest.mark.django_db
def test_a_usr_printed_before_it_is_sent_says_it_is_preliminary(admission):
    body = text(usr.render_citizen_copy(course_to_usr(admission, usr=False), now=PRINTED))
    assert "Foreløbig udgave" in body
    assert "Furix" not in body


@pytest.mark.django_db
def test_medicine_until_the_first_weekday_is_printed_where_the_profile_has_r_medicin():
    admission = admission_in("sjaelland", "0259", "Holbæk Sygehus")
    body = text(usr.render_citizen_copy(admission, now=PRINTED))
    # Discharged Friday 6 February: medicine until the first weekday after, Monday 9 February.
    assert "til og med mandag 9. februar 2026" in body
    assert "Køge Kommune" in body and "Søren Ødegård Åberg" in body


@pytest.mark.django_db
def test_no_medicine_date_where_the_profile_lacks_r_medicin(karen):
    assert "Du får medicin med fra hospitalet" not in text(usr.render_citizen_copy(karen, now=PRINTED))


@pytest.mark.django_db
def test_the_72_hour_phone_number_is_printed_before_discharge_where_the_profile_has_r_72h():
    admission = admission_in("midtjylland", "0751", "Regionshospitalet Gødstrup")
    assert admission.left_at is None
    body = text(usr.render_citizen_copy(admission, now=PRINTED))
    assert "I de første 72 timer efter, at du er kommet hjem," in body
    assert "38 63 70 10" in body
    assert "Gælder til mandag 9. februar 2026 kl. 10.00" in body  # Friday 10:00 + 72 hours


@pytest.mark.django_db
def test_no_72_hour_window_where_the_profile_lacks_r_72h(karen):
    assert "72 timer" not in text(usr.render_citizen_copy(karen, now=PRINTED))


# --- The USR, the municipality's copy -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_municipalitys_usr_has_the_nursing_actions_and_the_messages(karen):
    texts = pages(usr.render_municipality_copy(karen, now=PRINTED))
    body = " ".join(texts)
    assert "kommunens kopi" in body
    assert "Sår på venstre underben: skiftes mandag og torsdag" in body
    assert "Furix 40 mg" in body and "72 32 10 00" in body
    assert "USR – Udskrivningsrapport" in body and "PFP – Plejeforløbsplan" in body
    assert all(format_cpr(karen.citizen.cpr) in page for page in texts)


# --- The PFP ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pfp_printout_shows_the_plan_in_force_and_every_version(karen):
    body = text(pfp.render(karen, now=PRINTED))
    assert "version 2 af 2, sendt onsdag 4. februar 2026 kl. 12.00" in body
    assert "Sikker færdigbehandlingsdato fredag 6. februar 2026" in body
    assert "3.2.2026 09.00" in body and "4.2.2026 12.00" in body  # both versions
    assert "forventet" in body and "sikker" in body
    assert "Hjemmepleje morgen og aften" in body


@pytest.mark.django_db
def test_the_pfp_printout_shows_where_a_conferences_decisions_were_written(karen):
    body = text(pfp.render(karen, now=PRINTED))
    assert "I plejeforløbsplan version 2" in body and "plejeseng leveres torsdag" in body


@pytest.mark.django_db
def test_the_pfp_printout_flags_a_conference_without_minutes(admission, hospital_actor):
    at = cph("2026-02-03 09:00")
    services.plan_conference(
        admission, at=at, conference_at=cph("2026-02-03 13:00"), actor=hospital_actor, now=at
    )
    at = cph("2026-02-03 14:00")
    services.hold_conference(admission, at=at, actor=hospital_actor, now=at)
    body = text(pfp.render(admission, now=PRINTED))
    assert "Der er ikke sendt en plejeforløbsplan endnu" in body
    assert "Mangler" in body and "R-CONFERENCE-MINUTES" in body


# --- The aftalekort -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_aftalekort_is_one_page_with_the_plan_after_discharge(karen):
    texts = pages(aftalekort.render(karen, now=PRINTED))
    assert len(texts) == 1
    body = texts[0]
    assert "Min plan efter udskrivelsen" in body and format_cpr(karen.citizen.cpr) in body
    assert "udskrives fredag 6. februar 2026 kl. 10.00 til eget hjem" in body
    assert "torsdag 19. februar 2026 kl. 10.30" in body
    assert "Senest fredag 13. februar 2026" in body
    assert "72 32 10 00" in body


@pytest.mark.django_db
def test_the_aftalekort_stays_on_one_page_with_many_appointments(admission, hospital_actor):
    admission = course_to_usr(admission, usr=False)
    many = {
        **USR_CONTENT,
        "appointments": [
            {
                "at": f"2026-02-{day:02d}T10:00:00+01:00",
                "what": "Kontrol med en lang beskrivelse af formålet",
                "where": "Ambulatoriet, Nordsjællands Hospital, indgang 14, 2. sal",
            }
            for day in range(9, 21)
        ],
        "help": [{"what": f"Hjælp nummer {n}", "by": "Hjemmeplejen", "from": "2026-02-06"} for n in range(8)],
        "contacts": [{"name": f"Kontakt {n}", "phone": "11 22 33 44"} for n in range(5)],
    }
    at = cph("2026-02-05 11:00")
    services.send_message(admission, "USR", at=at, actor=hospital_actor, now=at, content=many)
    texts = pages(aftalekort.render(admission, now=PRINTED))
    assert len(texts) == 1
    assert "og 8 aftaler mere" in texts[0]


# --- The downtime board -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_downtime_board_is_landscape_with_every_citizens_cpr_on_every_page(ward, hospital_actor):
    citizens = []
    for n in range(45):
        citizen = CitizenFactory(name=f"Åse Ærø Østergaard {n}")
        at = cph("2026-02-02 08:00")
        services.admit_citizen(citizen, ward, at=at, expected_stay="over_48h", actor=hospital_actor, now=at)
        citizens.append(citizen)
    pdf = nedbrud.render(nedbrud.board_rows(ward.admissions.all()), unit=str(ward), now=PRINTED)
    reader = PdfReader(BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # A4 landscape
    texts = pages(pdf)
    assert len(texts) >= 2
    for page in texts:
        assert re.search(r"\d{6}-\d{4}", page)  # every page has citizens, and so their CPR
        assert "NØDUDSKRIFT" in page and "Medicinsk afdeling, Nordsjællands Hospital" in page
    body = " ".join(texts)
    for citizen in citizens:
        assert format_cpr(citizen.cpr) in body
    assert "Åse Ærø Østergaard 44" in body


# --- Fonts and what the renderer may fetch ------------------------------------------------------------


@pytest.mark.django_db
def test_printouts_use_the_bundled_font(karen):
    fetcher = BundledFilesOnly()
    pdf = render_pdf("printouts/usr.html", {"course": gather(karen, PRINTED)}, url_fetcher=fetcher)
    assert any(url.endswith("static/fonts/DejaVuSans.ttf") for url in fetcher.fetched)
    assert any(url.endswith("static/fonts/DejaVuSans-Bold.ttf") for url in fetcher.fetched)
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    # The family of the @font-face rules, so the bundled files, not a font the machine happens to have.
    assert fonts and all(name.endswith(("+Sektor-Sans", "+Sektor-Sans-Bold")) for name in fonts)


@pytest.mark.django_db
def test_the_stylesheet_parsed_once_prints_the_same_document(karen):
    """The stylesheet and fonts kept between renders (base._stylesheet, issue 15) give the same pages, in the
    bundled font, as a stylesheet parsed afresh (a fetcher of the caller's own bypasses the cache)."""
    context = {"course": gather(karen, PRINTED)}
    fresh = render_pdf("printouts/usr.html", context, url_fetcher=BundledFilesOnly())
    cached = [render_pdf("printouts/usr.html", context) for _ in range(2)]
    english = render_pdf("printouts/usr.html", context, language="en")
    assert pages(cached[0]) == pages(cached[1]) == pages(fresh)
    assert "Side 1 af 2" in pages(cached[0])[0] and "Page 1 of 2" in pages(english)[0]  # one stylesheet each
    for pdf in (*cached, english):
        fonts = {
            str(font["/BaseFont"])
            for page in PdfReader(BytesIO(pdf)).pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert fonts and all(name.endswith(("+Sektor-Sans", "+Sektor-Sans-Bold")) for name in fonts)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "https://example.org/x.css", "data:text/css,p{}"])
def test_the_renderer_fetches_nothing_but_the_bundled_fonts(url):
    with pytest.raises(ValueError):
        BundledFilesOnly().fetch(url)


# --- Served through the access checks -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PDF_URLS)
def test_each_printout_is_a_pdf_for_the_ward_and_the_municipality(client, karen, nurse, visitator, name):
    for user in (nurse, visitator):
        client.force_login(user)
        response = client.get(f"/admissions/{karen.pk}/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"] == f'inline; filename="{name[:-4]}-{karen.pk}.pdf"'
        assert karen.citizen.cpr[:6] not in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PDF_URLS)
def test_a_stranger_gets_404_for_each_printout(client, karen, outsider, name):
    client.force_login(outsider)
    assert client.get(f"/admissions/{karen.pk}/{name}").status_code == 404
    assert not AccessLog.objects.filter(user=outsider).exists()


@pytest.mark.django_db
def test_printing_is_logged_as_a_print(client, karen, nurse):
    client.force_login(nurse)
    client.get(f"/admissions/{karen.pk}/usr.pdf")
    log = AccessLog.objects.get(user=nurse)
    assert (log.action, log.admission_id, log.citizen_id) == ("print", karen.pk, karen.citizen_id)


@pytest.mark.django_db
def test_the_downtime_board_pdf_shows_only_the_users_own_citizens(client, karen, nurse, outsider):
    client.force_login(nurse)
    response = client.get("/board/nedbrud.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "Karen Hansen" in text(response.content) and format_cpr(karen.citizen.cpr) in text(
        response.content
    )
    assert AccessLog.objects.filter(user=nurse, action="print", citizen=karen.citizen).exists()
    client.force_login(outsider)
    other = text(client.get("/board/nedbrud.pdf").content)
    assert "Karen Hansen" not in other and karen.citizen.cpr[:6] not in other


@pytest.mark.django_db
def test_the_board_links_the_downtime_board_and_the_admission_page_every_printout(client, karen, nurse):
    client.force_login(nurse)
    assert 'href="/board/nedbrud.pdf"' in client.get("/").content.decode()
    page = client.get(f"/admissions/{karen.pk}/").content.decode()
    for name in PDF_URLS:
        assert f'href="/admissions/{karen.pk}/{name}"' in page


@pytest.mark.django_db
def test_a_printout_needs_a_login(client, karen):
    response = client.get(f"/admissions/{karen.pk}/usr.pdf")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- From the demo data -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_printout_renders_from_demo_data(client):
    import io
    import json

    from django.core.management import call_command

    from coordination.models import Admission, Event

    out = io.StringIO()
    call_command("seed_demo", "--admissions", "26", "--json", stdout=out, stderr=io.StringIO())
    users = json.loads(out.getvalue())["users"]
    usrs = Event.objects.filter(type="message", data__code="USR").select_related("admission__citizen")
    assert usrs.exists()
    for event in usrs:
        admission = event.admission
        medicine = event.data["content"]["medicine"][0]["name"]
        body = text(usr.render_citizen_copy(admission, now=event.recorded_at))
        assert admission.citizen.name in body and format_cpr(admission.citizen.cpr) in body
        assert medicine in body and event.data["content"]["municipality_contact"]["phone"] in body
        assert medicine in text(usr.render_municipality_copy(admission, now=event.recorded_at))
        assert admission.citizen.name in text(pfp.render(admission, now=event.recorded_at))
        assert len(pages(aftalekort.render(admission, now=event.recorded_at))) == 1
    nurse = next(u for u in users if u["role"] == "ward_nurse")
    user = get_user_model().objects.get(username=nurse["username"])
    client.force_login(user)
    board = text(client.get("/board/nedbrud.pdf").content)
    shown = Admission.objects.active().visible_to(user)
    assert shown.exists()
    for admission in shown:
        assert format_cpr(admission.citizen.cpr) in board
