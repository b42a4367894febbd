"""R-FK and R-FK-QUALITY (seed 004): the course of forløbskoordination on one admission's timeline, the
coordinator's follow-up home visit after discharge, and the six quality parameters per course."""

from __future__ import annotations

import pytest

from coordination.rules import TimelineError, parse_event
from tests.replay_checks import admitted, at, event, km, message, obligations_of, only, pfp, planned, run

ADMITTED = "2026-03-02T10:00:00+01:00"


def included(
    at_: str, *, by="municipality", criteria=("reduced_function",), coordinator="fk.anna", side=None
):
    fields = {"by": by, "criteria": list(criteria), "coordinator": coordinator}
    if side:
        fields["coordinator_side"] = side
    return event(at_, "fk_included", **fields)


def left(at_: str):
    return event(at_, "left_ward")


def visit_planned(at_: str, due_on: str):
    return event(at_, "fk_visit_planned", due_on=due_on)


def visit_done(at_: str):
    return event(at_, "fk_visit_done")


def ended(at_: str, note="Borgeren klarer sig selv"):
    return event(at_, "fk_ended", note=note)


def course(*steps):
    """Admitted 2 March 2026 10:00 with the advis a minute later, then the given steps."""
    return [admitted(ADMITTED), message("2026-03-02T10:01:00+01:00", "ADVIS-IND"), *steps]


def rejected_rules(evaluation):
    return [(r.event, r.rule) for r in evaluation.rejected]


# --- R-FK: inclusion, coordinator, visit, end ------------------------------------------------------------


def test_an_inclusion_names_criteria_coordinator_and_the_side_that_included():
    evaluation = run(
        course(included("2026-03-02T12:00:00+01:00", by="hospital", criteria=("weak_network", "abuse"))),
        now="2026-03-03T10:00:00+01:00",
    )
    fact = evaluation.forloeb
    assert (fact.included_by, fact.criteria, fact.coordinator) == (
        "hospital",
        ("weak_network", "abuse"),
        "fk.anna",
    )
    # no coordinator side given: the side that included owns the visit
    assert fact.coordinator_side == "hospital"
    assert evaluation.rejected == ()


def test_without_an_inclusion_there_is_no_course_and_no_visit():
    evaluation = run(course(), now="2026-03-03T10:00:00+01:00")
    assert evaluation.forloeb is None
    assert obligations_of(evaluation, "R-FK") == []


def test_an_inclusion_needs_at_least_one_criterion_ticked():
    # seed 004: criteria support the professional judgement; a reading closest to it: at least one is ticked
    evaluation = run(
        course(included("2026-03-02T12:00:00+01:00", criteria=())), now="2026-03-03T10:00:00+01:00"
    )
    assert rejected_rules(evaluation) == [(2, "R-FK")]
    assert evaluation.forloeb is None


def test_an_unknown_criterion_is_no_timeline():
    with pytest.raises(TimelineError, match="criteria"):
        parse_event(included("2026-03-02T12:00:00+01:00", criteria=("lonely",)), 2)


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        # a second inclusion in the same admission
        ([included("2026-03-02T12:00:00+01:00"), included("2026-03-02T13:00:00+01:00")], 3),
        # a change, a plan, a visit or an end without an inclusion
        ([event("2026-03-02T12:00:00+01:00", "fk_coordinator_changed", coordinator="fk.bo")], 2),
        ([visit_planned("2026-03-02T12:00:00+01:00", "2026-03-10")], 2),
        ([ended("2026-03-02T12:00:00+01:00")], 2),
        # the visit is after discharge: not while the citizen is on the ward
        ([included("2026-03-02T12:00:00+01:00"), visit_done("2026-03-03T12:00:00+01:00")], 3),
        # a due before the departure date (left 5 March; due 4 March)
        (
            [
                included("2026-03-02T12:00:00+01:00"),
                left("2026-03-05T11:00:00+01:00"),
                visit_planned("2026-03-05T12:00:00+01:00", "2026-03-04"),
            ],
            4,
        ),
        # the end needs a note
        ([included("2026-03-02T12:00:00+01:00"), ended("2026-03-03T12:00:00+01:00", note="  ")], 3),
        # nothing after the end
        (
            [
                included("2026-03-02T12:00:00+01:00"),
                ended("2026-03-03T12:00:00+01:00"),
                visit_planned("2026-03-03T13:00:00+01:00", "2026-03-10"),
            ],
            4,
        ),
    ],
)
def test_steps_out_of_the_course_order_are_refused_by_r_fk(steps, refused):
    evaluation = run(course(*steps), now="2026-03-06T10:00:00+01:00")
    assert rejected_rules(evaluation) == [(refused, "R-FK")]


# The follow-up home visit: due the end of the date the coordinator set, owned by the coordinator's side.
# | plan (due_on) | visit done           | now              | due (end of due_on)        | status  |
# | none          | none                 | 10 March         | None ("hurtigst muligt")   | open    |
# | 12 March      | none                 | 12 March 23:59   | 13 March 00:00 +01:00      | open    |
# | 12 March      | none                 | 13 March 00:01   | 13 March 00:00 +01:00      | overdue |
# | 12 March      | 12 March 16:00       | 20 March         | 13 March 00:00             | met     |
# | 12 March      | 13 March 09:00       | 20 March         | 13 March 00:00             | late    |
# | 12 → 14 March | 13 March 09:00       | 20 March         | 15 March 00:00 (newest)    | met     |
@pytest.mark.parametrize(
    ("plans", "done", "now", "due", "status"),
    [
        ([], None, "2026-03-10T10:00:00+01:00", None, "open"),
        (["2026-03-12"], None, "2026-03-12T23:59:00+01:00", "2026-03-13T00:00:00+01:00", "open"),
        (["2026-03-12"], None, "2026-03-13T00:01:00+01:00", "2026-03-13T00:00:00+01:00", "overdue"),
        (
            ["2026-03-12"],
            "2026-03-12T16:00:00+01:00",
            "2026-03-20T10:00:00+01:00",
            "2026-03-13T00:00:00+01:00",
            "met",
        ),
        (
            ["2026-03-12"],
            "2026-03-13T09:00:00+01:00",
            "2026-03-20T10:00:00+01:00",
            "2026-03-13T00:00:00+01:00",
            "late",
        ),
        (
            ["2026-03-12", "2026-03-14"],
            "2026-03-13T09:00:00+01:00",
            "2026-03-20T10:00:00+01:00",
            "2026-03-15T00:00:00+01:00",
            "met",
        ),
    ],
)
def test_the_home_visit_is_due_the_end_of_the_coordinators_date(plans, done, now, due, status):
    steps = [included("2026-03-02T12:00:00+01:00", side="municipality"), left("2026-03-06T11:00:00+01:00")]
    steps += [visit_planned(f"2026-03-06T1{2 + i}:00:00+01:00", day) for i, day in enumerate(plans)]
    if done:
        steps.append(visit_done(done))
    visit = only(run(course(*steps), now=now), "R-FK")
    assert visit.owner == "municipality"
    assert visit.due == (at(due) if due else None)
    assert visit.status == status


def test_the_home_visit_due_is_wall_clock_midnight_across_summer_time():
    # due 29 March 2026, the day summer time starts: the end of the day is 30 March 00:00 +02:00 (22:00Z)
    steps = [
        included("2026-03-02T12:00:00+01:00"),
        left("2026-03-20T11:00:00+01:00"),
        visit_planned("2026-03-20T12:00:00+01:00", "2026-03-29"),
        visit_done("2026-03-29T23:30:00+02:00"),
    ]
    visit = only(run(course(*steps), now="2026-04-01T10:00:00+02:00"), "R-FK")
    assert visit.due == at("2026-03-30T00:00:00+02:00")
    assert visit.status == "met"


def test_a_new_coordinator_owns_the_visit_from_then_on():
    steps = [
        included("2026-03-02T12:00:00+01:00", by="hospital", side="hospital"),
        event(
            "2026-03-04T09:00:00+01:00",
            "fk_coordinator_changed",
            coordinator="fk.bo",
            coordinator_side="municipality",
        ),
    ]
    evaluation = run(course(*steps), now="2026-03-05T10:00:00+01:00")
    assert (evaluation.forloeb.coordinator, evaluation.forloeb.coordinator_side) == ("fk.bo", "municipality")
    assert only(evaluation, "R-FK").owner == "municipality"


def test_a_course_ended_before_the_citizen_left_lists_no_visit_but_one_ended_after_keeps_it():
    before = run(
        course(included("2026-03-02T12:00:00+01:00"), ended("2026-03-03T12:00:00+01:00", note="Død")),
        now="2026-03-05T10:00:00+01:00",
    )
    assert obligations_of(before, "R-FK") == []
    assert before.forloeb.ended_at == at("2026-03-03T12:00:00+01:00")
    after = run(
        course(
            included("2026-03-02T12:00:00+01:00"),
            left("2026-03-04T10:00:00+01:00"),
            visit_planned("2026-03-04T11:00:00+01:00", "2026-03-06"),
            ended("2026-03-09T12:00:00+01:00", note="Genindlagt"),
        ),
        now="2026-03-10T10:00:00+01:00",
    )
    # the visit that was not made stays a missed visit in the figures
    assert only(after, "R-FK").status == "overdue"


def test_the_course_steps_are_accepted_after_the_departure_and_the_discharge_registration():
    steps = [
        left("2026-03-04T10:00:00+01:00"),
        event("2026-03-04T10:30:00+01:00", "discharge_registered"),
        included("2026-03-04T11:00:00+01:00"),
        visit_planned("2026-03-04T11:05:00+01:00", "2026-03-06"),
        visit_done("2026-03-06T10:00:00+01:00"),
        event("2026-03-06T11:00:00+01:00", "epikrise_sent", on_time=True),
        ended("2026-03-06T12:00:00+01:00"),
    ]
    evaluation = run(course(*steps), now="2026-03-07T10:00:00+01:00")
    assert evaluation.rejected == ()
    assert only(evaluation, "R-FK").status == "met"


# --- R-FK-QUALITY: the six parameters per course ---------------------------------------------------------

GOOD_COURSE = course(
    included("2026-03-02T12:00:00+01:00"),
    # R-MILR: advis 10:01 + 8 h = due 18:01; the MILR at 15:00 is on time
    message("2026-03-02T15:00:00+01:00", "MILR"),
    # R-PFP-DATE: certain date 5 March -> due 4 March 13:00; sent 3 March
    pfp("2026-03-03T09:00:00+01:00", "2026-03-05"),
    planned("2026-03-03T09:05:00+01:00", "2026-03-06T11:00:00+01:00"),
    event("2026-03-03T10:00:00+01:00", "phone_agreement", discharge_at="2026-03-06T11:00:00+01:00"),
    # færdigbehandlet 5 March, after a PFP on time: the MOF keeps the deadlines
    event("2026-03-05T08:00:00+01:00", "faerdigbehandlet", date="2026-03-05", waiting_for=["hjemmepleje"]),
    message("2026-03-06T09:00:00+01:00", "USR"),
    left("2026-03-06T11:00:00+01:00"),
    event("2026-03-06T15:00:00+01:00", "epikrise_sent", on_time=True),
)


def test_a_course_that_keeps_every_agreement_meets_all_six_parameters():
    evaluation = run(GOOD_COURSE, now="2026-03-10T10:00:00+01:00")
    assert evaluation.rejected == ()
    assert dict(evaluation.forloeb.quality) == {
        "ilr": True,
        "discharge_plan": True,
        "pfp": True,
        "mof": True,
        "usr": True,
        "epikrise": True,
    }


def test_a_course_that_misses_every_deadline_meets_none():
    steps = course(
        included("2026-03-02T12:00:00+01:00"),
        # R-MILR due 18:01; the MILR at 19:00 is late
        message("2026-03-02T19:00:00+01:00", "MILR"),
        planned("2026-03-03T09:05:00+01:00", "2026-03-06T11:00:00+01:00"),
        # R-PFP-DATE: the planned date 6 March -> due 5 March 13:00; færdigbehandlet at 14:00 with no PFP
        # yet: the duty was overdue at the registration
        event(
            "2026-03-05T14:00:00+01:00", "faerdigbehandlet", date="2026-03-05", waiting_for=["hjemmepleje"]
        ),
        # left without a PFP, a joint plan or a USR (R-USR due at the departure)
        left("2026-03-06T11:00:00+01:00"),
        message("2026-03-06T12:00:00+01:00", "USR"),
        event("2026-03-07T10:00:00+01:00", "epikrise_sent", on_time=False),
    )
    quality = run(steps, now="2026-03-10T10:00:00+01:00").forloeb.quality
    assert dict(quality) == dict.fromkeys(("ilr", "discharge_plan", "pfp", "mof", "usr", "epikrise"), False)


def test_while_the_citizen_is_admitted_the_discharge_parameters_are_not_decided():
    steps = course(included("2026-03-02T12:00:00+01:00"))
    # 2 March 16:00: the MILR is not yet due (18:01); nothing about the discharge is known
    quality = run(steps, now="2026-03-02T16:00:00+01:00").forloeb.quality
    assert dict(quality) == dict.fromkeys(("ilr", "discharge_plan", "pfp", "mof", "usr", "epikrise"))
    # 3 March: the MILR due (2 March 18:01) has passed without one: not met
    assert run(steps, now="2026-03-03T10:00:00+01:00").forloeb.quality["ilr"] is False


def test_no_mof_means_the_mof_parameter_does_not_apply_and_a_voided_one_counts_nothing():
    no_mof = course(included("2026-03-02T12:00:00+01:00"), left("2026-03-03T11:00:00+01:00"))
    assert run(no_mof, now="2026-03-04T10:00:00+01:00").forloeb.quality["mof"] is None
    voided = course(
        included("2026-03-02T12:00:00+01:00"),
        # registered 5 March with no PFP and no date known (no R-PFP-DATE), voided as an error
        event("2026-03-05T08:00:00+01:00", "faerdigbehandlet", date="2026-03-05", waiting_for=["andet"]),
        event("2026-03-05T09:00:00+01:00", "treatment_resumed", reason="error"),
        left("2026-03-06T11:00:00+01:00"),
    )
    assert run(voided, now="2026-03-07T10:00:00+01:00").forloeb.quality["mof"] is None


def test_a_citizen_unknown_in_eoj_has_no_ilr_parameter():
    steps = course(included("2026-03-02T12:00:00+01:00"), left("2026-03-03T11:00:00+01:00"))
    quality = run(steps, now="2026-03-04T10:00:00+01:00", known_in_eoj=False).forloeb.quality
    assert quality["ilr"] is None


def test_the_acknowledged_pfp_is_the_joint_plan_in_sjaelland():
    steps = course(
        included("2026-03-02T12:00:00+01:00"),
        pfp("2026-03-03T09:00:00+01:00", "2026-03-05"),
        km("2026-03-03T11:00:00+01:00", "municipality", " plejeforløbsplan OK "),
        left("2026-03-05T11:00:00+01:00"),
    )
    assert (
        run(steps, now="2026-03-06T10:00:00+01:00", profile="sjaelland").forloeb.quality["discharge_plan"]
        is True
    )
    unanswered = [s for s in steps if s.get("code") != "KM"]
    assert (
        run(unanswered, now="2026-03-06T10:00:00+01:00", profile="sjaelland").forloeb.quality[
            "discharge_plan"
        ]
        is False
    )


def test_an_epikrise_not_recorded_is_not_met_once_the_course_ended():
    steps = course(included("2026-03-02T12:00:00+01:00"), left("2026-03-03T11:00:00+01:00"))
    assert run(steps, now="2026-03-04T10:00:00+01:00").forloeb.quality["epikrise"] is None
    closed = [*steps, ended("2026-03-05T10:00:00+01:00")]
    assert run(closed, now="2026-03-06T10:00:00+01:00").forloeb.quality["epikrise"] is False


def test_an_included_course_is_judged_again_when_the_milr_falls_due():
    # advis 10:01 + 8 h: R-MILR due 18:01; until then the ILR parameter is undecided, after it not met
    steps = course(included("2026-03-02T12:00:00+01:00"))
    evaluation = run(steps, now="2026-03-02T16:00:00+01:00")
    assert evaluation.reevaluate_at == at("2026-03-02T18:01:00+01:00")
    # without an inclusion only the 48-hour mark counts (expected over 48 h: nothing)
    assert run(course(), now="2026-03-02T16:00:00+01:00").reevaluate_at is None
