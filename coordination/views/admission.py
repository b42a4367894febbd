"""The admission page: the citizen and admission facts, obligations, færdigbehandling periods, the timeline,
and the actions of the user's own side as small htmx forms, each calling one service.

Every view starts with `admission_or_404` (a stranger gets 404, fragments included). An htmx request gets
the page's body (`#admission`) back, fresh; a plain form post is redirected to the page (or, on an error,
gets the whole page with the error next to its field)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import board_state, drafts, rules, services, why_texts
from coordination import presentation as show
from coordination import presentation_medcom as show_medcom
from coordination.access import admission_or_404
from coordination.forms import ACTION_FORMS, forms_for_side
from coordination.models import (
    AccessAction,
    AdmissionSeen,
    FeeTariff,
    Notification,
    NotificationKind,
    UnreadMark,
)
from coordination.texts import warning_text
from coordination.vocabulary import ObligationState, Residence, WaitingReason, label, labels

PAGE = "coordination/admission.html"
BODY = "coordination/admission.html#body"


def admission_page(request, pk):
    admission = admission_or_404(request, pk)
    restored = _restored_draft(request, admission)
    context = admission_context(request, admission, auto_read=not request.htmx, restored=restored)
    _mark_seen(request.user, admission)
    return render(request, BODY if request.htmx else PAGE, context)


@require_POST
def admission_action(request, pk, name):
    form_class = ACTION_FORMS.get(name)
    if form_class is None:
        raise Http404("Ingen sådan handling")
    admission = admission_or_404(request, pk, action=AccessAction.CHANGE)
    actor = services.Actor.for_user(request.user)
    if actor.side not in form_class.sides:
        return HttpResponseForbidden(_("Det er den anden part, der registrerer dette."))
    if form_class not in forms_for_side(actor.side, left=admission.left_at is not None):
        return _no_longer_offered(request, admission, form_class)
    form = form_class(request.POST, admission=admission)
    if form.is_valid():
        try:
            event = form.save(actor, timezone.now())
        except services.VersionConflict as error:
            admission.refresh_from_db()
            form = form_class(_with_version(request.POST, form.prefix, admission), admission=admission)
            form.is_valid()
            form.add_service_error(error)
        except services.ServiceError as error:
            form.add_service_error(error)
        else:
            if event is None:  # a draft (the USR form's "Gem kladde"): nothing on the timeline
                return _done(request, admission, notice=_("Kladden er gemt. Intet er sendt."))
            return _done(
                request, admission, notice=_("Registreret: %(what)s") % {"what": show.event_title(event)}
            )
    else:
        _show_hidden_errors(form)
    admission.refresh_from_db()
    return render(request, BODY if request.htmx else PAGE, admission_context(request, admission, failed=form))


def _restored_draft(request, admission):
    """The action form this user was typing when the session ended (coordination.drafts), with the text
    back in it, if it is still offered; nothing was recorded."""
    draft = drafts.take(request, admission.pk)
    form_class = ACTION_FORMS.get(draft["form"]) if draft else None
    if form_class is None:
        return None
    return drafts.restore(form_class(admission=admission), draft)


def _show_hidden_errors(form) -> None:
    """A hidden field's error (the version the page was shown with, missing or garbled) is on no field the
    person sees: it goes above the form, so that no refusal is silent."""
    if any(name in form.fields and form.fields[name].widget.is_hidden for name in form.errors):
        form.add_error(
            None,
            _(
                "Formularen er ufuldstændig eller forældet. Genindlæs siden, og prøv igen. "
                "Intet er registreret."
            ),
        )


def _no_longer_offered(request, admission, form_class):
    """A stale form (the page was open while the course moved on, e.g. the citizen left the ward): nothing is
    recorded, and the page says so above everything else. 409 for a plain post; htmx swaps only a 2xx, so it
    gets 200 with the same message."""
    if admission.left_at is not None:
        message = _(
            "«%(what)s» kan ikke længere registreres: borgeren har forladt afsnittet. Intet er registreret."
        )
    else:
        message = _(
            "«%(what)s» kan ikke registreres endnu: borgeren har ikke forladt afsnittet. "
            "Intet er registreret."
        )
    context = admission_context(request, admission, refusal=message % {"what": form_class.title})
    return render(request, BODY if request.htmx else PAGE, context, status=200 if request.htmx else 409)


@require_POST
def mark_read(request, pk):
    """R-READ: posted by the page when the receiving side opens it (htmx `hx-trigger="load"`), never by a
    GET: the read is a fact on the timeline. Also clears the user's own "markér som ulæst"."""
    admission = admission_or_404(request, pk, action=AccessAction.CHANGE)
    actor = services.Actor.for_user(request.user)
    receipts, cleared = services.read_messages(admission, actor=actor)
    if not receipts and not cleared:
        return HttpResponse(status=204)
    return _done(request, admission)


@require_POST
def mark_unread(request, pk):
    """The user's own reminder on messages of one code; the read on the timeline stays a fact."""
    admission = admission_or_404(request, pk)
    code = request.POST.get("code", "")
    try:
        services.mark_unread(admission, code, actor=services.Actor.for_user(request.user))
    except services.ServiceError as error:
        return HttpResponseBadRequest(error.message)
    return _done(request, admission, notice=_("Markeret som ulæst: %(code)s") % {"code": code})


def _done(request, admission, notice=""):
    admission.refresh_from_db()
    _mark_seen(request.user, admission)
    if not request.htmx:
        return redirect("admission", pk=admission.pk)
    return render(request, BODY, admission_context(request, admission, notice=notice))


def _with_version(post, prefix, admission):
    data = post.copy()
    data[f"{prefix}-expected_version"] = str(admission.version)
    return data


def _mark_seen(user, admission) -> None:
    now = timezone.now()
    if AdmissionSeen.objects.filter(user=user, admission=admission).update(
        version=admission.version, seen_at=now
    ):
        board_state.changed([f"user:{user.pk}"])  # the row's "Ændret" mark goes (an update sends no signal)
        return
    try:
        with transaction.atomic():
            AdmissionSeen.objects.create(
                user=user, admission=admission, version=admission.version, seen_at=now
            )
    except IntegrityError:
        pass


def admission_context(
    request, admission, *, failed=None, auto_read=False, notice="", refusal="", restored=None
) -> dict:
    now = timezone.now()
    today = timezone.localdate(now)
    staff = getattr(request.user, "staff", None)
    side = staff.side if staff is not None else rules.HOSPITAL
    events = list(admission.events.select_related("recorded_by").order_by("-occurred_at", "-sequence"))
    obligations = list(admission.obligations.all())
    periods = list(admission.periods.all())
    tariffs = {t.year: t.dkk_per_day for t in FeeTariff.objects.all()}
    marks = set(
        UnreadMark.objects.filter(user=request.user, admission=admission).values_list("code", flat=True)
    )
    unread = admission.unread_codes(side)
    # The reader's own inbox items of this admission's messages: reading them here clears them (issue 14).
    inbox_unread = Notification.objects.filter(
        user=request.user, admission=admission, kind=NotificationKind.MESSAGE, read_at__isnull=True
    ).exists()
    obligation_rows = [_obligation(o, now) for o in obligations]
    kept = {form.name: form for form in (restored, failed) if form is not None}  # a failed one first
    offered, due, others = _actions(admission, side, obligation_rows, kept)
    if restored is not None and type(restored) in offered:
        notice = _(
            "Du blev logget ud, før «%(what)s» blev sendt. Det, du skrev, er sat ind igen herunder. "
            "Intet er sendt eller registreret: kontrollér det, og send det igen."
        ) % {"what": restored.title}
    elif restored is not None:  # the course moved on meanwhile: say so rather than drop it silently
        refusal = _(
            "Du blev logget ud, før «%(what)s» blev sendt, og det kan ikke længere registreres her. "
            "Intet er sendt eller registreret."
        ) % {"what": restored.title}
    if failed is not None and type(failed) not in offered and failed.errors:
        # The refused form is no longer on the page (the course moved on meanwhile): its errors go on top.
        refusal = refusal or " ".join(str(e) for errors in failed.errors.values() for e in errors)
    context = {
        "admission": admission,
        "warnings": [(w.get("rule"), warning_text(w)) for w in admission.warnings or ()],
        "citizen": admission.citizen,
        "facts": show.citizen_facts(admission.citizen, today),
        "citizen_now": admission.citizen_facts,
        "residence": label(Residence, admission.citizen_facts.residence) if admission.citizen_facts else "",
        "stay": show.length_of_stay(admission.admitted_at, admission.left_at or now),
        "now": now,
        "side": side,
        "obligations": obligation_rows,
        "periods": [
            {
                "period": p,
                "days": p.days_at(today),
                "fee": p.fee_at(today, tariffs),
                "waiting_for": labels(WaitingReason, p.waiting_for),
            }
            for p in periods
        ],
        "total_days": sum(p.days_at(today) for p in periods),
        "pfp": show.pfp_state(admission, obligations),
        "mof": show.mof_state(admission.mof, today),
        "ilr_expected": admission.ilr_expected,
        "window_open": bool(
            admission.extended_responsibility_until and admission.extended_responsibility_until > now
        ),
        "timeline": _timeline(events, side, marks, admission),
        "correcting": None,  # the correction form open at one event (views/corrections.py)
        "unread": unread,
        "marks": sorted(marks),
        "auto_read": auto_read and bool(unread or marks or inbox_unread),
        "due_action": due,
        "other_actions": others,
        "others_open": any(
            item["form"].errors or getattr(item["form"], "restored", False) for item in others
        ),
        "draft_owner": drafts.owner_token(request.user, admission.pk),
        "failed": failed,
        "notice": notice,
        "refusal": refusal,
        "granted": services.granted_to(admission),
        "usr_versions": [e for e in reversed(events) if e.type == "message" and e.data.get("code") == "USR"],
        # Sundhedsloven § 41: the citizen's wishes about sharing, at the top of the page for both sides.
        "sharing": show.sharing_banner(admission, events),
    }
    # Where each fact came from, and the KM threads (issue 12).
    found = show_medcom.sources(admission)
    show_medcom.add_sources(context["timeline"], found)
    context["km_threads"] = show_medcom.km_threads(events, found)
    context["sources"] = show_medcom.fact_sources(admission, events, found)
    return context


def _actions(admission, side, obligations, kept):
    """Issue 14: the forms of the side that the engine would accept now (the steps it stored when it last
    judged the admission), the one that meets the side's earliest open duty first (with that duty), the rest
    after it: those that meet an open duty of the side, by that duty's due, then the others in course order.

    An admission derived before the steps were stored offers every form of the side, as before."""
    steps = admission.steps
    offered = [
        form
        for form in forms_for_side(side, left=admission.left_at is not None)
        if steps is None or steps.get(form.step, {}).get("available", True)
    ]
    by_step = {form.step: form for form in offered}
    duties = sorted(
        (
            item
            for item in obligations
            if item["o"].owner == side and item["status"] in ("open", "overdue") and item["o"].step in by_step
        ),
        key=lambda item: (
            item["o"].due_at is None,
            item["o"].due_at.timestamp() if item["o"].due_at else 0,
            item["o"].rule,
        ),
    )
    first_duty: dict[type, dict] = {}
    for item in duties:
        first_duty.setdefault(by_step[item["o"].step], item)

    def made(form_class):  # a refused or restored form keeps what was typed
        return kept.get(form_class.name) or form_class(admission=admission)

    due = None
    if duties:
        form_class = by_step[duties[0]["o"].step]
        due = {"form": made(form_class), "duty": duties[0]}
    rest = [form for form in offered if due is None or form is not type(due["form"])]
    meeting = [form for form in rest if form in first_duty]
    meeting.sort(key=lambda form: duties.index(first_duty[form]))
    ordered = meeting + [form for form in rest if form not in first_duty]
    others = [{"form": made(form), "duty": first_duty.get(form)} for form in ordered]
    return offered, due, others


def _obligation(o, now) -> dict:
    status = o.status_at(now)
    text = label(ObligationState, status)
    if status in ("open", "overdue") and not o.possible:
        status, text = "missed", _("Kan ikke længere opfyldes (R-FLOW)")  # the engine's judgement
    return {
        "o": o,
        "status": status,
        "status_text": text,
        "label": show.obligation_label(o),
        "countdown": show.countdown(o.due_at, now) if o.due_at and status in ("open", "overdue") else "",
        "why": why_texts.why(o),
    }


def _timeline(events, side, marks, admission) -> list[dict]:
    """Newest first; "markér som ulæst" is offered on the newest message of each code this side received.
    An event entered in error or corrected is struck through beside its correction (R-CORRECTION); the
    recording side is offered to correct its own events."""
    from coordination.views import corrections

    fixes = corrections.timeline_corrections(admission, events)
    rows = {e.sequence: e for e in events}
    entries, offered = [], set()
    for event in events:
        code, receiver = rules.messages.receiver(event.type, event.data) or (None, None)
        received = bool(code and receiver == side and code not in offered)
        if received:
            offered.add(code)
        entries.append(
            {
                "event": event,
                "summary": show.event_summary(event),
                "code": code,
                "received": received,
                "marked_unread": received and code in marks,
                "note": show.free_text(event),
                "fix": fixes.get(event.sequence),
                "fixes": _fixes_offered(event, fixes.get(event.sequence, {}), side),
                "concerns": corrections.correction_summary(event, rows)
                if event.type in rules.CORRECTION_TYPES
                else "",
            }
        )
    return entries


def _fixes_offered(event, state, side) -> tuple[str, ...]:
    from coordination.views import corrections

    owner = services.corrector_side(event)
    return corrections.offered(event, state) if owner in (None, side) else ()
