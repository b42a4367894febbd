"""Corrections on the timeline through the services (issue 12, R-CORRECTION): an event marked entered in
error or corrected, and the obligations, færdigbehandling periods and board following; nothing is edited or
deleted. Replay and load_timelines with corrections give what the service path gives."""

from __future__ import annotations

import io
import json

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from coordination import rules, services
from coordination.models import Event, FaerdigbehandlingDay
from coordination.services import Actor
from tests.conftest import cph
from tests.factories import logged_in
from tests.test_fuzz import FUZZ, NASTY, TIMES, json_values


@pytest.fixture
def nurse_actor(nurse):
    return Actor.for_user(nurse)


@pytest.fixture
def visitator_actor(visitator):
    return Actor.for_user(visitator)


@pytest.fixture
def agreed(admission, nurse_actor):
    """A plan for 5 Feb 14:00 (after 13:00: R-CALL-13) and the nurse's phone agreement of 3 Feb 10:00."""
    at = cph("2026-02-02 15:00")
    services.plan_discharge(
        admission,
        at=at,
        discharge_at=cph("2026-02-05 14:00"),
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        actor=nurse_actor,
        now=at,
    )
    agreement = services.record_phone_agreement(
        admission,
        at=cph("2026-02-03 10:00"),
        discharge_at=cph("2026-02-05 14:00"),
        actor=nurse_actor,
        now=cph("2026-02-03 10:00"),
    )
    admission.refresh_from_db()
    return agreement


def call_13(admission):
    return admission.obligations.get(rule="R-CALL-13")


def test_a_phone_agreement_in_error_reopens_the_call_and_the_board_loses_the_agreed_time(
    admission, agreed, nurse, nurse_actor
):
    assert (call_13(admission).status, admission.agreed_discharge_at) == ("met", cph("2026-02-05 14:00"))
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        assert "5. feb. 2026 14:00" in _board_row(nurse)
        marked = services.mark_entered_in_error(
            admission,
            actor=nurse_actor,
            event=agreed.sequence,
            reason="Aftalen var med en anden borger",
            expected_version=admission.version,
        )
        admission.refresh_from_db()
        # R-CALL-13 due at the planned discharge, 5 Feb 14:00, no call made: open again
        duty = call_13(admission)
        assert (duty.status, duty.met_at, duty.due_at) == ("open", None, cph("2026-02-05 14:00"))
        assert admission.agreed_discharge_at is None
        assert "5. feb. 2026 14:00" not in _board_row(nurse).split("Aftalt udskr.")[1].split("</dd>")[0]
    # nothing edited: the agreement is still on the timeline, the mark is an event counted in the version
    assert Event.objects.get(pk=agreed.pk).data == agreed.data
    assert (marked.type, marked.data) == (
        "entered_in_error",
        {"event": agreed.sequence, "reason": "Aftalen var med en anden borger"},
    )
    assert admission.version == admission.events.count() == marked.sequence
    (correction,) = admission.corrections
    assert (correction["event"], correction["kind"], correction["by"]) == (
        agreed.sequence,
        "entered_in_error",
        marked.sequence,
    )


def test_a_corrected_agreed_time_moves_the_board_and_keeps_the_call_met(admission, agreed, nurse_actor):
    services.correct_event(
        admission,
        actor=nurse_actor,
        event=agreed,
        values={"discharge_at": cph("2026-02-05 15:30")},
        reason="Tastefejl",
        now=cph("2026-02-03 11:00"),
    )
    admission.refresh_from_db()
    assert admission.agreed_discharge_at == cph("2026-02-05 15:30")
    assert call_13(admission).status == "met"  # the call was made; only the agreed time was wrong
    assert admission.corrections[0]["values"] == {"discharge_at": "2026-02-05T15:30:00+01:00"}


def test_a_pfp_in_error_brings_the_pfp_date_duty_back_and_a_corrected_date_moves_it(admission, nurse_actor):
    def pfp(at, day, certain):
        return services.send_pfp(
            admission,
            at=cph(at),
            faerdigbehandlet_date=day,
            date_certain=certain,
            coordination_needed=False,
            actor=nurse_actor,
            now=cph(at),
        )

    from datetime import date

    pfp("2026-02-03 09:00", date(2026, 2, 5), False)
    certain = pfp("2026-02-03 10:00", date(2026, 2, 5), True)
    admission.refresh_from_db()
    assert admission.obligations.get(rule="R-PFP-DATE").status == "met"
    services.correct_event(
        admission,
        actor=nurse_actor,
        event=certain.sequence,
        values={"faerdigbehandlet_date": date(2026, 2, 6)},
        reason="Forkert dato",
        now=cph("2026-02-03 11:00"),
    )
    admission.refresh_from_db()
    # D = 6 Feb, due 5 Feb 13:00, met by the corrected PFP at its own time (10:00)
    duty = admission.obligations.get(rule="R-PFP-DATE")
    assert (duty.status, duty.due_at, duty.met_at) == (
        "met",
        cph("2026-02-05 13:00"),
        cph("2026-02-03 10:00"),
    )
    assert admission.expected_faerdigbehandlet_on == date(2026, 2, 6)
    assert admission.pfp.faerdigbehandlet_date == date(2026, 2, 6)
    services.mark_entered_in_error(
        admission,
        actor=nurse_actor,
        event=certain.sequence,
        reason="Sendt ved en fejl",
        now=cph("2026-02-03 11:30"),
    )
    admission.refresh_from_db()
    # only the expected PFP of 09:00 is left: D = 5 Feb, due 4 Feb 13:00, not yet met
    duty = admission.obligations.get(rule="R-PFP-DATE")
    assert (duty.status, duty.due_at, duty.met_at) == ("open", cph("2026-02-04 13:00"), None)
    assert (admission.pfp.version, admission.faerdigbehandlet_date_certain) == (1, False)


def test_a_faerdigbehandlet_in_error_removes_its_period_and_a_corrected_date_moves_it(admission, nurse_actor):
    from datetime import date

    fb = services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 12:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig"],
        actor=nurse_actor,
        now=cph("2026-02-04 12:00"),
    )
    services.correct_event(
        admission,
        actor=nurse_actor,
        event=fb,
        values={"date": date(2026, 2, 3)},
        reason="Lægen vurderede færdigbehandlet dagen før",
        now=cph("2026-02-04 13:00"),
    )
    admission.refresh_from_db()
    (period,) = admission.periods.all()
    assert (period.registered_on, admission.faerdigbehandlet_on) == (date(2026, 2, 3), date(2026, 2, 3))
    services.mark_entered_in_error(
        admission, actor=nurse_actor, event=fb, reason="Forkert borger", now=cph("2026-02-04 14:00")
    )
    admission.refresh_from_db()
    assert (admission.periods.count(), admission.faerdigbehandlet_on) == (0, None)
    assert not FaerdigbehandlingDay.objects.filter(admission=admission).exists()
    # the registration can now be made again, as if never made
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 15:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig"],
        actor=nurse_actor,
        now=cph("2026-02-04 15:00"),
    )
    admission.refresh_from_db()
    assert admission.periods.count() == 1


def test_the_other_side_cannot_mark_this_sides_event_and_nothing_is_written(
    admission, agreed, visitator_actor
):
    version = admission.version
    with pytest.raises(services.ServiceError, match="Det er hospitalet, der har registreret hændelsen"):
        services.mark_entered_in_error(
            admission,
            actor=visitator_actor,
            event=agreed.sequence,
            reason="Forkert",
            now=cph("2026-02-03 11:00"),
        )
    admission.refresh_from_db()
    assert (admission.version, call_13(admission).status) == (version, "met")


def test_a_stale_version_is_refused(admission, agreed, nurse_actor, visitator_actor):
    shown = admission.version
    services.send_message(
        admission, "MILR", at=cph("2026-02-03 10:30"), actor=visitator_actor, now=cph("2026-02-03 10:30")
    )
    with pytest.raises(services.VersionConflict):
        services.mark_entered_in_error(
            admission,
            actor=nurse_actor,
            event=agreed.sequence,
            reason="Forkert",
            expected_version=shown,
            now=cph("2026-02-03 11:00"),
        )
    assert not admission.events.filter(type="entered_in_error").exists()


@pytest.mark.parametrize(
    ("call", "why"),
    [
        (dict(reason="  "), "Skriv hvorfor"),
        (dict(event=999), "findes ikke"),
        (dict(values={"at": "2026-02-03T08:00:00+01:00"}), "tidspunkt, type eller meddelelseskode"),
        (dict(values={"discharge_at": "i morgen"}), "skal være et tidspunkt"),
        (dict(values={}), "Angiv den rettede værdi"),
    ],
    ids=["no-reason", "unknown-event", "time", "garbled", "no-values"],
)
def test_bad_corrections_are_refused_in_danish_and_write_nothing(admission, agreed, nurse_actor, call, why):
    version = admission.version
    arguments = dict(
        event=agreed.sequence, reason="Tastefejl", values={"discharge_at": cph("2026-02-05 15:30")}
    )
    with pytest.raises(services.ServiceError, match=why):
        services.correct_event(
            admission, actor=nurse_actor, now=cph("2026-02-03 11:00"), **{**arguments, **call}
        )
    admission.refresh_from_db()
    assert admission.version == version


def test_a_correction_of_a_correction_or_of_an_event_in_error_is_refused(admission, agreed, nurse_actor):
    mark = services.mark_entered_in_error(
        admission, actor=nurse_actor, event=agreed, reason="Forkert", now=cph("2026-02-03 11:00")
    )
    with pytest.raises(services.ServiceError, match="allerede markeret som fejlregistreret") as error:
        services.mark_entered_in_error(
            admission, actor=nurse_actor, event=agreed, reason="Igen", now=cph("2026-02-03 11:05")
        )
    assert error.value.rule == "R-CORRECTION"
    with pytest.raises(services.ServiceError, match="En rettelse kan ikke rettes"):
        services.mark_entered_in_error(
            admission, actor=nurse_actor, event=mark, reason="Fortrudt", now=cph("2026-02-03 11:10")
        )


def test_a_correction_that_would_leave_a_later_event_refused_is_refused(admission, nurse_actor):
    left = services.record_departure(
        admission, at=cph("2026-02-04 10:00"), actor=nurse_actor, now=cph("2026-02-04 10:00")
    )
    services.register_discharge(
        admission, at=cph("2026-02-04 11:00"), actor=nurse_actor, now=cph("2026-02-04 11:00")
    )
    with pytest.raises(
        services.ServiceError, match="for så ville en hændelse på tidslinjen blive afvist"
    ) as error:
        services.mark_entered_in_error(
            admission, actor=nurse_actor, event=left, reason="Forkert", now=cph("2026-02-04 12:00")
        )
    assert error.value.rule == "R-FLOW"


def test_a_departure_cannot_be_marked_in_error_once_the_citizen_is_admitted_again(
    admission, citizen, ward, nurse_actor
):
    left = services.record_departure(
        admission, at=cph("2026-02-04 10:00"), actor=nurse_actor, now=cph("2026-02-04 10:00")
    )
    services.admit_citizen(
        citizen,
        ward,
        at=cph("2026-02-06 09:00"),
        expected_stay="over_48h",
        actor=nurse_actor,
        now=cph("2026-02-06 09:00"),
    )
    with pytest.raises(services.ServiceError, match="borgeren er indlagt igen"):
        services.mark_entered_in_error(
            admission, actor=nurse_actor, event=left, reason="Forkert", now=cph("2026-02-06 10:00")
        )
    admission.refresh_from_db()
    assert admission.left_at == cph("2026-02-04 10:00")


def test_a_usr_in_error_is_no_longer_sent_on_the_board_and_its_duty_returns(
    admission, agreed, nurse, nurse_actor
):
    usr = services.send_usr(
        admission, content={}, at=cph("2026-02-03 11:00"), actor=nurse_actor, now=cph("2026-02-03 11:00")
    )
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        assert "sendt 3. feb. 11:00" in _board_row(nurse)
        services.mark_entered_in_error(admission, actor=nurse_actor, event=usr, reason="Forkert borger")
        # R-USR due at the planned discharge, 5 Feb 14:00, open again
        assert "senest 5. feb. 14:00" in _board_row(nurse)
    assert admission.obligations.get(rule="R-USR").status == "open"


# --- replay and load_timelines ---------------------------------------------------------------------------

TIMELINE = {
    "profile": "hovedstaden",
    "now": "2026-02-03T12:00:00+01:00",
    "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
    "events": [
        {"at": "2026-02-02T14:20:00+01:00", "type": "admitted", "expected_stay": "over_48h", "somatic": True},
        {"at": "2026-02-02T14:21:00+01:00", "type": "message", "code": "ADVIS-IND"},
        {
            "at": "2026-02-02T15:00:00+01:00",
            "type": "discharge_planned",
            "discharge_at": "2026-02-05T14:00:00+01:00",
            "needs_changed": False,
            "practical_help_only": False,
            "municipal_nursing": True,
            "destination": "own_home",
        },
        {
            "at": "2026-02-03T09:00:00+01:00",
            "type": "phone_agreement",
            "discharge_at": "2026-02-05T14:00:00+01:00",
        },
        {
            "at": "2026-02-03T10:00:00+01:00",
            "type": "message",
            "code": "PFP",
            "coordination_needed": False,
            "faerdigbehandlet_date": "2026-02-05",
            "date_certain": True,
        },
        {
            "at": "2026-02-03T11:00:00+01:00",
            "type": "entered_in_error",
            "event": 3,
            "reason": "Forkert borger",
        },
        {
            "at": "2026-02-03T11:30:00+01:00",
            "type": "corrected",
            "event": 4,
            "reason": "Forkert dato",
            "values": {"faerdigbehandlet_date": "2026-02-06"},
        },
    ],
}


def replay(obj, monkeypatch) -> dict:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(obj)))
    out = io.StringIO()
    call_command("replay_timeline", "-", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_replay_with_corrections_gives_what_the_engine_and_the_service_path_give(monkeypatch):
    output = replay(TIMELINE, monkeypatch)
    parsed = rules.parse_timeline(TIMELINE)
    engine = rules.to_replay_dict(
        rules.evaluate(parsed.events, parsed.citizen, rules.PROFILES["hovedstaden"], parsed.now)
    )
    assert output == engine
    by_rule = {o["rule"]: o for o in output["obligations"]}
    # the phone agreement in error: R-CALL-13 open (due 5 Feb 14:00); the PFP's date corrected to 6 Feb:
    # R-PFP-DATE due 5 Feb 13:00, met by that PFP at 10:00
    assert (by_rule["R-CALL-13"]["status"], by_rule["R-CALL-13"]["met_at"]) == ("open", None)
    assert (by_rule["R-PFP-DATE"]["due"], by_rule["R-PFP-DATE"]["status"]) == (
        "2026-02-05T13:00:00+01:00",
        "met",
    )
    assert output["rejected"] == []


@pytest.mark.django_db
def test_replay_lists_a_refused_correction_by_its_input_index_and_goes_on(monkeypatch):
    events = [
        *TIMELINE["events"],
        {"at": "2026-02-03T11:40:00+01:00", "type": "entered_in_error", "event": 5, "reason": "Fortrudt"},
    ]
    output = replay({**TIMELINE, "events": events}, monkeypatch)
    assert [(r["event"], r["rule"]) for r in output["rejected"]] == [(7, "R-CORRECTION")]


@pytest.mark.django_db
def test_a_bad_correction_in_a_replay_input_is_one_clear_line(monkeypatch):
    events = [*TIMELINE["events"][:5], {**TIMELINE["events"][6], "values": {"code": "KM"}}]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({**TIMELINE, "events": events})))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="hændelse 5: en rettelse kan ikke ændre hændelsens tidspunkt"):
        call_command("replay_timeline", "-", stdout=io.StringIO())


@pytest.mark.django_db
def test_load_timelines_records_the_corrections_as_the_services_do(monkeypatch):
    line = {
        **TIMELINE,
        "where": {
            "hospital": "Nordsjællands Hospital",
            "ward": "Medicinsk afdeling",
            "municipality": "0219",
            "cpr": "0101451234",
            "name": "Karen Hansen",
        },
    }
    del line["now"]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line)))
    out = io.StringIO()
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        call_command("load_timelines", "-", stdout=out, stderr=io.StringIO())
    assert out.getvalue().strip() == "loaded 1, failed 0"
    from coordination.models import Admission

    admission = Admission.objects.get(citizen__cpr="0101451234")
    # the input's indexes 3 and 4 became the sequences of the recorded events (admitted = 1)
    marks = {e.type: e.data["event"] for e in admission.events.filter(type__in=rules.CORRECTION_TYPES)}
    assert marks == {"entered_in_error": 4, "corrected": 5}
    assert admission.obligations.get(rule="R-CALL-13").status == "open"
    assert admission.expected_faerdigbehandlet_on.isoformat() == "2026-02-06"
    stored = rules.evaluate(
        admission.timeline(),
        admission.admitted_citizen(),
        admission.region.rules_profiles(),
        cph("2026-02-03 12:00"),
    )
    parsed = rules.parse_timeline(TIMELINE)
    engine = rules.evaluate(parsed.events, parsed.citizen, rules.PROFILES["hovedstaden"], parsed.now)
    assert rules.to_replay_dict(stored) == rules.to_replay_dict(engine)


def _board_row(user) -> str:
    return logged_in(user).get("/").content.decode()


# --- anything in a correction: one clear line or a result, never a traceback, nothing written ----------

CORRECTION_KEYS = ["event", "reason", "values", "at", "type"]
VALUE_KEYS = ["at", "type", "code", "discharge_at", "faerdigbehandlet_date", "date_certain", "date", "x"]


@FUZZ
@given(
    changes=st.dictionaries(st.sampled_from(CORRECTION_KEYS), json_values | st.integers(-2, 9), max_size=3),
    values=st.dictionaries(
        st.sampled_from(VALUE_KEYS), json_values | st.sampled_from(NASTY + TIMES), max_size=3
    ),
)
@pytest.mark.django_db
def test_replay_of_any_correction_is_json_or_one_line_and_writes_nothing(changes, values, monkeypatch):
    from django.core.management.base import CommandError

    from coordination.models import Admission

    correction = {**TIMELINE["events"][6], "values": values, **changes}
    obj = {**TIMELINE, "events": [*TIMELINE["events"][:6], correction]}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(obj)))
    before, out = (Admission.objects.count(), Event.objects.count()), io.StringIO()
    try:
        call_command("replay_timeline", "-", stdout=out)
    except CommandError as error:
        assert error.returncode == 2 and "\n" not in str(error) and out.getvalue() == ""
    else:
        assert set(json.loads(out.getvalue())) >= {"obligations", "rejected"}
    assert (Admission.objects.count(), Event.objects.count()) == before


@pytest.mark.django_db
def test_load_timelines_fails_a_line_whose_correction_is_refused_and_leaves_nothing(monkeypatch):
    from coordination.models import Admission

    events = [
        *TIMELINE["events"],
        {"at": "2026-02-03T11:40:00+01:00", "type": "entered_in_error", "event": 3, "reason": "Igen"},
    ]
    where = {"hospital": "Nordsjællands Hospital", "ward": "Medicinsk afdeling", "municipality": "0219"}
    line = {**TIMELINE, "events": events, "where": {**where, "cpr": "0101451234", "name": "Karen Hansen"}}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line)))
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False), pytest.raises(SystemExit) as exit_:
        call_command("load_timelines", "-", stdout=out, stderr=err)
    assert exit_.value.code == 1 and out.getvalue().strip() == "loaded 0, failed 1"
    assert (
        "linje 1: hændelse 7: " in err.getvalue()
        and "allerede markeret som fejlregistreret" in err.getvalue()
    )
    assert not Admission.objects.filter(citizen__cpr="0101451234").exists()
