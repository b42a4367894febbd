"""The admission page's corrections (views/corrections.py, R-CORRECTION): the link and its form with and
without JavaScript, the original struck through with who, when and why, in Danish and English; the other
side and strangers refused; any post never a server error nor half a write."""

from __future__ import annotations

import time_machine
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from coordination import services
from coordination.models import AccessLog
from tests import test_corrections
from tests.conftest import cph
from tests.factories import logged_in
from tests.test_fuzz import FUZZ, NASTY, TIMES

# The course of tests/test_corrections.py: a plan after 13:00 and the nurse's phone agreement (R-CALL-13).
agreed, nurse_actor = test_corrections.agreed, test_corrections.nurse_actor


def test_the_admission_page_strikes_the_original_through_and_logs_the_change(admission, agreed, nurse):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        admission.refresh_from_db()
        response = client.post(
            f"/admissions/{admission.pk}/events/{agreed.sequence}/error/",
            {
                f"error-{agreed.sequence}-reason": "Aftalen var med en anden borger",
                f"error-{agreed.sequence}-expected_version": admission.version,
            },
        )
        assert response.status_code == 302
        body = client.get(f"/admissions/{admission.pk}/").content.decode()
    assert "<del" in body and "Aftalt udskrivning 5. feb. 2026 14:00" in body
    assert "Aftalen var med en anden borger" in body
    assert AccessLog.objects.filter(user=nurse, admission=admission, action="change").exists()


def test_the_correction_reads_in_english_for_an_english_reader(admission, agreed, nurse, nurse_actor):
    services.mark_entered_in_error(
        admission, actor=nurse_actor, event=agreed, reason="Forkert borger", now=cph("2026-02-03 11:00")
    )
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        body = logged_in(nurse).get(f"/admissions/{admission.pk}/", headers={"Accept-Language": "en"})
    text = body.content.decode()
    assert "Entered in error" in text and "Marked as entered in error" in text
    assert "reason: Forkert borger" in text and "Concerns: " in text
    assert "Fejlregistreret" not in text


def test_a_stranger_cannot_correct_and_gets_404(admission, agreed, outsider):
    client = logged_in(outsider)
    version = admission.version
    for path, data in [
        (
            f"/admissions/{admission.pk}/events/{agreed.sequence}/error/",
            {"reason": "x", "expected_version": version},
        ),
        (
            f"/admissions/{admission.pk}/events/{agreed.sequence}/correct/",
            {"reason": "x", "expected_version": version},
        ),
    ]:
        assert client.post(path, data).status_code == 404
        assert client.get(path).status_code == 404
    admission.refresh_from_db()
    assert admission.version == version


HTMX = {"HX-Request": "true"}


def test_without_javascript_the_link_opens_the_page_with_the_form_at_the_event(admission, agreed, nurse):
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        client = logged_in(nurse)
        page = client.get(f"/admissions/{admission.pk}/").content.decode()
        link = f"/admissions/{admission.pk}/events/{agreed.sequence}/error/"
        assert f'href="{link}#event-{agreed.sequence}"' in page and f'hx-get="{link}"' in page
        full = client.get(link).content.decode()
        fragment = client.get(link, headers=HTMX).content.decode()
    assert "<html" in full and f'name="error-{agreed.sequence}-reason"' in full
    assert "<html" not in fragment and f'name="error-{agreed.sequence}-reason"' in fragment
    assert "autofocus" in fragment


def test_the_nurse_corrects_the_agreed_time_in_the_form_and_the_page_shows_both(admission, agreed, nurse):
    prefix = f"correct-{agreed.sequence}"
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        client = logged_in(nurse)
        admission.refresh_from_db()
        link = f"/admissions/{admission.pk}/events/{agreed.sequence}/correct/"
        shown = client.get(link, headers=HTMX).content.decode()
        assert 'value="2026-02-05T14:00"' in shown  # the value as it stands
        unchanged = client.post(
            link,
            {
                f"{prefix}-discharge_at": "2026-02-05T14:00",
                f"{prefix}-reason": "x",
                f"{prefix}-expected_version": admission.version,
            },
            headers=HTMX,
        ).content.decode()
        assert "Ingen værdi er ændret" in unchanged
        body = client.post(
            link,
            {
                f"{prefix}-discharge_at": "2026-02-05T15:30",
                f"{prefix}-reason": "Tastefejl",
                f"{prefix}-expected_version": admission.version,
            },
            headers=HTMX,
        ).content.decode()
    assert "Rettet: Telefonaftale om udskrivning" in body
    assert "<del>Aftalt udskrivning 5. feb. 2026 14:00</del>" in body
    assert "Aftalt udskrivning 5. feb. 2026 15:30" in body and "begrundelse: Tastefejl" in body
    admission.refresh_from_db()
    assert admission.agreed_discharge_at == cph("2026-02-05 15:30")


def test_a_missing_reason_is_shown_at_the_field_and_nothing_is_written(admission, agreed, nurse):
    version = admission.version
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        body = (
            logged_in(nurse)
            .post(
                f"/admissions/{admission.pk}/events/{agreed.sequence}/error/",
                {f"error-{agreed.sequence}-reason": "", f"error-{agreed.sequence}-expected_version": version},
            )
            .content.decode()
        )
    assert "Skriv hvorfor hændelsen rettes." in body
    admission.refresh_from_db()
    assert admission.version == version


def test_a_stale_form_on_an_event_already_in_error_says_so_on_the_page(admission, agreed, nurse, nurse_actor):
    services.mark_entered_in_error(
        admission, actor=nurse_actor, event=agreed, reason="Forkert borger", now=cph("2026-02-03 11:00")
    )
    admission.refresh_from_db()
    prefix = f"error-{agreed.sequence}"
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        response = logged_in(nurse).post(
            f"/admissions/{admission.pk}/events/{agreed.sequence}/error/",
            {f"{prefix}-reason": "Igen", f"{prefix}-expected_version": admission.version},
        )
    assert response.status_code == 409
    assert "allerede markeret som fejlregistreret. Intet er registreret." in response.content.decode()
    assert admission.events.filter(type="entered_in_error").count() == 1


def test_the_other_side_is_offered_nothing_and_is_refused(admission, agreed, visitator):
    client = logged_in(visitator)
    link = f"/admissions/{admission.pk}/events/{agreed.sequence}/error/"
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        assert link not in client.get(f"/admissions/{admission.pk}/").content.decode()
        response = client.post(
            link,
            {
                f"error-{agreed.sequence}-reason": "x",
                f"error-{agreed.sequence}-expected_version": admission.version,
            },
        )
    assert response.status_code == 403
    assert not admission.events.filter(type="entered_in_error").exists()


@FUZZ
@given(
    kind=st.sampled_from(["error", "correct"]),
    posted=st.dictionaries(
        st.sampled_from(["reason", "discharge_at", "discharge_at_fold", "expected_version"]),
        st.sampled_from(NASTY + TIMES + ["2026-02-05T15:30"]) | st.text(max_size=8),
        max_size=4,
    ),
    htmx=st.booleans(),
)
def test_no_correction_post_gives_a_server_error_or_half_a_write(
    admission, agreed, nurse, kind, posted, htmx
):
    prefix = f"{kind}-{agreed.sequence}"
    data = {f"{prefix}-{name}": value for name, value in posted.items()}
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False), transaction.atomic():
        before = admission.events.count()
        response = logged_in(nurse).post(
            f"/admissions/{admission.pk}/events/{agreed.sequence}/{kind}/", data, headers=HTMX if htmx else {}
        )
        assert response.status_code in (200, 302)
        admission.refresh_from_db()
        assert admission.version == admission.events.count() in (before, before + 1)
        transaction.set_rollback(True)
