"""Explicit access to a course (django-guardian object permissions), granted and revoked with a log row."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms, remove_perm

from coordination.models import TAKE_PART, AccessAction, AccessLog, Admission
from coordination.services.core import ServiceError


def grant_access(admission: Admission, *, to, by, note: str = "") -> None:
    """Let a person or a group outside the admitting ward/hospital and the municipality follow this course
    (a forløbskoordinator, a consulting unit). Only someone who takes part may grant it; it is logged."""
    _change_grant(admission, to=to, by=by, note=note, grant=True)


def revoke_access(admission: Admission, *, to, by, note: str = "") -> None:
    """Take an explicit grant back; the admitting ward and the municipality keep their access."""
    _change_grant(admission, to=to, by=by, note=note, grant=False)


def _change_grant(admission: Admission, *, to, by, note: str, grant: bool) -> None:
    if not Admission.objects.visible_to(by).filter(pk=admission.pk).exists():
        raise ServiceError("service.grant_not_part")
    with transaction.atomic():
        (assign_perm if grant else remove_perm)(f"coordination.{TAKE_PART}", to, admission)
        AccessLog.objects.create(
            at=timezone.now(),
            user=by,
            citizen_id=admission.citizen_id,
            admission=admission,
            action=AccessAction.GRANT if grant else AccessAction.REVOKE,
            path="",
            view="services.grant_access" if grant else "services.revoke_access",
            note=(f"{to}: {note}" if note else str(to))[:300],
        )


def granted_to(admission: Admission) -> dict:
    """Who was granted the course explicitly: {"users": [...], "groups": [...]}, for the admission page."""
    users = get_users_with_perms(
        admission, only_with_perms_in=[TAKE_PART], with_group_users=False
    ).select_related(  # the page names each person's organisation: one query, not one per person
        "staff__ward__hospital", "staff__hospital", "staff__municipality", "staff__region"
    )
    groups = get_groups_with_perms(admission)
    return {"users": list(users), "groups": list(groups)}
