"""The UI speaks Danish, with a complete English translation."""

import re
from pathlib import Path

import pytest

PO = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_danish_text_has_an_english_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first entry is the header
    empty = re.compile(r'msgstr(\[\d\])? ""\n?$')
    untranslated = [e for e in entries if "msgid" in e and empty.search(e.strip() + "\n")]
    assert untranslated == []


@pytest.mark.django_db
def test_login_page_in_english_when_the_browser_asks_for_it(client):
    body = client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
    assert "Log in" in body and "Username" in body and 'lang="en"' in body


@pytest.mark.django_db
def test_login_page_in_danish_by_default(client):
    body = client.get("/login/").content.decode()
    assert "Brugernavn" in body and 'lang="da"' in body
