"""Has anything on this board changed? Answered without a query (issue 15: every ward's and visitation's
board polls every 30 seconds all day, and nearly every answer is "no").

Each place a board shows keeps a generation number in the `board-state` cache: a ward, a hospital, a
municipality, one admission (for the people granted it outside their own organisation), one user (their
own marks, grants and organisation) and "all" (the names of citizens and places). Whatever changes what a
board shows bumps the generations of the places it lies in, once the change is committed (`signals` below
and `services.derived.store` through Admission's save). A board's token is a keyed hash of the
generations of its places, its filters and the user, with the moment the clock next changes a row (a due
passing, a countdown's bucket turning): the poll compares the token it carries with the token of now
(`coordination.middleware.BoardPollMiddleware`) and answers 204 without reading the database beyond the
session.

The cache holds numbers only, never health data. Shared by every process where REDIS_URL is set
(config/settings.py); a lost or restarted cache gives new random generations, so every board is shown
afresh, never wrongly as unchanged. A cache that cannot be reached makes every token unique: the boards
then render at every poll, as they did before this existed."""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from functools import partial

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

CACHE = "board-state"
USER_CACHE = "user-kept"  # this process's memory (config/settings.py)
# Countdowns age with the clock alone: a board is shown afresh at least this often.
CLOCK_BUCKET_SECONDS = 300
SESSION_KEY = "board_places"
_log = logging.getLogger(__name__)
_hospital_of_ward: dict[int, int] = {}
# The generations a GET request has read (`read_once`): its thread's, empty outside a request.
_request = threading.local()


def admission_places(admission) -> list[str]:
    """The places an admission lies in, as generation keys."""
    return [
        f"ward:{admission.ward_id}",
        f"hospital:{hospital_of(admission.ward_id)}",
        f"municipality:{admission.municipality_id}",
        f"admission:{admission.pk}",
    ]


def board_places(user, staff, shown) -> list[str]:
    """The generation keys of a user's board: everyone's, their own, their organisation's, and each shown
    admission they see by a grant rather than through their organisation."""
    own = _own_place(staff)
    places = ["all", f"user:{user.pk}"] + ([own] if own else [])
    for admission in shown:
        if own not in admission_places(admission)[:3]:
            places.append(f"admission:{admission.pk}")
    return places


def _own_place(staff) -> str | None:
    if staff is None:
        return None
    if staff.ward_id:
        return f"ward:{staff.ward_id}"
    if staff.hospital_id:
        return f"hospital:{staff.hospital_id}"
    if staff.municipality_id:
        return f"municipality:{staff.municipality_id}"
    return None


def hospital_of(ward_id: int) -> int:
    """A ward's hospital, looked up once per process (wards do not move; `signals` forgets on a change)."""
    hospital = _hospital_of_ward.get(ward_id)
    if hospital is None:
        from coordination.models import Ward

        _hospital_of_ward.update(Ward.objects.values_list("pk", "hospital_id"))
        hospital = _hospital_of_ward.get(ward_id, 0)
    return hospital


def changed(places: Iterable[str]) -> None:
    """Bump these places' generations at once and again when the surrounding transaction commits: a board
    read in between (still the old state) is kept under a generation the commit moves on from."""
    places = sorted(set(places))
    if places:
        _bump(places)
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(lambda: _bump(places))


def _bump(places: list[str]) -> None:
    read = getattr(_request, "read", None)
    if read is not None:  # this request reads the generations again from here on
        read.clear()
    store = caches[CACHE]
    try:
        for place in places:
            try:
                store.incr(place)
            except ValueError:  # not there (new, expired or lost): a fresh random start
                store.add(place, _fresh())
    except Exception:  # noqa: BLE001 - an unreachable cache must not fail the change already committed
        _log.warning("board-state cache unreachable: boards are rendered at every poll")


def _fresh() -> int:
    return secrets.randbits(62)


def generations(places: list[str]) -> list[int] | None:
    """The places' generations (missing ones started afresh), or None when the cache cannot be reached.
    Within `read_once`, read from the cache once per request (with the places it named), not at every
    question."""
    read = getattr(_request, "read", None)
    if read is None:  # outside a request
        read, wanted = {}, []
    else:
        wanted = _request.wanted
    missing = [place for place in dict.fromkeys([*places, *wanted]) if place not in read]
    if any(place not in read for place in places):
        found = _read(missing)
        if found is None:
            return None
        read.update(found)
    return [read[place] for place in places]


def _read(places: list[str]) -> dict[str, int] | None:
    """The places' generations from the cache, in one round trip when they are all there."""
    store = caches[CACHE]
    try:
        found = store.get_many(places)
        for place in places:
            if place not in found:
                store.add(place, _fresh())
                found[place] = store.get(place)
    except Exception:  # noqa: BLE001
        _log.warning("board-state cache unreachable: boards are rendered at every poll")
        return None
    return found


@contextmanager
def read_once(places: list[str]):
    """A GET request's generations read from the cache once, these places (the session's board) with the
    first that is asked (issue 15: the permissions, the board's digest and its kept page each asked, five
    round trips to Redis at every look). A change in the request (`_bump`) reads them afresh."""
    _request.read, _request.wanted = {}, ["permissions", *places]
    try:
        yield
    finally:
        _request.read = _request.wanted = None


# What a request asks of the user at every page (their permissions, the admissions granted to them, compiled
# queries) is kept in each process's memory under the generations that move when it changes.


def kept_for_user(name: str, user, compute):
    """`compute()` of this user, from this process's memory while their generation and the permissions'
    stay (issue 15: two queries fewer at every page), and from the user object when the same request asks
    again. Their generation moves with their groups, grants, own permissions and organisation;
    `permissions` with any group's permissions and a group or permission deleted. In the process, not the
    shared cache: with the generations read once per request (`read_once`), a look asks Redis nothing
    more, and a compiled query is never read back from outside the process."""
    values = generations(["permissions", f"user:{user.pk}"])
    if values is None:
        return compute()
    key = f"kept:{name}:{user.pk}:{values[0]}:{values[1]}"
    if _in_own_transaction():  # it may yet roll back: read afresh, keep nothing
        return compute()
    memo = getattr(user, "_kept", None)
    if memo is None:
        memo = user._kept = {}
    if key in memo:  # asked again by the same request (the same user object), still the same generations
        return memo[key]
    store = caches[USER_CACHE]
    found = store.get(key)
    if found is None:
        found = compute()
        # At once; in a test case, when it commits.
        transaction.on_commit(partial(store.set, key, found))
    memo[key] = found
    return found


def _in_own_transaction() -> bool:
    """Inside a transaction of the code's own (not only a test case's): a grant made in it and rolled back
    leaves its generation behind, so nothing read in it may be kept under that generation."""
    return any(not block._from_testcase for block in transaction.get_connection().atomic_blocks)


def turns_at(now_ts: float, moments: Iterable[float]) -> int:
    """When the clock alone next changes what the board shows: the first due or re-evaluation still to
    come, at the latest the end of the clock bucket (countdowns)."""
    bucket_end = (int(now_ts) // CLOCK_BUCKET_SECONDS + 1) * CLOCK_BUCKET_SECONDS
    return int(min([bucket_end, *(m for m in moments if m > now_ts)]))


def digest(user_id, places: list[str], query: str) -> str | None:
    """A keyed hash of what the board shows now (None: the cache cannot say)."""
    values = generations(places)
    if values is None:
        return None
    state = f"{user_id}|{query}|{','.join(places)}|{','.join(map(str, values))}"
    return salted_hmac("board-state", state).hexdigest()[:24]


def token(turns: int, state_digest: str | None) -> str:
    if state_digest is None:
        return f"{turns}.{secrets.token_hex(8)}"  # never matches: no cache, no 204
    return f"{turns}.{state_digest}"


def poll_unchanged(request, query: str, now_ts: float) -> bool:
    """A board's poll (`?v=` the token it was rendered with) whose board has not changed since."""
    from django.contrib.auth import SESSION_KEY as USER_KEY

    given, places = request.GET.get("v"), request.session.get(SESSION_KEY)
    user_id = request.session.get(USER_KEY)
    return bool(given and places and user_id) and unchanged(user_id, places, query, given, now_ts)


def unchanged(user_id, places: list[str], query: str, given: str, now_ts: float) -> bool:
    """The token a poll carries still describes the board: the same state, and the clock has not turned."""
    turns, _, state = given.partition(".")
    if not turns.isdigit() or now_ts >= int(turns):
        return False
    current = digest(user_id, places, query)
    return current is not None and constant_time_compare(current, state)


# --- What bumps which generations ------------------------------------------------------------------------


def connect() -> None:
    """Every change a board shows bumps its places (called from CoordinationConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from coordination import models

    def on(model, receiver):
        for signal in (post_save, post_delete):
            uid = f"board_state.{model.__name__}.{id(signal)}"
            signal.connect(receiver, sender=model, weak=False, dispatch_uid=uid)  # closures: held strongly

    def admission(sender, instance, **kwargs):
        # Where it lay when read too: a transfer or a new residence takes it off the old place's board.
        ward, municipality = getattr(instance, "_loaded_places", (instance.ward_id, instance.municipality_id))
        old = [f"ward:{ward}", f"hospital:{hospital_of(ward)}", f"municipality:{municipality}"]
        changed([*admission_places(instance), *old])

    def own(sender, instance, **kwargs):  # a user's marks, seen admissions, organisation
        changed([f"user:{instance.user_id}"])

    def granted(instance) -> list[str]:  # the rows of the admission's own places show "granted" too
        try:
            return admission_places(instance.content_object)
        except models.Admission.DoesNotExist:  # deleted with the admission
            return []

    def grant_to_user(sender, instance, **kwargs):
        changed([f"user:{instance.user_id}", *granted(instance)])

    def grant_to_group(sender, instance, **kwargs):
        users = get_user_model().objects.filter(groups=instance.group_id).values_list("pk", flat=True)
        changed([*(f"user:{pk}" for pk in users), *granted(instance)])

    def user(sender, instance, update_fields=None, **kwargs):
        if update_fields is None or set(update_fields) != {"last_login"}:  # a login shows a new page anyway
            changed([f"user:{instance.pk}"])

    def membership(sender, instance, action, pk_set, **kwargs):
        if action.startswith("post_"):
            if isinstance(instance, get_user_model()):
                changed([f"user:{instance.pk}"])
            else:  # a group's members changed from the group's side
                changed([f"user:{pk}" for pk in pk_set or ()])
            if action == "post_clear" and not isinstance(instance, get_user_model()):
                changed(["permissions"])  # a group's members all gone: who they were is not said

    def permissions(sender, **kwargs):  # kept_for_user: every user's permissions and grants read again
        changed(["permissions"])

    def names(sender, instance, **kwargs):  # places' names are on every board
        from coordination.auth import forget_places

        _hospital_of_ward.clear()
        forget_places()
        changed(["all"])

    def citizen(sender, instance, created=False, **kwargs):
        # Only the citizen's own rows, and only when what a board shows of them changed (registering an
        # admission saves its citizen too, unchanged).
        if created or getattr(instance, "_shown", None) == (instance.name, instance.cpr):
            return
        rows = models.Admission.objects.filter(citizen_id=instance.pk)
        rows.update(changed_at=timezone.now())  # the rows' stamps move: a kept board reads them again
        changed(place for admission in rows for place in admission_places(admission))
        instance._shown = (instance.name, instance.cpr)

    on(models.Admission, admission)
    for model in (models.UnreadMark, models.AdmissionSeen, models.StaffMember):
        on(model, own)
    on(models.AdmissionUserObjectPermission, grant_to_user)
    on(models.AdmissionGroupObjectPermission, grant_to_group)
    on(get_user_model(), user)
    post_save.connect(citizen, sender=models.Citizen, weak=False, dispatch_uid="board_state.citizen")
    for model in (models.Ward, models.Hospital, models.Municipality, models.Region):
        on(model, names)
    # Held strongly (weak=False), as `on` does: the receivers are closures of this call.
    for through, receiver in (
        (get_user_model().groups.through, membership),
        (get_user_model().user_permissions.through, membership),
        (Group.permissions.through, permissions),
    ):
        uid = f"board_state.{through.__name__}"
        m2m_changed.connect(receiver, sender=through, weak=False, dispatch_uid=uid)
    for model in (Group, Permission):
        on(model, permissions)
