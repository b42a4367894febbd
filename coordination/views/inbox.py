"""The inbox: the user's reminders and message notifications, with the unread count in the page header.

Reminders are health data: only items of admissions the user may still see are shown or counted, and
showing them is logged (access.record_access)."""

from django.conf import settings
from django.db import connections, router
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from coordination import board_state, reminders
from coordination.access import record_access
from coordination.models import Admission, Notification, StaffMember

INBOX_SIZE = 200


def _visible(user):
    """The user's notifications whose admission the user may still see (or that concern no admission)."""
    return Notification.objects.filter(user=user).filter(
        Q(admission__isnull=True) | Q(admission__in=Admission.objects.visible_to(user))
    )


def unread_count(user) -> int:
    """The header's unread count, on every page. Its query (the user's notifications whose admission they
    may still see) is compiled once while the user's generations stay and kept in this process's memory:
    building it took twice as long as running it (issue 15). The count itself is read at every request."""
    using = router.db_for_read(Notification)

    def compiled() -> tuple[str, tuple]:
        query = _visible(user).filter(read_at__isnull=True).order_by().values("pk").query
        sql, params = query.get_compiler(using=using).as_sql()
        return f"SELECT COUNT(*) FROM ({sql}) AS unread", tuple(params)

    sql, params = board_state.kept_for_user("unread-sql", user, compiled)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def inbox(request):
    mine = _visible(request.user).select_related("admission__citizen", "event")
    items = list(mine.order_by("-created_at", "-pk")[:INBOX_SIZE])
    record_access(request, [item.admission for item in items if item.admission_id])
    staff = getattr(request.user, "staff", None)
    return render(
        request,
        "coordination/inbox.html",
        {"items": items, "unread": sum(1 for i in items if i.read_at is None), "staff": staff},
    )


def unread_badge(request):
    """The header's link with the unread count (htmx refreshes it; the link works without JavaScript)."""
    return render(request, "coordination/inbox_badge.html", {"unread_count": unread_count(request.user)})


@require_POST
def mark(request, pk, state):
    if state not in ("read", "unread"):
        raise Http404("Ukendt handling")
    item = get_object_or_404(_visible(request.user), pk=pk)
    item.read_at = timezone.now() if state == "read" else None
    item.save(update_fields=["read_at"])
    if getattr(request, "htmx", False):
        if item.admission_id:
            record_access(request, [item.admission])
        item = Notification.objects.select_related("admission__citizen", "event").get(pk=item.pk)
        response = render(request, "coordination/inbox.html#item", {"item": item})
        response["HX-Trigger"] = "inbox-changed"
        return response
    return redirect("inbox")


@require_POST
def mark_all_read(request):
    _visible(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("inbox")


@require_POST
def email_setting(request):
    """E-mails on or off, and the language they are written in (an unknown language keeps the one set)."""
    wanted = request.POST.get("email_notifications") == "on"
    changes = {"email_notifications": wanted}
    if request.POST.get("language") in dict(settings.LANGUAGES):
        changes["language"] = request.POST["language"]
    StaffMember.objects.filter(user=request.user).update(**changes)
    return redirect("inbox")


def waiting(request):
    """R-MON-FB: the færdigbehandlede citizens who wait, with the date, days so far and the reasons; the
    same list the weekly overview e-mails to the municipality's visitation."""
    rows = reminders.waiting_faerdigbehandlede(Admission.objects.visible_to(request.user))
    record_access(request, [row["admission"] for row in rows])
    return render(request, "coordination/waiting.html", {"rows": rows, "today": timezone.localdate()})
