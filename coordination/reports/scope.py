"""Whose figures a person sees: a manager (the Leder role, `view_reports`) sees the admissions of their own
organisation (a region manager every hospital and municipality of the region; a hospital's or a
municipality's manager its own). Anyone else sees no figures at all (the pages answer 404)."""

from __future__ import annotations

from django.db.models import Q

FIGURES_PERMISSION = "coordination.view_reports"


def can_see_figures(user) -> bool:
    return (
        user.is_authenticated
        and user.has_perm(FIGURES_PERMISSION)
        and getattr(user, "staff", None) is not None
    )


def is_manager(user) -> bool:
    """Steers by the figures and takes part in no course: lands on the figures, gets no board."""
    return can_see_figures(user) and not user.has_perm("coordination.add_event")


def figures_scope(user, prefix: str = "admission__") -> Q | None:
    """A filter on admissions (through `prefix`) to the user's own organisation, or None: no figures."""
    if not can_see_figures(user):
        return None
    staff = user.staff
    if staff.kind == "region":
        # Every hospital of the region, and every municipality of the region (its citizens admitted at a
        # hospital of another region too).
        return Q(**{f"{prefix}ward__hospital__region_id": staff.region_id}) | Q(
            **{f"{prefix}municipality__region_id": staff.region_id}
        )
    field = {
        "hospital": "ward__hospital_id",
        "ward": "ward_id",
        "municipality": "municipality_id",
    }[staff.kind]
    return Q(**{f"{prefix}{field}": getattr(staff, f"{staff.kind}_id")})
