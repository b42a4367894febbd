"""The one way to reach citizen data: every view, fragment, printout and export gets its admission through
`admission_or_404` or its list through `Admission.objects.visible_to(user)`, and records what it showed with
`record_access`. A stranger gets 404, so not even the existence of the citizen leaks.

The access-log rows a request collects are written in one bulk insert when the response is ready
(`AccessLogMiddleware`): one row per citizen and action per request, at most one extra query."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.http import Http404
from django.utils import timezone

from coordination.models import AccessAction, AccessLog, Admission

_ATTR = "_sektor_access_rows"


def admission_or_404(request, pk, *, action: str = AccessAction.VIEW, queryset=None) -> Admission:
    """The admission if the user takes part in the citizen's course; otherwise 404. The look-up is logged."""
    queryset = queryset if queryset is not None else Admission.objects.all()
    try:
        visible = queryset.visible_to(request.user).select_related("citizen", "ward__hospital__region")
        admission = visible.get(pk=pk)
    except (Admission.DoesNotExist, ValueError, TypeError):
        raise Http404("Ingen indlæggelse") from None
    record_access(request, [admission], action=action)
    return admission


def record_access(request, admissions: Iterable[Admission], *, action: str = AccessAction.VIEW) -> None:
    """Note that this request showed (or changed) these admissions' citizens; written after the response."""
    record_citizens_shown(request, ((a.citizen_id, a.pk) for a in admissions), action=action)


def record_citizens_shown(
    request, shown: Iterable[tuple[int, int]], *, action: str = AccessAction.VIEW
) -> None:
    """`record_access` from (citizen, admission) pairs kept from an earlier showing (a kept board)."""
    rows: dict = getattr(request, _ATTR, None)
    if rows is None:
        rows = {}
        setattr(request, _ATTR, rows)
    for citizen_id, admission_id in shown:
        rows.setdefault((citizen_id, action), admission_id)


def record_citizen_access(request, citizen_ids: Iterable[int], *, action: str = AccessAction.VIEW) -> None:
    """Note that this request showed these citizens outside any one admission (the admin's citizen pages)."""
    record_citizens_shown(request, ((citizen_id, None) for citizen_id in citizen_ids), action=action)


def flush_access_log(request) -> int:
    rows: dict = getattr(request, _ATTR, None) or {}
    user = getattr(request, "user", None)
    if not rows or user is None or not user.is_authenticated:
        return 0
    now = timezone.now()
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    path, view = request.get_full_path()[:300], view or ""
    if connection.vendor == "postgresql":
        _insert_postgresql(now, user.pk, path, view, rows)
    else:  # SQLite: bulk_create splits it at the parameter limit, in one transaction
        AccessLog.objects.bulk_create(
            AccessLog(at=now, user=user, citizen_id=c, admission_id=a, action=action, path=path, view=view)
            for (c, action), a in rows.items()
        )
    rows.clear()
    return 1


_ACTIONS = frozenset(AccessAction.values)


def _insert_postgresql(now, user_id, path: str, view: str, rows: dict) -> None:
    """The request's rows in one INSERT from arrays: atomic by itself (no BEGIN/COMMIT round trips) and
    without a model instance per row (issue 15: a board of 2,000 rows logs 2,000 rows at every look)."""
    opts = AccessLog._meta
    columns = ", ".join(
        f'"{opts.get_field(name).column}"'
        for name in ("at", "user", "path", "view", "note", "citizen", "admission", "action")
    )
    citizens, admissions, actions = [], [], []
    for (citizen_id, action), admission_id in rows.items():
        if action not in _ACTIONS:
            raise ValueError(f"unknown access action {action!r}")
        citizens.append(str(int(citizen_id)))
        admissions.append("NULL" if admission_id is None else str(int(admission_id)))
        actions.append(action)
    # As array literals: the driver's adaptation of Python lists looked at every element (a third of the
    # time of logging a kept board). The actions are known codes, the ids integers.
    citizens, admissions, actions = (
        "{" + ",".join(values) + "}" for values in (citizens, admissions, actions)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO \"{opts.db_table}\" ({columns}) SELECT %s, %s, %s, %s, '', c, a, t "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS r(c, a, t)",
            [now, user_id, path, view, citizens, admissions, actions],
        )


class AccessLogMiddleware:
    """Write the request's access-log rows in one insert, once the view has produced its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        flush_access_log(request)
        return response


def registers_admissions(user) -> bool:
    """Only hospital staff (a ward's or a hospital's people) register admissions: not a municipality's
    visitators, not region staff or managers, not an administrator without a ward or hospital."""
    from coordination.reports.scope import is_manager

    staff = getattr(user, "staff", None) if user.is_authenticated else None
    return bool(staff is not None and (staff.ward_id or staff.hospital_id) and not is_manager(user))


def log_cpr_lookup(request, cpr: str, *, note: str) -> Admission | None:
    """A CPR number typed in to find out about a citizen (the new admission's check for a live admission):
    the look-up is logged whenever the number belongs to a known citizen, at once (the answer may be a
    refusal). Returns the citizen's live admission, if any."""
    from coordination.cpr import normalise_cpr
    from coordination.models import Citizen

    cpr = normalise_cpr(cpr or "")
    if len(cpr) != 10 or not cpr.isdigit():
        return None
    citizen = Citizen.objects.filter(cpr=cpr).first()
    if citizen is None:
        return None
    live = Admission.objects.filter(citizen=citizen, left_at__isnull=True).order_by("-admitted_at").first()
    match = getattr(request, "resolver_match", None)
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        citizen=citizen,
        admission=live,
        action=AccessAction.VIEW,
        path=request.path[:300],
        view=match.view_name if match else "",
        note=note[:300],
    )
    return live
