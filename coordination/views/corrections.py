"""Correcting an event on the admission page's timeline (R-CORRECTION): mark it entered in error, or correct
its value. `correction` shows the small form (a fragment for htmx, else the page with the form open at the
event) and posts it to one service; `timeline_corrections` tells the timeline what to strike through.

The people of the side that recorded an event correct it (services.corrector_side); a stranger gets 404."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coordination import presentation as show
from coordination import rules, services
from coordination.access import admission_or_404
from coordination.forms.corrections import CorrectEventForm, EnteredInErrorForm, correctable_fields
from coordination.models import AccessAction
from coordination.views import admission as page

FRAGMENT = "coordination/_correction_form.html"


def correction(request, pk, sequence, kind):
    if kind not in ("error", "correct"):
        raise Http404("Ingen sådan rettelse")
    action = AccessAction.CHANGE if request.method == "POST" else AccessAction.VIEW
    admission = admission_or_404(request, pk, action=action)
    events = list(admission.events.select_related("recorded_by"))
    event = next((e for e in events if e.sequence == sequence), None)
    state = timeline_corrections(admission, events).get(sequence, {})
    if event is None or kind not in offered(event, {}):
        raise Http404("Hændelsen kan ikke rettes")
    if kind not in offered(event, state):  # a stale form: someone marked it in error meanwhile
        refusal = _("Hændelsen er allerede markeret som fejlregistreret. Intet er registreret.")
        context = page.admission_context(request, admission, refusal=refusal)
        return render(
            request, page.BODY if request.htmx else page.PAGE, context, status=200 if request.htmx else 409
        )
    side = services.corrector_side(event)
    if side is not None and getattr(getattr(request.user, "staff", None), "side", None) != side:
        return HttpResponseForbidden(_("Det er den anden part, der har registreret hændelsen."))
    form = _form(kind, admission, event, state, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            form.save(services.Actor.for_user(request.user), timezone.now())
        except services.VersionConflict as error:
            admission.refresh_from_db()
            form = _form(kind, admission, event, state, _with_version(request.POST, form, admission))
            form.is_valid()
            form.add_service_error(error)
        except services.ServiceError as error:
            form.add_service_error(error)
        else:
            return page._done(request, admission, notice=_notice(kind, event))
    if request.htmx and request.method == "GET":
        return render(request, FRAGMENT, {"admission": admission, "form": form, "event": event})
    context = page.admission_context(request, admission)
    context["correcting"] = form
    return render(request, page.BODY if request.htmx else page.PAGE, context)


def _form(kind, admission, event, state, data):
    if kind == "error":
        return EnteredInErrorForm(data, admission=admission, event=event)
    return CorrectEventForm(data, admission=admission, event=event, current=state.get("current", event.data))


def _with_version(post, form, admission):
    data = post.copy()
    data[f"{form.prefix}-expected_version"] = str(admission.version)
    return data


def _notice(kind, event) -> str:
    what = show.event_title(event)
    if kind == "error":
        return _("Markeret som fejlregistreret: %(what)s") % {"what": what}
    return _("Rettet: %(what)s") % {"what": what}


def offered(event, state: dict) -> tuple[str, ...]:
    """The corrections offered on an event: none on a correction or an event in error; the admission
    itself is never in error; a value only where a wrong one is typical."""
    if event.type in rules.CORRECTION_TYPES or state.get("in_error"):
        return ()
    kinds = () if event.type == "admitted" else ("error",)
    return (*kinds, "correct") if correctable_fields(event) else kinds


def timeline_corrections(admission, events) -> dict[int, dict]:
    """Per event sequence, what the engine's corrections say (admission.corrections): `in_error` (the
    correction), `corrected` (the corrections, oldest first), `current` (its data as corrected, JSON) and
    the corrected `summary`. Each correction carries its own event (`by_event`: who recorded it)."""
    rows = {e.sequence: e for e in events}
    state: dict[int, dict] = {}
    for c in admission.corrections:
        target = rows.get(c["event"])
        if target is None:
            continue
        entry = state.setdefault(c["event"], {"corrected": [], "current": dict(target.data)})
        item = {**c, "by_event": rows.get(c["by"]), "at": show.local(c["at"])}
        if c["kind"] == "entered_in_error":
            entry["in_error"] = item
        else:
            entry["corrected"].append(item)
            entry["current"].update(c["values"])
            entry["summary"] = show.event_summary(SimpleNamespace(type=target.type, data=entry["current"]))
    return state


def correction_summary(event, rows: dict) -> str:
    """The line a correction itself shows on the timeline: which event it concerns."""
    target = rows.get(event.data.get("event"))
    if target is None:
        return ""
    return _("Gælder: %(what)s, skete %(at)s") % {
        "what": show.event_title(target),
        "at": formats.date_format(show.local(target.occurred_at), "DATETIME_FORMAT"),
    }
