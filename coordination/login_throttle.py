"""django-axes' name for a login attempt (settings.AXES_USERNAME_CALLABLE).

Axes stores the username of every failed login in a 255-character column: a longer name, or one with a NUL
character (PostgreSQL refuses it), was a server error instead of "wrong username or password" (issue 11).
The name is stored without NUL characters and cut to the column; attempts with names that agree in their
first 255 characters count together, which only makes the throttle stricter."""

from __future__ import annotations

from django.conf import settings

COLUMN = 255  # axes.models.AccessBase.username


def username(request, credentials=None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    if value is None:
        return None
    return str(value).replace("\x00", "")[:COLUMN]
