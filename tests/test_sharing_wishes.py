"""The citizen's wishes about sharing (issue 16; seed 001 "respekterer patientens ønsker i forhold til
udveksling af oplysninger"; sundhedsloven § 41): the hospital records what the citizen has declined to have
passed on to the municipality and whether the relatives may be contacted; both sides see it; the USR for the
municipality leaves the declined sections out and says so, while the citizen's own copy is whole."""

import io
import json
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from coordination import rules, services
from coordination.models import Admission, Event
from coordination.services import Actor
from tests.printout_data import course_to_usr, cph

HTMX = {"HX-Request": "true"}
NOW = cph("2026-02-05 12:00")
OMITTED = "Udeladt efter borgerens ønske (sundhedsloven § 41)."


def logged_in(user, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        from django.conf import settings

        user.staff.language = language
        user.staff.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(pdf)).pages)


def post_wishes(client, admission, **fields):
    admission.refresh_from_db()
    data = {
        "sharing-at": "2026-02-05T11:30",
        "sharing-expected_version": admission.version,
        "sharing-relatives_allowed": "on",
    }
    for key, value in fields.items():
        data[f"sharing-{key}"] = value
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/admissions/{admission.pk}/actions/sharing/", data, headers=HTMX)


def wishes_events(admission):
    return list(Event.objects.filter(admission=admission, type="sharing_wishes").order_by("sequence"))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def course(admission):
    """Karen's course with the USR sent (medicine, appointments, contacts …): printout_data.course_to_usr."""
    return course_to_usr(admission)


# --- The service ------------------------------------------------------------------------------------------


def test_the_nurse_records_the_wishes_with_who_and_when(course, nurse, clock):
    body = post_wishes(
        logged_in(nurse),
        course,
        declined=["medicine", "nursing"],
        note="Vil selv fortælle hjemmeplejen om sin medicin",
        relatives="Hanne Jensen, datter, 20 30 40 50",
    ).content.decode()
    assert "Registreret: Borgerens ønsker om videregivelse (§ 41)" in body
    (event,) = wishes_events(course)
    assert event.recorded_by == nurse and event.recorded_by_side == "hospital"
    assert event.occurred_at == cph("2026-02-05 11:30") and event.recorded_at == NOW
    assert event.data == {
        "declined": ["nursing", "medicine"],  # in the USR's order
        "note": "Vil selv fortælle hjemmeplejen om sin medicin",
        "relatives_allowed": True,
        "relatives": "Hanne Jensen, datter, 20 30 40 50",
    }


def test_a_change_of_mind_is_a_new_event_and_the_newest_is_in_force(course, nurse, clock):
    client = logged_in(nurse)
    post_wishes(client, course, declined=["medicine"], relatives="Hanne, datter")
    post_wishes(client, course, declined=["appointments"], relatives_allowed=None, at="2026-02-05T11:45")
    first, second = wishes_events(course)
    assert first.data["declined"] == ["medicine"]  # the first stays on the timeline, unedited
    course.refresh_from_db()
    assert course.sharing.declined == ("appointments",)
    assert course.sharing.relatives_allowed is False
    assert course.sharing.event == second.sequence
    page = client.get(f"/admissions/{course.pk}/").content.decode()
    form = page[page.index('id="action-sharing"') :]
    assert 'value="appointments" id="id_sharing-declined_5" checked' in form  # the form starts from it


def test_someone_outside_the_course_gets_404(course, outsider, clock):
    response = post_wishes(logged_in(outsider), course, declined=["medicine"])
    assert response.status_code == 404
    assert wishes_events(course) == []


def test_the_municipality_cannot_record_the_citizens_wishes(course, visitator, municipality_actor, clock):
    response = post_wishes(logged_in(visitator), course, declined=["medicine"])
    assert response.status_code == 403
    with pytest.raises(services.ServiceError) as error:
        services.record_sharing_wishes(
            course, declined=["medicine"], relatives_allowed=True, at=NOW, actor=municipality_actor, now=NOW
        )
    assert error.value.key == "service.wrong_side"
    assert wishes_events(course) == []


def test_an_unknown_section_is_refused(course, hospital_actor, clock):
    with pytest.raises(services.ServiceError, match="Ukendt afsnit af udskrivningsrapporten: blood"):
        services.record_sharing_wishes(
            course, declined=["blood"], relatives_allowed=True, at=NOW, actor=hospital_actor, now=NOW
        )


def test_the_wishes_may_be_recorded_after_the_departure(course, hospital_actor, clock):
    services.record_departure(course, at=cph("2026-02-05 11:40"), actor=hospital_actor, now=NOW)
    services.record_sharing_wishes(
        course, declined=["wishes"], relatives_allowed=True, at=NOW, actor=hospital_actor, now=NOW
    )
    course.refresh_from_db()
    assert course.sharing.declined == ("wishes",)


# --- The engine --------------------------------------------------------------------------------------------


def _engine_events():
    at = cph("2026-02-02 14:20")
    return [
        rules.Event("admitted", at, {"expected_stay": "over_48h", "somatic": True}, id=0),
        rules.Event(
            "sharing_wishes",
            at + timedelta(hours=1),
            {"declined": ("medicine",), "note": "", "relatives_allowed": True, "relatives": "Hanne"},
            id=1,
        ),
        rules.Event(
            "sharing_wishes",
            at + timedelta(hours=2),
            {"declined": (), "note": "Alt må deles", "relatives_allowed": False, "relatives": ""},
            id=2,
        ),
    ]


CITIZEN = rules.Citizen(known_in_eoj=True, residence="own_home", social_area=False, terminal=False)


def test_the_engine_carries_the_newest_wishes_as_a_fact():
    evaluation = rules.evaluate(
        _engine_events(), CITIZEN, rules.PROFILES["hovedstaden"], cph("2026-02-03 12:00")
    )
    assert evaluation.sharing == rules.SharingFact(
        declined=(),
        note="Alt må deles",
        relatives_allowed=False,
        relatives="",
        at=cph("2026-02-02 16:20"),
        event=2,
    )
    assert evaluation.sharing.limited  # the relatives may not be contacted
    assert evaluation.rejected == ()


def test_wishes_entered_in_error_leave_the_ones_before_in_force():
    events = [
        *_engine_events(),
        rules.Event(
            "entered_in_error", cph("2026-02-02 17:00"), {"event": 2, "reason": "Forkert borger"}, id=3
        ),
    ]
    evaluation = rules.evaluate(events, CITIZEN, rules.PROFILES["hovedstaden"], cph("2026-02-03 12:00"))
    assert evaluation.sharing.declined == ("medicine",) and evaluation.sharing.relatives == "Hanne"


def test_without_wishes_there_is_no_fact():
    evaluation = rules.evaluate(
        _engine_events()[:1], CITIZEN, rules.PROFILES["hovedstaden"], cph("2026-02-03 12:00")
    )
    assert evaluation.sharing is None


# --- The screens -------------------------------------------------------------------------------------------


def test_both_sides_see_the_wishes_at_the_top_of_the_admission_page(course, nurse, visitator, clock):
    post_wishes(
        logged_in(nurse), course, declined=["medicine", "appointments"], relatives="Hanne, datter, 20304050"
    )
    for user in (nurse, visitator):
        page = logged_in(user).get(f"/admissions/{course.pk}/").content.decode()
        banner = page[page.index('id="sharing"') : page.index("</section>", page.index('id="sharing"'))]
        assert page.index('id="sharing"') < page.index('id="h-obligations"')
        assert (
            "Borgeren har frabedt sig, at medicin ved udskrivelsen og fremtidige aftaler videregives til "
            "kommunen." in banner
        )
        assert "Pårørende må kontaktes: Hanne, datter, 20304050." in banner
        assert "sygeplejerske" in banner or nurse.get_full_name() in banner  # who recorded it


def test_the_banner_is_english_for_an_english_reader(course, nurse, visitator, clock):
    post_wishes(logged_in(nurse), course, declined=["medicine"], relatives_allowed=None)
    page = logged_in(visitator, "en").get(f"/admissions/{course.pk}/").content.decode()
    assert "The citizen has declined to have medicine at discharge passed on to the municipality." in page
    assert "Relatives may not be contacted." in page
    assert "Citizen's wishes about sharing (Danish Health Act § 41)" in page
    assert "frabedt" not in page


def test_the_board_flags_the_limited_sharing_for_both_sides(course, nurse, visitator, clock):
    post_wishes(logged_in(nurse), course, declined=["medicine"], relatives_allowed=None)
    for user in (nurse, visitator):
        board = logged_in(user).get("/").content.decode()
        assert "§ 41: begrænset deling" in board
        assert "Pårørende må ikke kontaktes" in board


def test_the_board_shows_no_flag_when_everything_may_be_shared(course, nurse, clock):
    post_wishes(logged_in(nurse), course, declined=[])
    assert "§ 41: begrænset deling" not in logged_in(nurse).get("/").content.decode()


# --- The printouts ------------------------------------------------------------------------------------------


def test_the_municipalitys_usr_leaves_out_the_declined_sections_and_says_so(course, nurse, visitator, clock):
    post_wishes(logged_in(nurse), course, declined=["medicine", "appointments", "contacts"])
    municipality_copy = pdf_text(logged_in(visitator).get(f"/admissions/{course.pk}/usr-kommune.pdf").content)
    for declined in (
        "Furix 40 mg",
        "Pinex 500 mg",
        "Kontrol af lungerne",
        "Lægehuset Søndergade",
        "48 24 11 00",
    ):
        assert declined not in municipality_copy, declined
    assert municipality_copy.count(OMITTED) == 3
    assert "Medicin ved udskrivelsen" in municipality_copy  # the heading stays, with the sentence under it
    assert "Du blev indlagt med lungebetændelse" in municipality_copy  # what was not declined is there
    assert "72 32 10 00" in municipality_copy  # the municipality's own number is never withheld


def test_the_citizens_own_copy_keeps_every_section(course, nurse, clock):
    client = logged_in(nurse)
    post_wishes(client, course, declined=["medicine", "appointments"])
    own = pdf_text(client.get(f"/admissions/{course.pk}/usr.pdf").content)
    assert "Furix 40 mg" in own and "Kontrol af lungerne" in own
    assert OMITTED not in own


def test_the_citizens_copy_printed_by_the_municipality_holds_nothing_declined(
    course, nurse, visitator, clock
):
    post_wishes(logged_in(nurse), course, declined=["medicine", "appointments"])
    client = logged_in(visitator)
    for url in (f"/admissions/{course.pk}/usr.pdf", f"/admissions/{course.pk}/usr.pdf?version=1"):
        copy = pdf_text(client.get(url).content)
        assert "Furix 40 mg" not in copy and "Kontrol af lungerne" not in copy
    card = pdf_text(client.get(f"/admissions/{course.pk}/aftalekort.pdf").content)
    assert "Kontrol af lungerne" not in card


def test_without_wishes_the_municipalitys_copy_is_whole(course, visitator, clock):
    municipality_copy = pdf_text(logged_in(visitator).get(f"/admissions/{course.pk}/usr-kommune.pdf").content)
    assert "Furix 40 mg" in municipality_copy and OMITTED not in municipality_copy


# --- Replay and load_timelines ---------------------------------------------------------------------------


def _timeline(now, **wishes) -> dict:
    return {
        "profile": "hovedstaden",
        "now": now.isoformat(),
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": [
            {
                "at": (now - timedelta(hours=30)).isoformat(),
                "type": "admitted",
                "expected_stay": "over_48h",
                "somatic": True,
            },
            {"at": (now - timedelta(hours=29)).isoformat(), "type": "message", "code": "ADVIS-IND"},
            {
                "at": (now - timedelta(hours=20)).isoformat(),
                "type": "sharing_wishes",
                "declined": ["medicine", "wishes"],
                "relatives_allowed": True,
                "relatives": "Hanne, datter",
            },
            {"at": (now - timedelta(hours=2)).isoformat(), "type": "left_ward"},
            {"at": (now - timedelta(hours=1)).isoformat(), "type": "sharing_wishes", **wishes},
        ],
    }


@pytest.mark.django_db
def test_replay_accepts_the_wishes_also_after_the_departure(monkeypatch):
    timeline = _timeline(cph("2026-02-05 12:00"), declined=["nursing"], relatives_allowed=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(timeline)))
    out = io.StringIO()
    call_command("replay_timeline", "-", stdout=out)
    assert json.loads(out.getvalue())["rejected"] == []


@pytest.mark.django_db
def test_replay_refuses_an_unknown_section_as_unusable_input(tmp_path):
    path = tmp_path / "timeline.json"
    path.write_text(
        json.dumps(_timeline(cph("2026-02-05 12:00"), declined=["blood"], relatives_allowed=True))
    )
    with pytest.raises(CommandError) as error:
        call_command("replay_timeline", str(path), stdout=io.StringIO())
    assert error.value.returncode == 2
    assert "hændelse 4" in str(error.value) and "'blood'" in str(error.value)


@pytest.mark.django_db
def test_load_timelines_records_the_wishes_and_the_newest_is_in_force(monkeypatch):
    timeline = _timeline(timezone.now(), declined=["nursing"], relatives_allowed=False)
    del timeline["now"]
    timeline["where"] = {
        "hospital": "Nordsjællands Hospital",
        "ward": "Medicinsk afdeling",
        "municipality": "0219",
        "cpr": "0203451234",
        "name": "Karen Hansen",
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(timeline)))
    call_command("load_timelines", "-", stdout=io.StringIO(), stderr=io.StringIO())
    admission = Admission.objects.get(citizen__name="Karen Hansen")
    assert [e.data["declined"] for e in wishes_events(admission)] == [["medicine", "wishes"], ["nursing"]]
    assert admission.sharing.declined == ("nursing",) and not admission.sharing.relatives_allowed
    assert {e.recorded_by_side for e in wishes_events(admission)} == {"system"}


def test_the_recorder_for_replay_is_the_service(course, clock):
    event = rules.parse_event(
        {"at": NOW.isoformat(), "type": "sharing_wishes", "declined": ["aids"], "relatives_allowed": True}, 9
    )
    recorded = services.record_event(course, event, actor=Actor.system(), now=NOW)
    assert recorded.type == "sharing_wishes" and recorded.data["declined"] == ["aids"]


def test_the_usr_form_tells_the_nurse_what_the_municipalitys_copy_leaves_out(course, nurse, clock):
    client = logged_in(nurse)
    post_wishes(client, course, declined=["medicine"])
    page = client.get(f"/admissions/{course.pk}/").content.decode()
    form = page[page.index('id="action-usr"') :]
    assert "Borgeren har frabedt sig, at medicin ved udskrivelsen videregives til kommunen: de afsnit" in form
