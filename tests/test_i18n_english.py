"""With the UI in English, no Danish reaches the user (issue 10): an English-speaking nurse and visitator walk
the board, the admission page (a course with warnings, a refusal and notifications), the inbox, the waiting
list, every action form submitted invalid, and the e-mails; each page's text is searched for Danish.

The people's own data are not UI text and are taken out first: the citizen's name, the places' names (ward,
hospital, municipality, region) and what the test itself typed."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.test import TestCase

from coordination import reminders, services
from coordination.forms import ACTION_FORMS
from coordination.models import Municipality, Region
from coordination.vocabulary import Residence, WaitingReason
from tests.conftest import cph
from tests.factories import logged_in

DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
# Common Danish words that are not English words (whole words, any case).
DANISH_WORDS = {
    "og",
    "ikke",
    "skal",
    "er",
    "det",
    "der",
    "af",
    "til",
    "på",
    "hvad",
    "hvornår",
    "eller",
    "borger",
    "borgeren",
    "borgerens",
    "indlæggelse",
    "indlagt",
    "afsnit",
    "afsnittet",
    "kommunen",
    "hospitalet",
    "sendes",
    "sendt",
    "læst",
    "ulæst",
    "påmindelse",
    "frist",
    "dage",
    "døgn",
    "udskrivning",
    "færdigbehandlet",
    "ja",
    "nej",
    "venter",
    "skriv",
    "vælg",
    "angiv",
    "tidspunkt",
    "dato",
    "gyldig",
    "feltet",
    "denne",
    "dette",
    "findes",
    "kan",
    "ingen",
    "nyt",
    "gem",
    "oplysninger",
    "hændelse",
    "siden",
    "uge",
    "kl",
    "dag",
    "går",
    "morgen",
    "overskredet",
    "aftale",
    "plads",
    "hjælpemidler",
    "midlertidig",
    "genoptræning",
    "besked",
    "beskeder",
    "markér",
    "registrér",
    "registreret",
    "aftalt",
    "planlagt",
    "forventet",
    "sikker",
    "fra",
    "om",
    "opfyldt",
    "åben",
    "bolig",
    "eget",
    "hjem",
    "plejebolig",
    "hjemmepleje",
    "andet",
    "emne",
    "tekst",
    "navn",
    "hvorfor",
    "begrundelse",
    "udskrevet",
    "alle",
    "vis",
    "mine",
    "dine",
    "vores",
    "også",
    "mangler",
    "allerede",
    "ugyldig",
    "obligatorisk",
}
RULE_ID = re.compile(r"\bR-[A-Z0-9-]+")
WORD = re.compile(r"[A-Za-zÆØÅæøå]+")
# What the product and the language switcher are called in every language.
NAMES = ("Sektorovergang", "Dansk")


class Visible(HTMLParser):
    """The text a person reads or hears: text outside script/style, and the labelling attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def danish_in(text: str, data: tuple[str, ...]) -> list[str]:
    for known in sorted({*data, *NAMES}, key=len, reverse=True):
        text = text.replace(known, " ")
    text = RULE_ID.sub(" ", text)  # rule ids (R-PLEJEBOLIG) are the same in every language
    found = [m.group(0) for m in DANISH_LETTERS.finditer(text)]
    found += [w for w in WORD.findall(text) if w.lower() in DANISH_WORDS]
    lines = [
        line.strip()
        for line in text.splitlines()
        if DANISH_LETTERS.search(line) or any(w.lower() in DANISH_WORDS for w in WORD.findall(line))
    ]
    return sorted(set(found)) + lines[:10]


def visible(body: str) -> str:
    parser = Visible()
    parser.feed(body)
    return "\n".join(parser.parts)


def english(user):
    user.staff.language = "en"
    user.staff.email_notifications = True
    user.staff.save()
    user.email = f"{user.username}@example.org"
    user.save()
    client = logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def course(admission, hospital_actor, municipality_actor, nurse, visitator):
    """A course with something of everything: a PFP, a KM, a plan to a plejebolig late in the evening
    (R-PLEJEBOLIG), færdigbehandlet waiting for two things, reminders and message notifications."""
    with committed():
        services.send_pfp(
            admission,
            at=cph("2026-02-03 11:00"),
            faerdigbehandlet_date=date(2026, 2, 4),
            date_certain=True,
            coordination_needed=True,
            reason="Needs a hoist at home",
            actor=hospital_actor,
            now=cph("2026-02-03 11:00"),
        )
        services.send_km(
            admission,
            at=cph("2026-02-03 12:00"),
            sender="municipality",
            subject="Plejeforløbsplan ok",
            text="Fine",
            actor=municipality_actor,
            now=cph("2026-02-03 12:00"),
        )
        services.plan_discharge(
            admission,
            at=cph("2026-02-03 13:00"),
            discharge_at=cph("2026-02-05 22:30"),
            destination="plejebolig",
            needs_changed=True,
            practical_help_only=False,
            municipal_nursing=True,
            rehabilitation_needed=True,
            actor=hospital_actor,
            now=cph("2026-02-03 13:00"),
        )
        services.register_faerdigbehandlet(
            admission,
            at=cph("2026-02-04 10:00"),
            faerdigbehandlet_on=date(2026, 2, 4),
            waiting_for=["midlertidig_plads", "hjaelpemidler"],
            actor=hospital_actor,
            now=cph("2026-02-04 10:00"),
        )
        reminders.sweep(cph("2026-02-04 12:00"))
    admission.refresh_from_db()
    assert "R-PLEJEBOLIG" in {w["rule"] for w in admission.warnings}
    return admission


def data_of(admission) -> tuple[str, ...]:
    places = [
        admission.citizen.name,
        admission.ward.name,
        admission.ward.hospital.name,
        str(admission.ward),
        admission.ward.hospital.region.name,
        f"Region {admission.ward.hospital.region.name}",
        *Municipality.objects.values_list("name", flat=True),
        *Region.objects.values_list("name", flat=True),
        "Hillerød Kommune",
    ]
    return tuple(p for p in places if p)


def assert_english(body: str, admission, where: str) -> None:
    found = danish_in(visible(body), data_of(admission))
    assert found == [], f"Danish on {where}: {found}"


def test_the_board_and_the_admission_page_are_english(course, nurse, visitator):
    for user in (nurse, visitator):
        client = english(user)
        assert_english(client.get("/").content.decode(), course, f"the board ({user})")
        page = client.get(f"/admissions/{course.pk}/").content.decode()
        assert 'lang="en"' in page
        assert "is a late-evening or night discharge" in page  # the R-PLEJEBOLIG warning, made in English
        assert_english(page, course, f"the admission page ({user})")


def test_the_inbox_and_the_waiting_list_are_english(course, nurse, visitator):
    for user in (nurse, visitator):
        client = english(user)
        inbox = client.get("/indbakke/").content.decode()
        assert "Karen Hansen" in inbox  # there are items to read
        assert_english(inbox, course, f"the inbox ({user})")
        assert_english(
            client.get("/faerdigbehandlede/").content.decode(), course, f"the waiting list ({user})"
        )


@pytest.mark.parametrize("name", sorted(ACTION_FORMS))
def test_every_action_form_says_its_errors_in_english(course, nurse, visitator, name):
    form = ACTION_FORMS[name]
    user = nurse if "hospital" in form.sides else visitator
    client = english(user)
    url = f"/admissions/{course.pk}/actions/{name}/"
    for data in (
        {},  # nothing filled in
        {f"{name}-at": "2031-13-45T25:99", f"{name}-expected_version": "x"},  # nonsense
        {f"{name}-at": "2026-02-04T09:00", f"{name}-expected_version": str(course.version)},  # refused?
        {f"{name}-at": "2099-01-01T10:00", f"{name}-expected_version": str(course.version)},  # the future
    ):
        response = client.post(url, data, follow=True)  # a post that was recorded shows the page again
        assert response.status_code in (200, 400, 409), response.status_code
        assert_english(response.content.decode(), course, f"the {name} form with {data}")


def test_a_refusal_by_the_engine_is_english(admission, nurse):
    # R-FB-RESUME: treatment cannot be resumed for a citizen who is not registered færdigbehandlet.
    client = english(nurse)
    response = client.post(
        f"/admissions/{admission.pk}/actions/resume/",
        {
            "resume-at": "2026-02-04T11:00",
            "resume-reason": "relapse",
            "resume-expected_version": admission.version,
        },
    )
    body = response.content.decode()
    assert "The citizen is not registered medically ready, so treatment cannot be resumed." in body
    assert_english(body, admission, "the refused resumption")


def test_the_new_admission_form_says_its_errors_in_english(course, nurse):
    client = english(nurse)
    body = client.post("/admissions/new/", {"cpr": "12", "name": ""}).content.decode()
    assert_english(body, course, "the new admission form")


def test_the_emails_are_written_in_the_recipients_language(course, nurse, visitator):
    english(nurse), english(visitator)
    mail.outbox = []
    reminders.make_weekly_overviews(cph("2026-02-09 08:00"))
    reminders.deliver_emails()
    assert any("overview" in m.subject.lower() for m in mail.outbox)
    assert mail.outbox
    for message in mail.outbox:
        found = danish_in(f"{message.subject}\n{message.body}", data_of(course))
        assert found == [], f"Danish in the e-mail: {found}"


def test_a_danish_colleague_gets_the_same_e_mail_in_danish(course, nurse, visitator):
    english(nurse)  # visitator keeps the default language, Danish
    visitator.email, visitator.staff.email_notifications = "visitator@example.org", True
    visitator.save(), visitator.staff.save()
    course.notifications.update(email_state="pending")
    mail.outbox = []
    reminders.deliver_emails()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "indbakke" in by_recipient["visitator@example.org"].subject
    assert "inbox" in by_recipient["sygeplejerske@example.org"].subject
    assert all(course.citizen.name not in m.body + m.subject for m in mail.outbox)  # issue 11: no names


def test_the_e_mail_language_is_chosen_in_the_inbox(visitator):
    client = english(visitator)
    assert 'name="language"' in client.get("/indbakke/").content.decode()
    client.post("/indbakke/e-mail/", {"email_notifications": "on", "language": "da"})
    visitator.staff.refresh_from_db()
    assert visitator.staff.language == "da" and visitator.staff.email_notifications
    client.post("/indbakke/e-mail/", {"language": "xx"})  # unknown: the language stays
    visitator.staff.refresh_from_db()
    assert visitator.staff.language == "da"


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_admission_page_shows_names_not_codes(course, nurse, language):
    client = logged_in(nurse)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = visible(client.get(f"/admissions/{course.pk}/").content.decode())
    codes = [c for c in (*WaitingReason.values, *Residence.values) if "_" in c or "ae" in c or "oe" in c]
    assert [c for c in codes if re.search(rf"\b{c}\b", text)] == []
    assert ("midlertidig plads" if language == "da" else "temporary place") in text
