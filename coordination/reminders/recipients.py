"""Who is told about an admission: the people of each side taking part in the course."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from coordination import rules
from coordination.models import (
    TAKE_PART,
    Admission,
    AdmissionGroupObjectPermission,
    AdmissionUserObjectPermission,
    EmailState,
    Notification,
    StaffMember,
)

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY


@dataclass(frozen=True)
class Recipient:
    user_id: int
    wants_email: bool


def _side_of(staff_row) -> str | None:
    if staff_row["municipality_id"]:
        return MUNICIPALITY
    if staff_row["ward_id"] or staff_row["hospital_id"]:
        return HOSPITAL
    return None  # region staff see figures, not citizens


def recipients(admissions: list[Admission]) -> dict[tuple[int, str], list[Recipient]]:
    """For each admission and side, the people to tell: the ward's nurses and the hospital's discharge
    coordinators (hospital side), the municipality's visitators (municipality side), and anyone explicitly
    granted the course (`take_part`), on the side they work for. Three queries, whatever the number."""
    if not admissions:
        return {}
    fields = ("user_id", "ward_id", "hospital_id", "municipality_id", "email_notifications", "user__email")
    wards = {a.ward_id for a in admissions}
    hospitals = {a.ward.hospital_id for a in admissions}
    munis = {a.municipality_id for a in admissions}
    staff = list(
        StaffMember.objects.filter(user__is_active=True)
        .filter(Q(ward_id__in=wards) | Q(hospital_id__in=hospitals) | Q(municipality_id__in=munis))
        .values(*fields)
    )
    by_ward, by_hospital, by_muni = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in staff:
        rec = Recipient(row["user_id"], bool(row["email_notifications"] and row["user__email"]))
        if row["ward_id"]:
            by_ward[row["ward_id"]].append(rec)
        elif row["hospital_id"]:
            by_hospital[row["hospital_id"]].append(rec)
        else:
            by_muni[row["municipality_id"]].append(rec)

    ids = [a.pk for a in admissions]
    granted = defaultdict(list)
    for model, user_path in (
        (AdmissionUserObjectPermission, "user"),
        (AdmissionGroupObjectPermission, "group__user"),
    ):
        rows = model.objects.filter(
            content_object_id__in=ids,
            permission__codename=TAKE_PART,
            **{f"{user_path}__is_active": True, f"{user_path}__staff__isnull": False},
        ).values_list(
            "content_object_id",
            f"{user_path}__id",
            *(f"{user_path}__staff__{f}" for f in ("ward_id", "hospital_id", "municipality_id")),
            f"{user_path}__staff__email_notifications",
            f"{user_path}__email",
        )
        for adm_id, user_id, ward_id, hospital_id, muni_id, wants, email in rows:
            side = _side_of({"ward_id": ward_id, "hospital_id": hospital_id, "municipality_id": muni_id})
            if side:
                granted[(adm_id, side)].append(Recipient(user_id, bool(wants and email)))

    result = {}
    for a in admissions:
        for side, found in (
            (HOSPITAL, by_ward[a.ward_id] + by_hospital[a.ward.hospital_id]),
            (MUNICIPALITY, by_muni[a.municipality_id]),
        ):
            unique = {r.user_id: r for r in found + granted[(a.pk, side)]}
            result[(a.pk, side)] = list(unique.values())
    return result


def notifications(admission, recipients_, *, kind, params, now, reminder=None, event=None):
    return [
        Notification(
            user_id=r.user_id,
            kind=kind,
            admission=admission,
            reminder=reminder,
            event=event,
            params=params,
            created_at=now,
            email_state=EmailState.PENDING if r.wants_email else EmailState.NONE,
        )
        for r in recipients_
    ]
