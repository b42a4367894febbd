"""The USR with its content (issue 16): the ward fills the form on the admission page, saves drafts, sends it
as one USR message, corrects it with a new version; each PDF is read back the way the citizen reads it."""

import io
import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from coordination import services
from coordination.cpr import format_cpr
from coordination.models import Event, UsrDraft
from coordination.printouts import usr
from coordination.services import Actor
from tests.factories import CitizenFactory, WardFactory, municipality, region
from tests.printout_data import course_to_usr, cph

HTMX = {"HX-Request": "true"}
FILLED_AT = cph("2026-02-05 11:00")  # the day before Friday's discharge at 10:00

FORM = {
    "summary": "Du blev indlagt med lungebetændelse. Du har fået penicillin og har det bedre.",
    "function": "Du går selv med rollator inde. Du skal have hjælp til bad.",
    "nursing": "Hud: sår på venstre underben renset og forbundet\nErnæring: vejet hver morgen",
    "med_1_name": "Furix 40 mg",
    "med_1_dose": "1 tablet om morgenen",
    "med_1_kind": "fast",
    "med_2_name": "Morfin 10 mg",
    "med_2_dose": "1 tablet ved smerter",
    "med_2_kind": "pn",
    "med_2_last_given": "2026-02-05T06:15",
    "med_3_name": "Solu-Medrol depot",
    "med_3_kind": "depot",
    "med_3_last_given": "2026-02-04T09:00",
    "med_3_not_in_fmk": "on",
    "aids": "Rollator\nBadebænk",
    "help_1_what": "Hjælp til bad hver morgen",
    "help_1_by": "Hjemmeplejen",
    "help_1_from": "2026-02-07",
    "rehabilitation_where": "Hillerød Genoptræningscenter",
    "appt_1_at": "2026-02-19T10:30",
    "appt_1_what": "Kontrol af lungerne",
    "appt_1_where": "Lungeambulatoriet, indgang 14",
    "appt_2_at": "2026-02-10T08:15",
    "appt_2_what": "Blodprøve hos egen læge",
    "wishes": "Karen vil gerne selv bestemme, hvornår hun går i bad.",
}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(BytesIO(pdf)).pages]


def post_usr(client, admission, draft=False, **fields):
    admission.refresh_from_db()
    data = {f"usr-{key}": value for key, value in fields.items()}
    data.setdefault("usr-at", "2026-02-05T11:00")
    data["usr-expected_version"] = admission.version
    if draft:
        data["usr-save_draft"] = "1"
    return client.post(f"/admissions/{admission.pk}/actions/usr/", data, headers=HTMX)


def usr_events(admission):
    return list(Event.objects.filter(admission=admission, data__code="USR").order_by("sequence"))


@pytest.fixture
def course(admission):
    """Karen's course up to the day before discharge (PFP, conference, planned discharge with
    rehabilitation), no USR yet."""
    return course_to_usr(admission, usr=False)


@pytest.fixture
def clock():
    with time_machine.travel(FILLED_AT, tick=False):
        yield


def test_a_draft_is_kept_for_the_ward_and_nothing_is_sent(course, nurse, clock):
    client = logged_in(nurse)
    body = post_usr(client, course, draft=True, **FORM).content.decode()
    assert "Kladden er gemt. Intet er sendt." in body
    assert usr_events(course) == []
    assert UsrDraft.objects.get(admission=course).content["medicine"][1]["name"] == "Morfin 10 mg"
    page = client.get(f"/admissions/{course.pk}/").content.decode()
    assert 'value="Hillerød Genoptræningscenter"' in page  # the next nurse goes on from the draft


def test_the_form_starts_from_the_newest_pfp_and_the_conferences_decisions(course, nurse, clock):
    page = logged_in(nurse).get(f"/admissions/{course.pk}/").content.decode()
    form = page[page.index('id="action-usr"') :]
    assert "Hjemmepleje morgen og aften." in form  # the PFP's plan (R-CONFERENCE-MINUTES: written into it)
    assert "plejeseng leveres torsdag" in form
    assert "forpustet ved gang" in form  # the PFP's state -> functional ability


def test_the_usr_is_sent_as_one_message_with_its_content_and_the_draft_is_gone(course, nurse, clock):
    client = logged_in(nurse)
    post_usr(client, course, draft=True, **FORM)
    body = post_usr(client, course, **FORM).content.decode()
    assert "Registreret: Udskrivningsrapport (USR)" in body
    (event,) = usr_events(course)
    assert event.data["content"]["appointments"][0] == {
        "at": "2026-02-19T10:30:00+01:00",
        "what": "Kontrol af lungerne",
        "where": "Lungeambulatoriet, indgang 14",
    }
    assert event.data["content"]["medicine"][2]["in_fmk"] is False
    assert not UsrDraft.objects.filter(admission=course).exists()


def test_the_citizens_copy_holds_every_section_of_the_filled_usr(course, nurse, clock):
    client = logged_in(nurse)
    post_usr(client, course, **FORM)
    texts = pages(client.get(f"/admissions/{course.pk}/usr.pdf").content)
    body = " ".join(texts)
    for fact in [
        "Du blev indlagt med lungebetændelse.",  # summary
        "Du går selv med rollator inde.",  # functional ability
        "Hud: sår på venstre underben renset og forbundet",  # nursing: problem area and action
        "Morfin 10 mg",
        "Efter behov. 1 tablet ved smerter",  # PN in words, no abbreviation
        "Sidst givet på hospitalet: torsdag 5. februar 2026 kl. 06.15",
        "Solu-Medrol depot",
        "Står ikke på dit medicinkort hos lægen.",  # depot medicine not in FMK
        "Badebænk",  # aids
        "Hjælp til bad hver morgen",
        "torsdag 19. februar 2026 kl. 10.30",  # appointment: when, what, where
        "Kontrol af lungerne",
        "Lungeambulatoriet, indgang 14",
        "Hillerød Genoptræningscenter",  # rehabilitation: where
        "senest fredag 13. februar 2026",  # R-GOP-START: discharge Friday 6 Feb + 7 days
        "Karen vil gerne selv bestemme",  # wishes
    ]:
        assert fact in body, fact
    # No abbreviation without its words, no rule id.
    assert not re.search(r"\b(PN|FMK|USR|GOP)\b|\bR-[A-Z]", body), re.findall(
        r".{30}\b(?:PN|FMK|R-[A-Z]).{30}", body
    )
    for page in texts:
        assert format_cpr(course.citizen.cpr) in page and "Karen Hansen" in page


def test_the_municipalitys_copy_has_the_professional_words(course, nurse, visitator, clock):
    post_usr(logged_in(nurse), course, **FORM)
    body = " ".join(pages(logged_in(visitator).get(f"/admissions/{course.pk}/usr-kommune.pdf").content))
    assert "Morfin 10 mg (PN)" in body
    assert "Ikke i FMK." in body
    assert "Problemområde Handling" in body and "Ernæring vejet hver morgen" in body


def test_an_appointment_in_the_year_9999_is_refused_in_danish_and_nothing_is_sent(course, nurse, clock):
    response = post_usr(logged_in(nurse), course, **{**FORM, "appt_1_at": "9999-12-31T10:00"})
    assert response.status_code == 200
    assert "Datoen skal ligge inden for fem år fra i dag." in response.content.decode()
    assert usr_events(course) == []


def test_an_appointment_without_what_it_is_for_is_refused(course, nurse, clock):
    response = post_usr(logged_in(nurse), course, appt_1_at="2026-02-19T10:30", appt_1_what="")
    assert "Skriv hvad aftalen gælder." in response.content.decode()
    assert usr_events(course) == []


def test_an_imported_usr_with_an_impossible_date_is_refused_with_the_appointment_named(course):
    hospital = Actor(side="hospital", organisation=str(course.ward))
    content = {"appointments": [{"what": "Kontrol", "at": "9999-01-01T10:00:00+01:00"}]}
    with pytest.raises(services.ServiceError, match="Aftale 1: året 9999 kan ikke passe"):
        services.send_message(course, "USR", at=FILLED_AT, actor=hospital, now=FILLED_AT, content=content)
    content = {"appointments": [{"what": "Kontrol", "at": "19. februar"}]}
    with pytest.raises(services.ServiceError, match="ikke en gyldig dato"):
        services.send_message(course, "USR", at=FILLED_AT, actor=hospital, now=FILLED_AT, content=content)
    assert usr_events(course) == []


def test_a_corrected_usr_replaces_the_first_and_both_versions_stay_printable(course, nurse, outsider, clock):
    client = logged_in(nurse)
    post_usr(client, course, **FORM)
    page = client.get(f"/admissions/{course.pk}/").content.decode()
    assert 'value="Morfin 10 mg"' in page  # a correction starts from the USR in force
    post_usr(client, course, **{**FORM, "med_2_name": "Oxycodon 5 mg", "at": "2026-02-05T11:00"})
    assert len(usr_events(course)) == 2
    current = " ".join(pages(client.get(f"/admissions/{course.pk}/usr.pdf").content))
    assert "Oxycodon 5 mg" in current and "Morfin 10 mg" not in current
    assert "Dette er en rettet udgave" in current
    first = " ".join(pages(client.get(f"/admissions/{course.pk}/usr.pdf?version=1").content))
    assert "Morfin 10 mg" in first and "Oxycodon" not in first
    assert "Denne udgave gælder ikke længere." in first
    assert client.get(f"/admissions/{course.pk}/usr.pdf?version=3").status_code == 404
    assert logged_in(outsider).get(f"/admissions/{course.pk}/usr.pdf?version=1").status_code == 404
    links = re.findall(r"usr\.pdf\?version=(\d)", client.get(f"/admissions/{course.pk}/").content.decode())
    assert links == ["1", "2"]


def test_a_sent_usr_is_never_edited(course, nurse, clock):
    client = logged_in(nurse)
    post_usr(client, course, **FORM)
    (first,) = usr_events(course)
    post_usr(client, course, **{**FORM, "wishes": "Ingen"})
    first.refresh_from_db()
    assert first.data["content"]["wishes"] == FORM["wishes"]


def _course_in(profile: str, municipality_code: str):
    ward = WardFactory(name="Medicinsk afdeling", hospital__region=region(profile), phone="38 63 70 10")
    citizen = CitizenFactory(name="Søren Ødegård Åberg", municipality=municipality(municipality_code))
    actor = Actor(side="hospital", organisation=str(ward))
    at = cph("2026-02-02 14:20")
    admission = services.admit_citizen(citizen, ward, at=at, expected_stay="over_48h", actor=actor, now=at)
    course_to_usr(admission, usr=False)
    services.send_usr(
        admission, content={"summary": "Lungebetændelse."}, at=FILLED_AT, actor=actor, now=FILLED_AT
    )
    return admission


@pytest.mark.django_db
def test_r_medicin_the_filled_usr_names_the_day_medicine_is_given_along_until():
    admission = _course_in("sjaelland", "0259")
    body = " ".join(pages(usr.render_citizen_copy(admission, now=FILLED_AT)))
    # Discharge Friday 6 Feb -> medicine along until the first weekday after: Monday 9 February.
    assert "til og med mandag 9. februar 2026" in body


@pytest.mark.django_db
def test_r_72h_the_filled_usr_names_the_wards_phone_until_the_window_ends():
    admission = _course_in("midtjylland", "0751")
    body = " ".join(pages(usr.render_citizen_copy(admission, now=FILLED_AT)))
    assert "38 63 70 10" in body
    assert "Gælder til mandag 9. februar 2026 kl. 10.00" in body  # Friday 10:00 + 72 hours


def _load(lines, monkeypatch) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(line) for line in lines)))
    out = io.StringIO()
    try:
        call_command("load_timelines", "-", stdout=out, stderr=io.StringIO())
    except SystemExit:
        pass
    return out.getvalue().strip().splitlines()[-1]


def _timeline_with_usr(cpr: str, content: dict) -> dict:
    now = timezone.now()
    return {
        "profile": "hovedstaden",
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": [
            {
                "at": (now - timedelta(hours=30)).isoformat(),
                "type": "admitted",
                "expected_stay": "over_48h",
                "somatic": True,
            },
            {
                "at": (now - timedelta(hours=2)).isoformat(),
                "type": "message",
                "code": "USR",
                "content": content,
            },
        ],
        "where": {
            "hospital": "Nordsjællands Hospital",
            "ward": "Medicinsk afdeling",
            "municipality": "0219",
            "cpr": cpr,
            "name": "Ole Olsen",
        },
    }


@pytest.mark.django_db
def test_load_timelines_records_a_usrs_content_and_refuses_one_with_an_impossible_date(monkeypatch):
    good = _timeline_with_usr("1505321236", {"medicine": [{"name": "Morfin 10 mg", "kind": "pn"}]})
    bad = _timeline_with_usr("0203451234", {"appointments": [{"what": "Kontrol", "at": "9999-01-01"}]})
    assert _load([good, bad], monkeypatch) == "loaded 1, failed 1"
    (event,) = Event.objects.filter(data__code="USR")
    body = " ".join(pages(usr.render_citizen_copy(event.admission, now=timezone.now())))
    assert "Morfin 10 mg" in body and "Efter behov." in body
