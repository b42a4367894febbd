"""The facts the rules read about a citizen (known in EOJ, residence, social area, terminal) live on the
admission's timeline: recorded with the admission, changed only by a `citizen_changed` event (issue 10)."""

from datetime import date

import pytest
import time_machine
from django.contrib.admin.sites import site

from coordination import services
from coordination.models import Admission, Citizen, Event
from coordination.services import ServiceError
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality
from tests.test_commands_replay import replay

HTMX = {"HX-Request": "true"}


def _new_admission(client, ward, cpr, at, **facts):
    data = {
        "new-cpr": cpr,
        "new-name": "Inger Larsen",
        "new-municipality": municipality("0219").pk,
        "new-residence": facts.get("residence", "own_home"),
        "new-expected_stay": "over_48h",
        "new-at": at,
        "new-ward": ward.pk,
    }
    for name in ("known_in_eoj", "social_area", "terminal"):
        if facts.get(name):
            data[f"new-{name}"] = "on"
    return client.post("/admissions/new/", data)


def test_readmitting_through_the_form_never_changes_an_earlier_admissions_rule_inputs(ward, nurse):
    # First stay: a terminal citizen in a plejebolig, unknown in EOJ. Second stay: the form says otherwise.
    client, cpr = logged_in(nurse), CitizenFactory.build().cpr
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        _new_admission(client, ward, cpr, "2026-02-03T08:00", residence="plejebolig", terminal=True)
    first = Admission.objects.get(citizen__cpr=cpr)
    services.record_departure(
        first, at=cph("2026-02-05 10:00"), actor=services.Actor.system(), now=cph("2026-02-05 10:00")
    )
    with time_machine.travel(cph("2026-03-01 09:00"), tick=False):
        # a new shift, a new login (sessions end)
        _new_admission(logged_in(nurse), ward, cpr, "2026-03-01T08:00", known_in_eoj=True)
    second = Admission.objects.get(citizen__cpr=cpr, left_at__isnull=True)
    first.refresh_from_db()
    services.refresh_derived_state(first, now=cph("2026-03-01 09:00"))
    first.refresh_from_db()
    assert (first.citizen_facts.terminal, first.citizen_facts.residence) == (True, "plejebolig")
    assert first.citizen_facts.known_in_eoj is False and first.ilr_expected is False  # R-ILR
    assert (second.citizen_facts.terminal, second.citizen_facts.residence) == (False, "own_home")
    assert second.ilr_expected is True


def test_the_new_admission_form_records_terminal_and_social_area_with_the_admission(ward, nurse):
    client, cpr = logged_in(nurse), CitizenFactory.build().cpr
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        _new_admission(client, ward, cpr, "2026-02-03T08:00", social_area=True, terminal=True)
    admitted = Event.objects.get(admission__citizen__cpr=cpr, type="admitted")
    assert admitted.data["citizen"] == {
        "known_in_eoj": False,
        "residence": "own_home",
        "social_area": True,
        "terminal": True,
    }


def test_the_municipality_corrects_known_in_eoj_and_the_timeline_shows_who_and_why(admission, visitator):
    # R-ILR: once the municipality says the citizen is not in its care record, no ILR is expected.
    assert admission.ilr_expected is True
    client = logged_in(visitator)
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        body = client.post(
            f"/admissions/{admission.pk}/actions/citizen/",
            {
                "citizen-at": "2026-02-03T11:00",
                "citizen-expected_version": admission.version,
                "citizen-residence": "own_home",
                "citizen-reason": "Ikke visiteret til hjælp før",
            },
            headers=HTMX,
        ).content.decode()
    event = Event.objects.get(admission=admission, type="citizen_changed")
    changed = {name: value for name, value in event.data.items() if value is not None}
    assert changed == {"known_in_eoj": False, "reason": "Ikke visiteret til hjælp før"}
    assert event.recorded_by == visitator
    assert "kendt i EOJ: nej · begrundelse: Ikke visiteret til hjælp før" in body
    admission.refresh_from_db()
    assert admission.ilr_expected is False
    assert admission.admitted_citizen().known_in_eoj is True  # what was recorded at admission stays


def test_terminal_recorded_later_refuses_a_later_faerdigbehandlet_but_not_an_earlier_one(
    admission, hospital_actor
):
    # R-FB-TERMINAL reads the facts as they stood at each event: registered 4 Feb, terminal from 5 Feb.
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig"],
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    services.change_citizen_facts(
        admission,
        at=cph("2026-02-05 09:00"),
        terminal=True,
        reason="Lægen vurderer patienten terminal",
        actor=hospital_actor,
        now=cph("2026-02-05 09:00"),
    )
    admission.refresh_from_db()
    assert admission.periods.filter(voided=False).count() == 1


def test_a_change_needs_a_reason_and_a_change(admission, hospital_actor):
    at = cph("2026-02-03 10:00")
    with pytest.raises(ServiceError) as no_reason:
        services.change_citizen_facts(
            admission, at=at, terminal=True, reason=" ", actor=hospital_actor, now=at
        )
    assert no_reason.value.field == "reason"
    with pytest.raises(ServiceError) as nothing:
        services.change_citizen_facts(
            admission, at=at, terminal=False, reason="Tjek", actor=hospital_actor, now=at
        )
    assert "Intet er ændret" in nothing.value.message
    assert not admission.events.filter(type="citizen_changed").exists()


@pytest.mark.django_db
def test_replay_honours_a_citizen_change(monkeypatch):
    # Terminal from 10:00 on 3 Feb: the færdigbehandlet at 12:00 is refused (R-FB-TERMINAL).
    timeline = {
        "profile": "hovedstaden",
        "now": "2026-02-04T12:00:00+01:00",
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": [
            {
                "at": "2026-02-02T14:20:00+01:00",
                "type": "admitted",
                "expected_stay": "over_48h",
                "somatic": True,
            },
            {
                "at": "2026-02-03T10:00:00+01:00",
                "type": "citizen_changed",
                "terminal": True,
                "reason": "læge",
            },
            {"at": "2026-02-03T12:00:00+01:00", "type": "faerdigbehandlet", "date": "2026-02-03"},
        ],
    }
    result = replay(timeline, monkeypatch)
    assert [(r["event"], r["rule"]) for r in result["rejected"]] == [(2, "R-FB-TERMINAL")]


def test_the_admin_cannot_edit_the_facts_behind_the_timelines_back():
    # The citizen's row holds registry data only; the admin has nothing of the rules' facts to edit.
    fields = {f.name for f in Citizen._meta.get_fields()} | set(site._registry[Citizen].list_display)
    assert not {"known_in_eoj", "residence", "social_area", "terminal"} & fields
