"""What a person typed when their session ended mid-form (issue 14): kept, and given back after logging in.

A nurse types a KM, the shift's idle timeout (or a deleted session) logs her out, she presses "Send KM".
The post reaches a URL that needs a login. It is not recorded; instead its text is kept *on the server, in
the session of the browser that posted it*, the login page is asked to return to the admission page (never
the POST-only action URL, which a GET would answer with 405), and the admission page then shows the form
open with her text in it and a notice that it was restored, not sent.

Why the server's session and not the browser's sessionStorage:

- It works without JavaScript and for both kinds of post (a plain form post and an htmx post, which is
  told to redirect the page): the text is taken from the request that failed, not from a script that must
  have run before it.
- No health data is left in the browser's storage of a shared ward computer: the draft lives in the
  session row on the server, which a logout flushes and which expires with the session.
- It is bound to the person, not to the computer: every action form carries a signed token naming the
  user it was shown to (`owner_token`, signed with SECRET_KEY, so nobody can make one for someone else).
  A draft is given back only to that user after logging in; anyone else logging in on the same browser
  drops it unseen (`forget_others`). A post without a valid token is not kept at all.
- Nothing is recorded: the draft goes back into the form, and the person sends it again themself, after
  checking it (the course may have moved on; the version the form was shown with is kept, so a change by
  someone else in between is refused as usual).

Only the action forms of the admission page are kept (their fields by prefix, text only, bounded in size);
a draft lives at most `MAX_AGE` seconds."""

from __future__ import annotations

import time

from django.core import signing

SESSION_KEY = "drafts"
TOKEN_FIELD = "draft_owner"
MAX_AGE = 24 * 3600  # a form may stay open a whole shift and more before it is sent
MAX_VALUE = 20_000  # characters per field: a long KM fits, a flood does not
MAX_DRAFTS = 5
_SALT = "coordination.drafts.owner"


def owner_token(user, admission_pk: int) -> str:
    """The hidden value an action form carries: who it was shown to, for which admission."""
    return signing.dumps({"u": user.pk, "a": admission_pk}, salt=_SALT, compress=True)


def owner_of(token: str, admission_pk: int) -> int | None:
    """The user id a token names for this admission, or None (forged, for another admission, too old)."""
    try:
        value = signing.loads(token or "", salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != admission_pk or not isinstance(value.get("u"), int):
        return None
    return value["u"]


def keep(request, admission_pk: int, form_name: str) -> bool:
    """Keep what a post to an action form held, for the user its token names. Returns whether it was kept."""
    owner = owner_of(request.POST.get(TOKEN_FIELD, ""), admission_pk)
    if owner is None:
        return False
    prefix = f"{form_name}-"
    data = {
        key: [value[:MAX_VALUE] for value in request.POST.getlist(key)][:50]
        for key in request.POST
        if key.startswith(prefix) and len(key) <= 100
    }
    drafts = [d for d in request.session.get(SESSION_KEY, []) if _fresh(d)]
    drafts = [
        d for d in drafts if (d["owner"], d["admission"], d["form"]) != (owner, admission_pk, form_name)
    ]
    drafts.append(
        {"owner": owner, "admission": admission_pk, "form": form_name, "data": data, "at": int(time.time())}
    )
    request.session[SESSION_KEY] = drafts[-MAX_DRAFTS:]
    return True


def take(request, admission_pk: int) -> dict | None:
    """The user's draft for this admission, removed from the session: {"form": name, "data": {key: [values]}}
    (None: there is none). Drafts of other people are dropped, never returned."""
    drafts = request.session.get(SESSION_KEY)
    if not drafts:
        return None
    mine = [d for d in drafts if _fresh(d) and d["owner"] == request.user.pk]
    found = next((d for d in reversed(mine) if d["admission"] == admission_pk), None)
    rest = [d for d in mine if d is not found]
    if rest:
        request.session[SESSION_KEY] = rest
    else:
        del request.session[SESSION_KEY]
    return found


def forget_others(sender, request, user, **kwargs) -> None:
    """On login (`user_logged_in`): another person's drafts in this browser's session are dropped unseen."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    mine = [d for d in session[SESSION_KEY] if _fresh(d) and d["owner"] == user.pk]
    if mine:
        session[SESSION_KEY] = mine
    else:
        del session[SESSION_KEY]


def restore(form, draft: dict):
    """Put a draft's values into an unbound form as it would show them bound (each widget reads its own
    keys, as from the post), without judging them: no errors are shown until the person sends it."""
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in draft["data"].items():
        data.setlist(key, values)
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if not field.widget.value_omitted_from_data(data, {}, key):
            form.initial[name] = field.widget.value_from_datadict(data, {}, key)
    form.restored = True
    return form


def _fresh(draft) -> bool:
    return isinstance(draft, dict) and int(time.time()) - int(draft.get("at", 0)) <= MAX_AGE
