"""parse_timeline / parse_event: REPLAY.md's input, typed, and every error as one Danish line."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from coordination.rules import TimelineError, parse_event, parse_timeline
from tests.replay_checks import admitted, event, km, message, pfp, planned, timeline

VALID = timeline(
    [
        admitted("2026-03-02T10:00:00+01:00"),
        message("2026-03-02T10:01:00+01:00", "ADVIS-IND"),
        pfp("2026-03-03T10:00:00+01:00", "2026-03-05", certain=False, coordination=True),
        km("2026-03-03T11:00:00+01:00", "municipality", "Plejeforløbsplan ok"),
        planned("2026-03-04T10:00:00+01:00", "2026-03-05T14:00:00+01:00"),
        event("2026-03-04T11:00:00+01:00", "faerdigbehandlet", date="2026-03-04"),
        event("2026-03-04T12:00:00Z", "conference_held", discharge_at=None),
    ],
    now="2026-03-06T10:00:00+01:00",
)


def test_a_valid_timeline_is_typed():
    replay = parse_timeline(VALID)
    assert replay.profile == "hovedstaden"
    assert replay.citizen.known_in_eoj is True
    assert [e.id for e in replay.events] == list(range(7))
    assert replay.events[2].data == {
        "code": "PFP",
        "coordination_needed": True,
        "faerdigbehandlet_date": date(2026, 3, 5),
        "date_certain": False,
    }
    assert replay.events[3].data["from"] == "municipality"
    # optional fields absent or null get their defaults
    assert replay.events[4].data["rehabilitation_needed"] is False
    assert replay.events[5].data["waiting_for"] == ()
    assert replay.events[6].data["discharge_at"] is None
    # times are aware; a Z time is the same instant in Copenhagen (13:00 +01:00)
    assert replay.events[6].at.isoformat() == "2026-03-04T13:00:00+01:00"


def _broken(path: tuple, value: object) -> dict:
    """VALID with one field changed (value ... = delete)."""
    data = copy.deepcopy(VALID)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("profile",), "nordjylland", "tidslinjen: feltet 'profile' har den ukendte værdi 'nordjylland'"),
        (
            ("now",),
            "2026-03-06T10:00:00",
            "tidslinjen: tidspunktet '2026-03-06T10:00:00' mangler UTC-forskydning",
        ),
        (("citizen", "residence"), "hotel", "feltet 'residence' har den ukendte værdi 'hotel'"),
        (("citizen", "terminal"), "no", "feltet 'terminal' skal være true eller false"),
        (("events", 0, "somatic"), ..., "hændelse 0: feltet 'somatic' mangler"),
        (("events", 0, "somatic"), 1, "hændelse 0: feltet 'somatic' skal være true eller false"),
        (("events", 1, "code"), "ADVIS-UD", "hændelse 1: ADVIS-UD er ikke en gyldig meddelelseskode"),
        (
            ("events", 1, "code"),
            "MOF-GENOPTAGET",
            "hændelse 1: MOF-GENOPTAGET er ikke en gyldig meddelelseskode",
        ),
        (("events", 1, "code"), "XYZ", "hændelse 1: feltet 'code' har den ukendte værdi 'XYZ'"),
        (
            ("events", 2, "faerdigbehandlet_date"),
            "5/3/2026",
            "hændelse 2: feltet 'faerdigbehandlet_date' skal være en dato",
        ),
        (("events", 2, "date_certain"), None, "hændelse 2: feltet 'date_certain' mangler"),
        (("events", 3, "from"), "gp", "hændelse 3: feltet 'from' har den ukendte værdi 'gp'"),
        (
            ("events", 4, "discharge_at"),
            "i morgen",
            "hændelse 4: feltet 'discharge_at' skal være et tidspunkt",
        ),
        (("events", 4, "destination"), "hospice", "hændelse 4: feltet 'destination' har den ukendte værdi"),
        (
            ("events", 5, "waiting_for"),
            ["ferie"],
            "hændelse 5: feltet 'waiting_for' har den ukendte årsag 'ferie'",
        ),
        (("events", 5, "waiting_for"), "plejebolig", "hændelse 5: feltet 'waiting_for' skal være en liste"),
        (("events", 5, "type"), "teleported", "hændelse 5: ukendt hændelsestype 'teleported'"),
        (("events", 5, "at"), ..., "hændelse 5: feltet 'at' mangler"),
        (
            ("events", 5, "at"),
            "2026-03-04T11:00:00",
            "hændelse 5: tidspunktet '2026-03-04T11:00:00' mangler UTC-forskydning (fx +01:00)",
        ),
        (
            ("events", 5, "at"),
            "2026-03-01T11:00:00+01:00",
            "hændelse 5: tidspunktet 2026-03-01T11:00:00+01:00 ligger før hændelse 4",
        ),
        (
            ("events", 6, "at"),
            "2026-03-07T11:00:00+01:00",
            "hændelse 6: tidspunktet 2026-03-07T11:00:00+01:00 ligger efter now",
        ),
        (("events", 0, "type"), "left_ward", "hændelse 0: den første hændelse skal være 'admitted'"),
        (("events",), [], "hændelse 0: mangler"),
        (("events", 2), "PFP", "hændelse 2: skal være et JSON-objekt"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_every_input_error_is_one_danish_line_naming_the_event(path, value, expected):
    with pytest.raises(TimelineError) as caught:
        parse_timeline(_broken(path, value))
    message_text = str(caught.value)
    assert message_text.startswith(expected) or expected in message_text, message_text
    assert "\n" not in message_text


def test_a_value_with_a_newline_still_gives_one_line():
    with pytest.raises(TimelineError) as caught:
        parse_timeline(_broken(("events", 1, "code"), "A\nB"))
    assert "\n" not in str(caught.value)


def test_parse_event_validates_one_event_and_gives_it_its_index_as_id():
    parsed = parse_event({"at": "2026-03-02T10:00:00+01:00", "type": "mof_disputed", "note": "for sent"}, 7)
    assert (parsed.type, parsed.id, parsed.data) == ("mof_disputed", 7, {"note": "for sent"})
    with pytest.raises(TimelineError, match=r"^hændelse 3: feltet 'reason' har den ukendte værdi 'bored'"):
        parse_event({"at": "2026-03-02T10:00:00+01:00", "type": "treatment_resumed", "reason": "bored"}, 3)
    with pytest.raises(TimelineError, match=r"^hændelse 0: feltet 'by' mangler"):
        parse_event({"at": "2026-03-02T10:00:00+01:00", "type": "message_read", "code": "MOF"}, 0)


def test_reads_may_name_the_messages_that_follow_from_events():
    parsed = parse_event(
        {"at": "2026-03-02T10:00:00+01:00", "type": "message_read", "code": "ADVIS-UD", "by": "municipality"},
        4,
    )
    assert parsed.data == {"code": "ADVIS-UD", "by": "municipality"}
