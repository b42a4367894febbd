"""The admission page says what is due now and why each deadline is what it is (issue 14).

The side's actions the engine would accept now are offered; the one that meets the side's earliest open duty
comes first, open and marked "Nu: …"; the rest are behind "Andre handlinger"; what the engine would refuse is
not offered, and a post of it anyway is refused with a clear Danish message. Beside each obligation,
"Hvorfor?" gives the rule's name and seed and this case's arithmetic, in the reader's language."""

from datetime import date

import pytest
import time_machine
from django.conf import settings

from coordination import services
from coordination.models import Event
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality
from tests.test_views_admission import post_action, url


def page(user, admission, language="da") -> str:
    client = logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url(admission)).content.decode()


def first_action(body: str) -> str:
    """The name of the first action form on the page."""
    start = body.index('id="h-actions"')
    marker = body.index('id="action-', start)
    return body[marker + len('id="action-') : body.index('"', marker + len('id="action-'))]


def other_actions(body: str) -> str:
    start = body.index('<details id="other-actions"')
    return body[start : body.index("</section>", start)]


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def test_the_visitator_is_offered_the_overdue_milr_first_open_and_marked_nu(admission, visitator, at_noon):
    body = page(visitator, admission)
    assert first_action(body) == "milr"
    assert '<details open id="action-milr">' in body
    assert "Nu: MILR sendes (R-MILR)" in body
    assert "senest 2. feb. 2026 22:21" in body
    # the rest are behind a collapsed "Andre handlinger"
    others = other_actions(body)
    assert others.startswith('<details id="other-actions">')
    assert "Andre handlinger" in others
    assert 'id="action-km"' in others and 'id="action-milr"' not in others


def test_the_nurse_is_offered_the_pfp_first_when_the_certain_date_is_due(
    admission, nurse, hospital_actor, at_noon
):
    # an uncertain færdigbehandlingsdato 6 Feb in a stay over 48 hours: a certain PFP is due 5 Feb 13:00
    services.send_pfp(
        admission,
        at=cph("2026-02-03 11:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=False,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-03 11:00"),
    )
    body = page(nurse, admission)
    assert first_action(body) == "pfp"
    assert "Nu: PFP med sikker dato sendes (R-PFP-DATE)" in body
    assert 'id="action-pfp"' not in other_actions(body)


def test_with_nothing_due_every_action_is_behind_andre_handlinger(admission, nurse, at_noon):
    body = page(nurse, admission)
    assert "Nu:" not in body
    assert "Ingen åben frist for jer lige nu" in body
    assert 'id="action-pfp"' in other_actions(body)


def test_actions_the_engine_would_refuse_are_not_offered(admission, nurse, visitator, at_noon):
    nurse_page, visitator_page = page(nurse, admission), page(visitator, admission)
    # before the citizen has left: no discharge registration; no MOF yet: no dispute, no resumption
    for absent in ("action-discharge", "action-dispute", "action-resume"):
        assert f'id="{absent}"' not in nurse_page
    assert 'id="action-dispute"' not in visitator_page
    # rehabilitation before the citizen has left meets nothing
    assert 'id="action-rehabilitation"' not in visitator_page
    assert 'id="action-departure"' in nurse_page and 'id="action-pfp"' in nurse_page


def test_after_the_departure_and_its_registration_neither_is_offered_again(
    admission, nurse, visitator, hospital_actor
):
    services.send_usr(
        admission, content={}, at=cph("2026-02-04 09:00"), actor=hospital_actor, now=cph("2026-02-04 09:00")
    )
    services.record_departure(
        admission, at=cph("2026-02-04 10:00"), actor=hospital_actor, now=cph("2026-02-04 10:00")
    )
    admission.refresh_from_db()
    with time_machine.travel(cph("2026-02-04 10:30"), tick=False):
        body = page(nurse, admission)
        # the registration is due 2 hours after leaving: it comes first
        assert first_action(body) == "discharge"
        assert "Nu: Udskrivning registreres (R-ADVIS-UD)" in body
        assert 'id="action-pfp"' not in body and 'id="action-departure"' not in body
        services.register_discharge(
            admission, at=cph("2026-02-04 10:20"), actor=hospital_actor, now=cph("2026-02-04 10:30")
        )
        admission.refresh_from_db()
        body = page(nurse, admission)
        assert 'id="action-discharge"' not in body
        assert 'id="action-usr"' in body and 'id="action-km"' in body
        assert 'id="action-rehabilitation"' in page(visitator, admission)


def test_a_hidden_action_posted_anyway_is_refused_with_a_danish_message(
    admission, nurse, visitator, hospital_actor, at_noon
):
    # a dispute with no MOF: the engine refuses it (R-FB-DISPUTE), the page says why on top
    response = post_action(logged_in(visitator), admission, "dispute", at="2026-02-03T11:00", note="Uenig")
    body = response.content.decode()
    assert "Der er ingen melding om færdigbehandling (MOF) at gøre indsigelse mod." in body
    assert not Event.objects.filter(admission=admission, type="mof_disputed").exists()
    # rehabilitation before the departure: not yet possible
    response = post_action(logged_in(visitator), admission, "rehabilitation", at="2026-02-03T11:00")
    assert "kan ikke registreres endnu: borgeren har ikke forladt afsnittet" in response.content.decode()
    assert not Event.objects.filter(admission=admission, type="rehabilitation_started").exists()


def test_a_second_discharge_registration_is_refused_with_a_danish_message(admission, nurse, hospital_actor):
    services.record_departure(
        admission, at=cph("2026-02-04 10:00"), actor=hospital_actor, now=cph("2026-02-04 10:00")
    )
    services.register_discharge(
        admission, at=cph("2026-02-04 10:20"), actor=hospital_actor, now=cph("2026-02-04 10:20")
    )
    with time_machine.travel(cph("2026-02-04 11:00"), tick=False):
        response = post_action(logged_in(nurse), admission, "discharge", at="2026-02-04T10:50")
    assert "Udskrivningen er allerede registreret." in response.content.decode()
    assert Event.objects.filter(admission=admission, type="discharge_registered").count() == 1


# --- Hvorfor? -------------------------------------------------------------------------------------------


@pytest.fixture
def night_admission(ward, hospital_actor):
    """Advis at 23:10, in the night shift: the MILR is due at 10:00 the next morning."""
    citizen = CitizenFactory(name="Ole Jensen", municipality=municipality("0219"))
    at = cph("2026-02-02 23:05")
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="over_48h", actor=hospital_actor, now=at
    )
    advis = cph("2026-02-02 23:10")
    services.send_message(admission, "ADVIS-IND", at=advis, actor=hospital_actor, now=advis)
    admission.refresh_from_db()
    return admission


def test_hvorfor_gives_the_night_shift_arithmetic_of_the_milr_in_danish(night_admission, visitator):
    with time_machine.travel(cph("2026-02-03 08:00"), tick=False):
        body = page(visitator, night_admission)
    assert "<summary>Hvorfor?" in body
    assert "MILR sendes</strong> (R-MILR · aftale 000)" in body
    assert (
        "Advis modtaget 2. feb. kl. 23:10 i nattevagt (23:00–07:00) → MILR senest kl. 10:00 (3. feb.)" in body
    )


def test_hvorfor_gives_the_night_shift_arithmetic_of_the_milr_in_english(night_admission, visitator):
    with time_machine.travel(cph("2026-02-03 08:00"), tick=False):
        body = page(visitator, night_admission, language="en")
    assert "<summary>Why?" in body
    assert "(R-MILR · agreement 000)" in body
    assert (
        "Admission notice received 2 Feb at 23:10 in the night shift (23:00–07:00) → MILR by 10:00 (3 Feb)"
        in body
    )


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        (
            "da",
            "Færdigbehandlingsdato 6. feb. (fra PFP) → "
            "PFP med sikker dato senest kl. 13:00 dagen før (5. feb.)",
        ),
        (
            "en",
            "Medically ready date 6 Feb (from a PFP) → "
            "PFP with a certain date by 13:00 the day before (5 Feb)",
        ),
    ],
)
def test_hvorfor_gives_the_pfp_date_arithmetic(admission, nurse, hospital_actor, at_noon, language, sentence):
    services.send_pfp(
        admission,
        at=cph("2026-02-03 11:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=False,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-03 11:00"),
    )
    body = page(nurse, admission, language=language)
    assert sentence in body
    assert "R-PFP-DATE" in body  # the rule id stays visible


def test_every_obligation_on_the_page_has_its_hvorfor(admission, nurse, hospital_actor, at_noon):
    services.send_pfp(
        admission,
        at=cph("2026-02-03 11:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=False,
        coordination_needed=True,
        reason="Hjælpemidler",
        actor=hospital_actor,
        now=cph("2026-02-03 11:00"),
    )
    admission.refresh_from_db()
    body = page(nurse, admission)
    rows = admission.obligations.count()
    assert rows >= 3
    assert body.count('<details class="why"') == rows
    assert body.count('<p class="why-text">') == rows


def test_each_duty_rule_has_its_registry_name_in_danish_and_its_seed():
    from django.utils import translation

    from coordination import why_texts
    from coordination.rules.engine import RULES
    from coordination.rules.registry import DUTY

    with translation.override("da"):
        for unit in RULES:
            if unit.kind == DUTY:
                assert why_texts.rule_name(unit.id) == unit.label
                assert why_texts.rule_seed(unit.id) == unit.seed
