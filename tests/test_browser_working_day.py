"""The working day on the merged admission page (issue 14), in a real browser: a typed date that cannot be
right is refused at its field and nothing is recorded; a duty that can no longer be met is not reminded and
shows as missed; and the admission page and the board, walked as a nurse and as a visitator in Danish and
English at 1400, 768 and 390 px, hold the content-security policy, do not scroll sideways on a tablet or a
phone, have no serious or critical axe-core violation, and in English show no Danish UI words. Screenshots
go to tests/artifacts/. Launch setup as in tests/test_browser.py (Debian's Chromium, no download)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from coordination import services
from coordination.models import Admission, Event, Obligation, Reminder
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import (
    BROWSER_MARKS,
    WAIT,
    _action,
    _axe,
    _open_admission,
    _page,
    _shot,
    _submit,
    _sync_orm_beside_playwright,  # noqa: F401  (the autouse fixture of the browser tests)
    expect,
)
from tests.test_browser_see import _csp_watch

pytestmark = BROWSER_MARKS

WIDTHS = (1400, 768, 390)
WARD, HOSPITAL, MUNICIPALITY = "Medicinsk afdeling M1", "Nordsjællands Hospital", "Hillerød Kommune"

# Common Danish words of this UI that are no English words (whole words, any case; a trailing * also takes
# the longer words that begin so). The people's own data (names, places) are taken out first.
DANISH = [
    "andre handlinger",
    "handling*",
    "hvorfor",
    "senest",
    "frist*",
    "registr[eé]r*",
    "borger*",
    "udskrivning*",
    "indlæggelse*",
    "indlagt",
    "afsnit*",
    "forpligtelse*",
    "tidslinje",
    "tavlen",
    "kommunen",
    "hospitalet",
    "ønsker",
    "videregive*",
    "pårørende",
    "sendes",
    "sendt",
    "dagen",
    "før",
    "og",
    "ikke",
    "til",
    "eller",
    "skal",
    "kl",
    "nu",
    "sprog",
    "skift",
    "udskrifter",
    "ulæst*",
    "færdigbehandl*",
]
DANISH_WORD = re.compile(
    r"(?<![\w-])(" + "|".join(w.replace(" ", r"\s+").replace("*", r"\w*") for w in DANISH) + r")(?![\w-])",
    re.IGNORECASE,
)
DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")

# The text a person reads or hears on the page: every <details> opened, the elements marked as another
# language (the printout language links name each language in itself, lang="da") and the lists of places
# left out, and the labelling attributes added.
VISIBLE_TEXT = """root => {
  const scope = document.querySelector(root);
  scope.querySelectorAll('details').forEach(d => { d.open = true; });
  const copy = scope.cloneNode(true);
  copy.querySelectorAll('[lang]:not([lang="en"]), script, style, [hidden]').forEach(e => e.remove());
  // the lists of places (municipalities, hospitals, wards) are data, not UI text
  copy.querySelectorAll(['municipality', 'hospital', 'ward', 'region']
    .map(n => `select[name$="${n}"] option:not([value=""])`).join(', ')).forEach(e => e.remove());
  const attributes = [...scope.querySelectorAll('[aria-label], [title], [placeholder], [alt]')]
    .filter(e => !e.closest('[lang]:not([lang="en"])'))
    .map(e => ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || '').join(' '));
  document.body.appendChild(copy);  // innerText needs a rendered node
  const text = copy.innerText;
  copy.remove();
  return text + '\\n' + attributes.join('\\n');
}"""


def _now():
    return timezone.now().replace(second=0, microsecond=0)


def _admitted(name: str, nurse, *, days_ago: int = 2) -> Admission:
    """`name` admitted `days_ago` days ago on the nurse's ward for more than 48 hours, the advis sent."""
    citizen = CitizenFactory(name=name, municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = _now()
    at = now - timedelta(days=days_ago)
    admission = services.admit_citizen(
        citizen, nurse.staff.ward, at=at, expected_stay="over_48h", actor=actor, now=now
    )
    services.send_message(admission, "ADVIS-IND", at=at, actor=actor, now=now)
    return Admission.objects.get(pk=admission.pk)


def _uncertain_pfp(admission: Admission, nurse, *, days_ahead: int = 2) -> None:
    """A PFP an hour ago with an uncertain færdigbehandlingsdato `days_ahead` days ahead: the PFP with a
    certain date is owed by 13:00 the day before (R-PFP-DATE)."""
    now = _now()
    services.send_pfp(
        admission,
        at=now - timedelta(hours=1),
        faerdigbehandlet_date=timezone.localdate(now) + timedelta(days=days_ahead),
        date_certain=False,
        coordination_needed=False,
        actor=services.Actor.for_user(nurse),
        now=now,
    )


def _ward_and_people():
    ward = WardFactory(name=WARD, hospital__name=HOSPITAL)
    nurse = staff_user("sygeplejerske", ward=ward)
    visitator = staff_user("visitator", municipality=municipality("0219"))
    return nurse, visitator


def _field_error(form, name: str):
    """The error shown at the field `name` (Django's <ul id="…_error"> inside the field's own group)."""
    field = form.locator(f".field.has-error:has([name='{name}'])")
    expect(field).to_have_count(1)
    return field.locator(".errorlist")


# --- 1. Dates a person types are checked for sense -------------------------------------------------------


def test_a_pfp_date_before_the_admission_is_refused_at_the_field_and_nothing_is_recorded(
    browser,  # noqa: F811
    live_server,
):
    nurse_user, _visitator = _ward_and_people()
    admission = _admitted("Karen Hansen", nurse_user, days_ago=1)
    events = Event.objects.filter(admission=admission).count()
    admitted_on = timezone.localtime(admission.admitted_at).date()
    too_early = admitted_on - timedelta(days=12)

    nurse = _page(browser, live_server, "sygeplejerske")
    csp = _csp_watch(nurse)
    _open_admission(nurse, "Karen Hansen")
    form = _action(nurse, "Plejeforløbsplan (PFP)")
    form.locator("input[name=pfp-faerdigbehandlet_date]").fill(too_early.isoformat())
    form.get_by_label("Datoen er sikker").check()
    _submit(form, "Send PFP")

    # The form comes back open, the typed date still in it, and the error stands at the field.
    form = nurse.locator("#action-pfp")
    expect(form).to_have_attribute("open", "")
    date_input = form.locator("input[name=pfp-faerdigbehandlet_date]")
    expect(date_input).to_have_value(too_early.isoformat())
    expect(date_input).to_have_attribute("aria-invalid", "true")
    error = _field_error(form, "pfp-faerdigbehandlet_date")
    expect(error).to_have_text(
        f"Datoen ligger før indlæggelsen ({admitted_on:%d.%m.%Y}). "
        "Skriv en dato fra indlæggelsesdagen og frem."
    )
    expect(error).to_be_visible()
    # the error is read out with the field (its id is in the input's aria-describedby)
    error_id = error.get_attribute("id")
    assert error_id and error_id in (date_input.get_attribute("aria-describedby") or "").split()
    expect(nurse.locator(".notice")).to_have_count(0)
    _shot(nurse, "working_day_pfp_before_admission")
    _axe(nurse, "admission with a refused PFP date")

    # Nothing is recorded: no PFP on the timeline, none in the database.
    expect(nurse.locator("#admission .timeline li")).to_have_count(events)
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()
    assert Event.objects.filter(admission=admission).count() == events
    assert csp == [], csp


def test_a_planned_discharge_more_than_a_year_ahead_is_refused_at_its_field(browser, live_server):  # noqa: F811
    nurse_user, _visitator = _ward_and_people()
    admission = _admitted("Karen Hansen", nurse_user, days_ago=1)
    events = Event.objects.filter(admission=admission).count()
    today = timezone.localdate()
    try:
        last = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        last = today + timedelta(days=365)
    too_late = last + timedelta(days=10)

    nurse = _page(browser, live_server, "sygeplejerske")
    _open_admission(nurse, "Karen Hansen")
    form = _action(nurse, "Planlæg udskrivning")
    form.locator("input[name=plan-discharge_at]").fill(f"{too_late.isoformat()}T10:00")
    _submit(form, "Gem plan")

    form = nurse.locator("#action-plan")
    expect(form).to_have_attribute("open", "")
    expect(form.locator("input[name=plan-discharge_at]")).to_have_value(f"{too_late.isoformat()}T10:00")
    expect(_field_error(form, "plan-discharge_at")).to_have_text(
        f"Datoen ligger mere end et år frem (efter {last:%d.%m.%Y}). Tjek datoen og årstallet."
    )
    expect(nurse.locator("#admission .timeline li")).to_have_count(events)
    assert not Event.objects.filter(admission=admission, type="discharge_planned").exists()
    _shot(nurse, "working_day_plan_a_year_ahead")


# --- 2. No reminder for a duty that can no longer be met -------------------------------------------------


def test_no_reminder_is_made_for_a_pfp_that_can_no_longer_be_sent_and_the_page_shows_it_missed(
    browser,  # noqa: F811
    live_server,
):
    """Karen Hansen left the ward an hour ago while the hospital still owed the PFP with a certain date
    (R-PFP-DATE); Bo Berg, on the same ward, is still admitted and owes the same. The sweep an hour before
    that duty's deadline reminds the nurse of Bo's PFP only: Karen's can no longer be sent (R-FLOW)."""
    nurse_user, _visitator = _ward_and_people()
    karen = _admitted("Karen Hansen", nurse_user)
    bo = _admitted("Bo Berg", nurse_user)
    for admission in (karen, bo):
        _uncertain_pfp(admission, nurse_user)
    now = _now()
    services.record_departure(
        karen, at=now - timedelta(minutes=30), actor=services.Actor.for_user(nurse_user), now=now
    )
    karens = Obligation.objects.get(admission=karen, rule="R-PFP-DATE")
    bos = Obligation.objects.get(admission=bo, rule="R-PFP-DATE")
    assert (karens.status, karens.possible) == ("open", False)
    assert karens.due_at == bos.due_at and karens.due_at > now

    call_command("sweep_reminders", now=(bos.due_at - timedelta(hours=1)).isoformat())
    assert Reminder.objects.filter(obligation=bos).exists()  # the sweep did remind what can be done
    assert not Reminder.objects.filter(obligation=karens).exists()

    nurse = _page(browser, live_server, "sygeplejerske")
    nurse.goto(f"{live_server.url}/indbakke/")
    items = nurse.locator(".inbox-item")
    expect(items.filter(has_text="Bo Berg").filter(has_text="R-PFP-DATE")).to_have_count(1)
    expect(items.filter(has_text="Karen Hansen").filter(has_text="R-PFP-DATE")).to_have_count(0)
    _shot(nurse, "working_day_inbox_without_impossible_reminder")

    nurse.goto(f"{live_server.url}/admissions/{karen.pk}/")
    nurse.wait_for_selector("#admission")
    row = nurse.locator("#admission table.list tbody tr", has_text="R-PFP-DATE")
    expect(row).to_have_class(re.compile(r"\bstatus-missed\b"))
    expect(row).to_contain_text("Kan ikke længere opfyldes (R-FLOW)")
    expect(row).not_to_contain_text("åben")
    # nor is the PFP offered as the action due now (or at all: R-FLOW refuses it after the departure)
    expect(nurse.locator("#action-pfp")).to_have_count(0)
    expect(nurse.locator(".due-now")).not_to_contain_text("R-PFP-DATE")
    _shot(nurse, "working_day_pfp_missed_after_departure")
    _axe(nurse, "admission with a duty that can no longer be met")


# --- 3. The merged admission page and the board, both sides, both languages, three widths ---------------


def _course_to_walk(nurse_user) -> Admission:
    """Karen Hansen two days in, a PFP with an uncertain date (the PFP with a certain date is due: "Nu:" and
    "Hvorfor?"), her wishes about sharing recorded (the § 41 banner), her papers last printed in English."""
    admission = _admitted("Karen Hansen", nurse_user)
    _uncertain_pfp(admission, nurse_user, days_ahead=3)
    now = _now()
    services.record_sharing_wishes(
        Admission.objects.get(pk=admission.pk),
        declined=["function"],
        note="",
        relatives_allowed=True,
        relatives="Hanne Jensen, 20 30 40 50",
        at=now - timedelta(minutes=30),
        actor=services.Actor.for_user(nurse_user),
        now=now,
    )
    admission.citizen.paper_language = "en"
    admission.citizen.save(update_fields=["paper_language"])
    return Admission.objects.get(pk=admission.pk)


def _in_english(page, how: str) -> None:
    """English through the header's language switch, or through Django's language cookie."""
    if how == "switch":
        page.select_option("#language", "en")
        page.locator("form.lang button[type=submit]").click()
        page.wait_for_load_state()
    else:
        origin = re.match(r"https?://[^/]+", page.url).group(0)
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": f"{origin}/"}])
        page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")


# What sticks out past the right edge of the window (the innermost such elements), to name a cut layout.
STICKING_OUT = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '')
       + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/ +/g, '.') : '')
       + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _no_sideways_scroll(page, what: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    assert wide <= inner + 1, f"{what} scrolls sideways ({wide} px wide): {page.evaluate(STICKING_OUT)}"


def _danish_in(text: str) -> list[str]:
    for data in ("Karen Hansen", "Hanne Jensen", WARD, HOSPITAL, MUNICIPALITY, "Hillerød", "Sektorovergang"):
        text = text.replace(data, " ")
    found = [text[max(0, m.start() - 30) : m.end() + 30].strip() for m in DANISH_WORD.finditer(text)]
    found += [line.strip() for line in text.splitlines() if DANISH_LETTERS.search(line)]
    return found


# The board's cells whose content runs out of them (over the next cell or the card's edge).
CELLS_RUN_OVER = """() => [...document.querySelectorAll('table.board tbody td')]
  .filter(td => td.scrollWidth > td.clientWidth + 1)
  .map(td => td.className + ' ' + td.scrollWidth + '>' + td.clientWidth)"""


def _look_at(page, what: str, width: int, name: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(300)
    _shot(page, name)
    _axe(page, f"{what} at {width} px")
    if width < 1400:
        _no_sideways_scroll(page, f"{what} at {width} px")
    assert page.evaluate(CELLS_RUN_OVER) == [], f"{what} at {width} px: {page.evaluate(CELLS_RUN_OVER)}"


@pytest.mark.parametrize(
    ("username", "english_by"),
    [("sygeplejerske", "switch"), ("visitator", "cookie")],
    ids=["nurse", "visitator"],
)
def test_the_admission_page_and_board_in_both_languages_at_every_width(
    browser,  # noqa: F811
    live_server,
    username,
    english_by,
):
    nurse_user, _visitator = _ward_and_people()
    admission = _course_to_walk(nurse_user)
    page = _page(browser, live_server, username)
    csp = _csp_watch(page)
    page.reload()
    for language in ("da", "en"):
        if language == "en":
            _in_english(page, english_by)
        page.goto(f"{live_server.url}/")
        expect(page.locator("table.board tbody tr", has_text="Karen Hansen")).to_be_visible(timeout=WAIT)
        for width in WIDTHS:
            _look_at(
                page,
                f"board ({username}, {language})",
                width,
                f"working_day_board_{username}_{language}_{width}",
            )
        page.set_viewport_size({"width": 1400, "height": 900})
        _open_admission(page, "Karen Hansen")
        expect(page.locator("#sharing")).to_be_visible()
        expect(page.locator(".paper-language").first).to_be_visible()
        for width in WIDTHS:
            _look_at(
                page,
                f"admission ({username}, {language})",
                width,
                f"working_day_admission_{username}_{language}_{width}",
            )
        if language == "en":
            # every panel opened: "Hvorfor?", "Andre handlinger", the action due now, the § 41 banner, the
            # printout language links
            text = page.evaluate(VISIBLE_TEXT, "main")
            for english in ("Why?", "Other actions", "Danish Health Act § 41", "The citizen's language:"):
                assert english in text, (english, text[:2000])
            assert _danish_in(text) == [], _danish_in(text)
            # the header, the idle-timeout warning (hidden until it is due) and the window's title
            head = page.evaluate(VISIBLE_TEXT, "header.top")
            head += "\n" + page.locator("#session-warning").evaluate("e => e.textContent")
            head += "\n" + page.title()
            assert _danish_in(head) == [], _danish_in(head)
            page.set_viewport_size({"width": 390, "height": 900})
            page.wait_for_timeout(300)
            _shot(page, f"working_day_admission_{username}_en_all_open_390")
            _no_sideways_scroll(page, "the admission page with every panel open at 390 px")
            page.goto(f"{live_server.url}/")
            board = page.evaluate(VISIBLE_TEXT, "main")
            assert _danish_in(board) == [], _danish_in(board)
        page.set_viewport_size({"width": 1400, "height": 900})
    assert admission.pk
    assert csp == [], csp


def test_the_danish_word_check_finds_danish():
    """The check itself: it finds the Danish of this UI, and not the people's own data."""
    assert _danish_in("Andre handlinger (12) · Hvorfor? · senest kl. 13:00") != []
    assert _danish_in("Borgerens sprog: English") != []
    assert (
        _danish_in("Karen Hansen · Medicinsk afdeling M1, Nordsjællands Hospital · Other actions (12)") == []
    )
