"""Who is asking, in as few queries as every page can afford (issue 15: the board is polled all day).

`StaffBackend` is Django's ModelBackend with two changes:
- the logged-in user is read with what every page uses: their staff member (every access check reads it)
  and their board visit, in one query instead of three. The staff member's organisation (the header names
  it) comes from a per-process copy of the places, read at most once a minute (a ward renamed shows in the
  header within the minute; joining the four places into the user's query cost more than the query);
- the user's model permissions (`has_perm`, asked by the role checks) come from one query (their own and
  their groups' together) instead of two, and are kept in the process's memory while the user's and the
  permissions' generations stay (`board_state.kept_for_user`): no query on most pages.
The user and their staff member are read at every request: a deactivated user, a changed password or a
moved staff member takes effect on the next request."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

_PLACES_SECONDS = 60
_places: dict[tuple[str, int], tuple[float, object]] = {}


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.select_related("staff", "board_visit").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        staff = getattr(user, "staff", None)
        if staff is not None:
            for kind in ("ward", "hospital", "municipality", "region"):
                pk = getattr(staff, f"{kind}_id")
                if pk is not None:
                    setattr(staff, kind, _place(kind, pk))
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            from coordination import board_state

            def read():
                if user_obj.is_superuser:
                    perms = Permission.objects.all()
                else:
                    perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
                names = perms.values_list("content_type__app_label", "codename").order_by().distinct()
                return {f"{app}.{name}" for app, name in names}

            user_obj._perm_cache = board_state.kept_for_user("permissions", user_obj, read)
        return user_obj._perm_cache


def _place(kind: str, pk: int):
    """The organisation unit, from this process's copy when read within the minute."""
    now = time.monotonic()
    kept = _places.get((kind, pk))
    if kept is not None and kept[0] > now:
        return kept[1]
    from coordination.models import Hospital, Municipality, Region, Ward

    model = {"ward": Ward, "hospital": Hospital, "municipality": Municipality, "region": Region}[kind]
    rows = model.objects.select_related("hospital") if kind == "ward" else model.objects
    place = rows.get(pk=pk)
    _places[(kind, pk)] = (now + _PLACES_SECONDS, place)
    return place


def forget_places() -> None:
    """A place was saved in this process: read it afresh (other processes within the minute)."""
    _places.clear()
