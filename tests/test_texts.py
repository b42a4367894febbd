"""coordination.texts: a key and its parameters become a sentence when shown, in the reader's language, with
dates by the locale and "i dag" / "i går" from when the reader looks; and the migration that turned the stored
inbox sentences into kinds with parameters."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from coordination import reminders, rules, services, texts
from coordination.models import Notification, NotificationKind
from coordination.services import ServiceError
from tests.conftest import CPH, cph

ROOT = Path(__file__).resolve().parents[1] / "coordination"


def in_(language, key, params=None):
    with translation.override(language):
        return texts.text(key, params)


# --- Keys to sentences ----------------------------------------------------------------------------------


def test_a_refusal_is_made_in_danish_and_in_english_with_the_locales_date():
    params = {"since": "2026-12-01"}
    assert in_("da", "fb.already_registered", params) == (
        "Borgeren er allerede registreret færdigbehandlet fra 1. dec. 2026."
    )
    assert in_("en", "fb.already_registered", params) == (
        "The citizen is already registered medically ready from 1 Dec 2026."
    )


def test_a_clock_parameter_is_shown_with_a_colon_in_both_languages():
    params = {"at": "22:14", "start": "20:00", "end": "07:00"}
    assert "kl. 22:14" in in_("da", "plejebolig.late_plan", params)
    assert "at 22:14" in in_("en", "plejebolig.late_plan", params)
    assert "between 20:00 and 07:00" in in_("en", "plejebolig.late_plan", params)


def test_a_side_and_an_event_type_are_named_in_the_readers_language():
    assert (
        in_("da", "service.wrong_side", {"side": "hospital"}) == "Det er hospitalet, der registrerer dette."
    )
    assert "hospital" in in_("en", "service.wrong_side", {"side": "hospital"})
    assert "»Indlagt«" in in_(
        "da", "flow.event_after_leaving", {"event_type": "admitted", "left": "2026-03-05"}
    )


def test_every_key_reads_differently_in_english():
    same = [key for key in texts.TEXTS if in_("da", key) == in_("en", key)]
    assert same == []


def test_the_replay_keeps_danish_whatever_language_is_active():
    with translation.override("en"):
        assert texts.danish("fb.terminal") == (
            "Patienter, der lægeligt vurderes som terminale, registreres ikke færdigbehandlet."
        )


def test_a_service_error_is_a_key_whose_text_follows_the_active_language():
    error = ServiceError("service.in_future", field="at")
    with translation.override("da"):
        assert error.message.startswith("Tidspunktet ligger i fremtiden") and str(error) == error.message
    with translation.override("en"):
        assert error.message.startswith("The time is in the future")
    assert error.key == "service.in_future" and error.field == "at"


def test_every_key_the_engine_and_the_services_use_has_a_text():
    used = set()
    for path in [*ROOT.glob("rules/*.py"), *ROOT.glob("services/*.py")]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'"((?:flow|psyk|fb|plejebolig|service|timeline)\.[a-z_]+)"', source))
    assert used and used <= set(texts.TEXTS), used - set(texts.TEXTS)


def test_the_engine_returns_keys_and_parameters_not_sentences():
    events = rules.parse_timeline(
        {
            "profile": "hovedstaden",
            "now": "2026-03-06T10:00:00+01:00",
            "citizen": {
                "known_in_eoj": True,
                "residence": "own_home",
                "social_area": False,
                "terminal": False,
            },
            "events": [
                {
                    "at": "2026-03-02T10:00:00+01:00",
                    "type": "admitted",
                    "expected_stay": "over_48h",
                    "somatic": True,
                },
                {"at": "2026-03-03T10:00:00+01:00", "type": "treatment_resumed", "reason": "relapse"},
                {"at": "2026-03-04T10:00:00+01:00", "type": "faerdigbehandlet", "date": "2026-03-04"},
            ],
        }
    )
    result = rules.evaluate(events.events, events.citizen, rules.PROFILES["hovedstaden"], events.now)
    assert [(r.rule, r.key) for r in result.rejected] == [("R-FB-RESUME", "fb.resume_without_period")]
    assert [(w.rule, w.key) for w in result.warnings] == [("R-FB-REASON", "fb.no_reason")]


@pytest.mark.django_db
def test_stored_warnings_are_keys_and_the_page_makes_their_text(admission, hospital_actor):
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    admission.refresh_from_db()
    stored = [w for w in admission.warnings if w["rule"] == "R-FB-REASON"]
    assert stored == [{"rule": "R-FB-REASON", "key": "fb.no_reason", "params": {}}]
    with translation.override("en"):
        assert texts.warning_text(stored[0]).startswith("Medically ready was registered with no reason")
    assert texts.warning_text({"rule": "R-X", "message": "gammel tekst"}) == "gammel tekst"


# --- "i dag" and "i går" from when the reader looks -----------------------------------------------------


@pytest.mark.django_db
def test_a_reminder_says_today_on_its_day_and_yesterday_the_day_after(admission, visitator):
    reminders.sweep(cph("2026-02-02 20:21"))
    item = Notification.objects.get(user=visitator, reminder__rule="R-MILR")
    assert item.kind == NotificationKind.REMINDER and "text" not in item.params
    with time_machine.travel(cph("2026-02-02 21:00"), tick=False):
        assert item.text == "MILR sendes for Karen Hansen skal ske senest kl. 22:21 i dag (R-MILR)"
        with translation.override("en"):
            assert item.text.endswith("is due at 22:21 today (R-MILR)")
    with time_machine.travel(cph("2026-02-03 08:00"), tick=False):
        assert item.text.endswith("kl. 22:21 i går (R-MILR)")
        with translation.override("en"):
            assert item.text.endswith("at 22:21 yesterday (R-MILR)")
    with time_machine.travel(cph("2026-02-10 08:00"), tick=False):
        assert item.text.endswith("kl. 22:21 2. feb. 2026 (R-MILR)")


def test_when_names_tomorrow_and_other_days_by_the_locale():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=CPH)
    with translation.override("da"):
        assert texts.when(datetime(2026, 12, 2, 8, 5, tzinfo=CPH), now) == "kl. 08:05 i morgen"
        assert texts.when(datetime(2026, 12, 24, 8, 5, tzinfo=CPH), now) == "kl. 08:05 24. dec. 2026"
    with translation.override("en"):
        assert texts.when(datetime(2026, 12, 2, 8, 5, tzinfo=CPH), now) == "at 08:05 tomorrow"
        assert texts.when(datetime(2026, 12, 24, 8, 5, tzinfo=CPH), now) == "at 08:05 on 24 Dec 2026"


# --- The migration: stored sentences become kinds with parameters ---------------------------------------

BEFORE = [("coordination", "0016_i11b_database_enforces")]
AFTER = [("coordination", "0017_i10t_texts_made_when_shown")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_old_stored_sentences_into_parameters(admission, visitator):
    reminders.sweep(cph("2026-02-02 20:21"))  # a reminder and its obligation to point at
    reminder = Notification.objects.get(user=visitator, reminder__rule="R-MILR").reminder
    advis = admission.events.get(type="message")
    Notification.objects.all().delete()
    admission.warnings = [
        {"rule": "R-FB-REASON", "message": "færdigbehandlet er registreret uden begrundelse"}
    ]
    admission.reevaluate_at = None
    admission.save()
    try:
        old = _migrate(BEFORE)
        OldNotification = old.get_model("coordination", "Notification")
        common = {
            "user_id": visitator.pk,
            "admission_id": admission.pk,
            "created_at": cph("2026-02-02 20:21"),
        }
        OldNotification.objects.create(
            kind="reminder",
            reminder_id=reminder.pk,
            text="MILR sendes for Karen Hansen skal ske senest kl. 22:21 i dag (R-MILR)",
            **common,
        )
        OldNotification.objects.create(
            kind="message", event_id=advis.pk, text="Ny ADVIS-IND for Karen Hansen fra X kl. 14:21", **common
        )
        OldNotification.objects.create(kind="overview", text="En gammel oversigt", **common)
        _migrate(AFTER)
    finally:
        _migrate(AFTER)  # the database as the other tests expect it, whatever happened
    items = {n.kind: n for n in Notification.objects.all()}
    assert items["reminder"].params == {
        "rule": "R-MILR",
        "message_code": None,
        "due_at": reminder.due_at.isoformat(),
        "overdue": False,
    }
    assert items["message"].params["code"] == "ADVIS-IND"
    assert items["overview"].params == {"text": "En gammel oversigt"}
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        assert (
            items["reminder"].text == "MILR sendes for Karen Hansen skal ske senest kl. 22:21 i går (R-MILR)"
        )
        with translation.override("en"):
            assert items["message"].text.startswith("New ADVIS-IND for Karen Hansen from ")
            assert items["message"].text.endswith("at 14:21 yesterday")
    assert items["overview"].text == "En gammel oversigt"
    admission.refresh_from_db()
    assert admission.reevaluate_at is not None  # the sweep derives it again and stores the warnings' keys
    services.refresh_due_admissions()
    admission.refresh_from_db()
    assert all("key" in w for w in admission.warnings)


# --- One vocabulary -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_printouts_call_milr_and_mof_what_rules_md_calls_them(
    admission, hospital_actor, municipality_actor
):
    from coordination.printouts.course import gather

    services.send_message(
        admission, "MILR", at=cph("2026-02-02 16:00"), actor=municipality_actor, now=cph("2026-02-02 16:00")
    )
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["hjaelpemidler"],
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    with translation.override("da"):
        names = {m.code: m.name for m in gather(admission, cph("2026-02-05 10:00")).messages}
    assert names["MILR"] == "Manuelt opdateret indlæggelsesrapport"
    assert names["MOF"] == "Melding om færdigbehandling"


def test_a_fixed_km_subject_is_named_in_the_readers_language_and_free_text_as_written():
    from coordination.presentation import km_subject

    with translation.override("en"):
        assert km_subject("Plejeforløbsplan ok") == "Care plan OK"
        assert km_subject("Spørgsmål om hjælpemidler") == "Spørgsmål om hjælpemidler"
    with translation.override("da"):
        assert km_subject("Plejeforløbsplan ok") == "Plejeforløbsplan ok"


@pytest.mark.django_db
def test_the_replay_json_keeps_danish_messages_with_english_active():
    from coordination.timelines import replay

    timeline = rules.parse_timeline(
        {
            "profile": "hovedstaden",
            "now": "2026-03-06T10:00:00+01:00",
            "citizen": {
                "known_in_eoj": True,
                "residence": "own_home",
                "social_area": False,
                "terminal": False,
            },
            "events": [
                {
                    "at": "2026-03-02T10:00:00+01:00",
                    "type": "admitted",
                    "expected_stay": "over_48h",
                    "somatic": True,
                },
                {"at": "2026-03-03T10:00:00+01:00", "type": "treatment_resumed", "reason": "relapse"},
                {"at": "2026-03-04T10:00:00+01:00", "type": "faerdigbehandlet", "date": "2026-03-04"},
            ],
        }
    )
    with translation.override("en"):
        output = replay(timeline)
    assert output["rejected"] == [
        {
            "event": 1,
            "rule": "R-FB-RESUME",
            "message": "Borgeren er ikke registreret færdigbehandlet, så behandlingen kan ikke genoptages.",
        }
    ]
    assert [w["message"] for w in output["warnings"]] == [
        "Færdigbehandlet er registreret uden begrundelse for den fortsatte indlæggelse "
        "(hvad venter borgeren på?)."
    ]
