from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coordination import services
from coordination.services import Actor
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user

CPH = ZoneInfo("Europe/Copenhagen")


def cph(text: str) -> datetime:
    """'2026-02-02 14:20' in Copenhagen wall-clock time, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=CPH)


@pytest.fixture(autouse=True)
def _language_as_configured():
    """Each test starts in the site's language: a request as an English-speaking user activates English
    in this thread (LocaleMiddleware), and that must not reach the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def ward(db):
    return WardFactory(name="Medicinsk afdeling", hospital__name="Nordsjællands Hospital")


@pytest.fixture
def other_ward(db):
    return WardFactory(name="Ortopædkirurgisk afdeling", hospital__name="Herlev og Gentofte Hospital")


@pytest.fixture
def citizen(db):
    return CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))


@pytest.fixture
def nurse(ward):
    """The hospital actor: a nurse on the admitting ward."""
    return staff_user("sygeplejerske", ward=ward)


@pytest.fixture
def visitator(db):
    """The municipality actor: a visitator in the citizen's municipality of residence (Hillerød)."""
    return staff_user("visitator", municipality=municipality("0219"))


@pytest.fixture
def outsider(other_ward):
    """Someone with no part in the course: another municipality's visitator."""
    return staff_user("fremmed", municipality=municipality("0101"))


@pytest.fixture
def hospital_actor(ward):
    return Actor(side="hospital", organisation=str(ward))


@pytest.fixture
def municipality_actor():
    return Actor(side="municipality", organisation="Hillerød Kommune")


@pytest.fixture
def admission(citizen, ward, hospital_actor):
    """Karen Hansen admitted 2 Feb 2026 14:20 for more than 48 hours, with the advis sent a minute later."""
    at = cph("2026-02-02 14:20")
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="over_48h", actor=hospital_actor, now=at
    )
    services.send_message(
        admission, "ADVIS-IND", at=cph("2026-02-02 14:21"), actor=hospital_actor, now=cph("2026-02-02 14:21")
    )
    admission.refresh_from_db()
    return admission


@pytest.fixture(autouse=True)
def _boards_forgotten():
    """Each test starts with no board generations and no kept boards: a rolled-back database may give the
    next test the same primary keys, and a board kept from an earlier test must never be shown."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from coordination import auth, board_state

    auth.forget_places()
    board_state._hospital_of_ward.clear()
    for name in ("board-state", "board-live", "board-rows", "user-kept"):
        if isinstance(caches[name], LocMemCache):  # never a shared Redis (REDIS_URL set for the run)
            caches[name].clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _no_stray_database_sessions(django_db_setup, django_db_blocker):
    """The browser tests' live server answers in threads of its own, and one of their connections can outlive
    the run; on PostgreSQL that would stop the test database from being dropped at the end."""
    yield
    from django.db import OperationalError, connection

    if connection.vendor == "postgresql":
        try:
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        except OperationalError:
            pass  # no connection to be had (the configured database need not exist): nothing to stop


from tests.medcom_fixtures import herlev  # noqa: E402, F401  (the places of MedCom's example messages)


@pytest.fixture
def browser():
    """Debian's Chromium driven by Playwright for the browser tests (tests/test_browser*.py), no download."""
    from tests.test_browser import ARGS, CHROMIUM, playwright_api

    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield launched
        launched.close()
