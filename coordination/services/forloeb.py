"""Forløbskoordination (R-FK, seed 004): one function per action. Either side includes the citizen with the
criteria ticked and a named coordinator, who is granted the course (django-guardian, logged); the
coordinator sets the due of the follow-up home visit after discharge, records it and ends the course with a
note. The hospital records that the epikrise went to the GP (R-FK-QUALITY)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from coordination.models import TAKE_PART, AccessAction, AccessLog, Admission, Event, Forloeb, Side
from coordination.services.core import Actor, ServiceError, _append, recorder


def coordinator_side(user) -> str:
    """The side a coordinator works for. A coordinator is an active person of a ward, a hospital or a
    municipality who takes part in courses (not a manager, not a region's staff)."""
    staff = getattr(user, "staff", None)
    if (
        user is None
        or not user.is_active
        or staff is None
        or staff.region_id
        or not user.has_perm("coordination.add_event")
    ):
        raise ServiceError("fk.coordinator_not_staff", field="coordinator")
    return staff.side


def coordinator_named(username: str):
    """The user a timeline names as coordinator (load_timelines, replay)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ServiceError("fk.unknown_coordinator", {"username": username}, field="coordinator")
    return user


def include(
    admission: Admission,
    *,
    criteria,
    coordinator,
    judgement: str = "",
    by: str | None = None,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """R-FK: include the citizen in forløbskoordination; the coordinator is granted the course. A person
    includes for their own side; the system (a replayed or loaded timeline) for the side it names (`by`)."""
    side = coordinator_side(coordinator)
    data = {
        "by": actor.side if actor.side != Side.SYSTEM else (by or side),
        "criteria": list(criteria),
        "coordinator": coordinator.username,
        "coordinator_side": side,
        "judgement": judgement,
    }
    with transaction.atomic():
        event = _append(admission, "fk_included", at, data, actor, now, expected_version)
        _grant(admission, coordinator, actor, grant=True)
    return event


def change_coordinator(
    admission: Admission,
    *,
    coordinator,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """R-FK: a new coordinator follows the course; the grant moves from the one before."""
    before = Forloeb.objects.filter(admission=admission).select_related("coordinator").first()
    data = {"coordinator": coordinator.username, "coordinator_side": coordinator_side(coordinator)}
    with transaction.atomic():
        event = _append(admission, "fk_coordinator_changed", at, data, actor, now, expected_version)
        if before is not None and before.coordinator is not None and before.coordinator != coordinator:
            _grant(admission, before.coordinator, actor, grant=False)
        _grant(admission, coordinator, actor, grant=True)
    return event


plan_home_visit = recorder(
    "fk_visit_planned",
    "R-FK: the coordinator sets the date by which the follow-up home visit is made.",
    "due_on",
    check=lambda admission, actor: _check_coordinator(admission, actor),
)


record_home_visit = recorder(
    "fk_visit_done",
    "R-FK: the coordinator made the follow-up home visit (after the discharge).",
    check=lambda admission, actor: _check_coordinator(admission, actor),
    note="",
)


end_course = recorder(
    "fk_ended",
    "R-FK: the coordinator ends the course with a note.",
    "note",
    check=lambda admission, actor: _check_coordinator(admission, actor),
)


record_epikrise = recorder(
    "epikrise_sent",
    "R-FK-QUALITY: the hospital records that the epikrise went to the GP, and whether on time.",
    "on_time",
)


def _check_coordinator(admission: Admission, actor: Actor) -> None:
    """The visit and the end are the coordinator's to record (the system, replaying, records any)."""
    if actor.user is None:
        return
    course = Forloeb.objects.filter(admission=admission).first()
    if course is not None and course.coordinator_id != actor.user.pk:
        raise ServiceError("fk.only_coordinator")


def _grant(admission: Admission, user, actor: Actor, *, grant: bool) -> None:
    """The coordinator takes part in the course (django-guardian object permission), with a log row."""
    (assign_perm if grant else remove_perm)(f"coordination.{TAKE_PART}", user, admission)
    AccessLog.objects.create(
        at=timezone.now(),
        user=actor.user,
        citizen_id=admission.citizen_id,
        admission=admission,
        action=AccessAction.GRANT if grant else AccessAction.REVOKE,
        path="",
        view="services.forloeb",
        note=f"forløbskoordinator: {user.username}"[:300],
    )
