"""Who is asking, in as few queries as every page can afford (issue 15: the board is polled all day).

`StaffBackend` is Django's ModelBackend with two changes:
- the logged-in user is read with what every page uses: their staff member and its organisation (the
  header names it, every access check reads it) and their board visit, in one query instead of three;
- the user's model permissions (`has_perm`, asked by the role checks) come from one query (their own and
  their groups' together) instead of two.
Nothing is kept between requests: a deactivated user, a changed password or a moved staff member takes
effect on the next request."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

_ORGANISATION = (
    "staff__ward__hospital",
    "staff__hospital",
    "staff__municipality",
    "staff__region",
    "board_visit",
)


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        User = get_user_model()
        user = User._default_manager.select_related(*_ORGANISATION).filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                perms = Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            names = perms.values_list("content_type__app_label", "codename").order_by().distinct()
            user_obj._perm_cache = {f"{app}.{name}" for app, name in names}
        return user_obj._perm_cache
