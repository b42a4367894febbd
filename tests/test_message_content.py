"""A message's text (`content`): stored with the event, passed through by the parser, never judged."""

import pytest

from coordination import rules, services
from coordination.printouts.content import usr_content
from tests.conftest import cph
from tests.printout_data import USR_CONTENT


@pytest.mark.django_db
def test_a_usr_keeps_its_content_in_the_timeline(admission, hospital_actor):
    at = cph("2026-02-03 10:00")
    event = services.send_message(admission, "USR", at=at, actor=hospital_actor, now=at, content=USR_CONTENT)
    event.refresh_from_db()
    assert event.data == {"code": "USR", "content": USR_CONTENT}
    assert admission.timeline()[-1].data["content"] == USR_CONTENT


@pytest.mark.django_db
def test_content_changes_nothing_the_rules_derive(admission, hospital_actor):
    at = cph("2026-02-03 10:00")
    plain = rules.parse_event({"at": at.isoformat(), "type": "message", "code": "USR"}, 9)
    services.send_message(admission, "USR", at=at, actor=hospital_actor, now=at, content=USR_CONTENT)
    with_content, profiles = admission.timeline(), admission.region.rules_profiles()
    citizen = admission.admitted_citizen()
    without = [*with_content[:-1], rules.Event(plain.type, plain.at, plain.data, with_content[-1].id)]
    assert rules.to_replay_dict(rules.evaluate(with_content, citizen, profiles, at)) == rules.to_replay_dict(
        rules.evaluate(without, citizen, profiles, at)
    )


@pytest.mark.django_db
def test_content_that_is_not_an_object_is_refused(admission, hospital_actor):
    at = cph("2026-02-03 10:00")
    with pytest.raises(services.ServiceError) as refusal:
        services.send_message(admission, "USR", at=at, actor=hospital_actor, now=at, content="Furix")
    assert refusal.value.field == "content"


def test_replay_ignores_a_content_field_that_is_not_an_object():
    raw = {"at": "2026-02-03T10:00:00+01:00", "type": "message", "code": "USR", "content": "tekst"}
    assert rules.parse_event(raw, 3).data == {"code": "USR"}


def test_malformed_content_is_read_forgivingly():
    content = usr_content(
        {
            "content": {
                "summary": 42,
                "medicine": [{"name": "Furix 40 mg"}, "Panodil", {"dose": "uden navn"}],
                "appointments": [{"at": "i morgen", "what": "Kontrol"}, {"at": "2026-02-10", "what": ""}],
                "help": {"what": "ikke en liste"},
            }
        }
    )
    assert content.summary == ""
    assert [m.name for m in content.medicine] == ["Furix 40 mg"]
    assert [(a.what, a.day) for a in content.appointments] == [("Kontrol", None)]
    assert content.help == ()
