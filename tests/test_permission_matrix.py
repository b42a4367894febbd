"""Every URL of the app, found from the URL conf, for every role against an own, a foreign-ward and a
foreign-municipality admission: the status, and no name or CPR of a citizen the user may not see in any
response body, PDF text or export. A new URL is covered without touching this test."""

import io
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from coordination import services
from coordination.models import AccessLog
from coordination.services import Actor
from tests.conftest import cph
from tests.factories import CitizenFactory, WardFactory, municipality, region, staff_user

# Not citizen data, or tested on their own (the admin in test_access.py).
SKIPPED_PREFIXES = ("admin/", "i18n/", "login/", "logout/", "static/")


def url_patterns(patterns=None, prefix=""):
    """(route, parameter names) for every URL pattern, nested includes flattened."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, list(pattern.pattern.converters)


ROUTES = sorted((route, params) for route, params in url_patterns() if not route.startswith(SKIPPED_PREFIXES))


# Values for URL parameters that are not an admission: an object that does not exist (the views' own tests
# cover their owners); the matrix then checks that nothing of any citizen leaks from the 404.
OTHER_PARAMETERS = {"pk": "987654321", "state": "read", "name": "km"}


def is_admission_route(route: str, params) -> bool:
    return route.startswith("admissions/") and "pk" in params


def build(route: str, admission_pk: int | None) -> str:
    path = route
    if admission_pk is not None:
        path = re.sub(r"<(?:\w+:)?pk>", str(admission_pk), path)
    for name, value in OTHER_PARAMETERS.items():
        path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
    assert "<" not in path, f"the permission matrix does not know how to fill {route!r}: teach build()"
    return "/" + path.lstrip("^").rstrip("$")


def admit(name, ward, municipality_code):
    citizen = CitizenFactory(name=name, municipality=municipality(municipality_code))
    at = cph("2026-02-02 10:00")
    actor = Actor(side="hospital", organisation=str(ward))
    admission = services.admit_citizen(citizen, ward, at=at, expected_stay="over_48h", actor=actor, now=at)
    services.send_message(admission, "ADVIS-IND", at=at, actor=actor, now=at)
    services.send_pfp(
        admission,
        at=cph("2026-02-03 10:00"),
        faerdigbehandlet_date=cph("2026-02-05 00:00").date(),
        date_certain=True,
        coordination_needed=False,
        actor=actor,
        now=cph("2026-02-03 10:00"),
    )
    return admission


@pytest.fixture
def world(db):
    ward_a = WardFactory(name="Medicinsk afdeling", hospital__name="Nordsjællands Hospital")
    ward_c = WardFactory(name="Kardiologisk afdeling", hospital__name="Herlev og Gentofte Hospital")
    admissions = {
        "own": admit("Ellen Egensen", ward_a, "0219"),
        "foreign_ward": admit("Frede Fremmedafsnit", ward_c, "0219"),
        "foreign_municipality": admit("Grethe Grænsekommune", ward_c, "0101"),
    }
    administrator = staff_user("administrator", region=region("hovedstaden"))
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    roles = {
        # role: (user, the admissions that user takes part in)
        "ward_nurse": (staff_user("sygeplejerske", ward=ward_a), {"own"}),
        "discharge_coordinator": (staff_user("koordinator", hospital=ward_a.hospital), {"own"}),
        "visitator": (staff_user("visitator", municipality=municipality("0219")), {"own", "foreign_ward"}),
        "forloebskoordinator": (
            staff_user("forloeb", municipality=municipality("0219")),
            {"own", "foreign_ward"},
        ),
        "manager": (staff_user("leder", region=region("hovedstaden")), set()),
        "administrator": (administrator, set()),
    }
    return admissions, roles


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8", errors="replace")


def traces(admission) -> list[str]:
    cpr = admission.citizen.cpr
    return [admission.citizen.name, cpr, f"{cpr[:6]}-{cpr[6:]}", f"{cpr[:6]}-••••"]


def request(client, path):
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response


@pytest.mark.parametrize("route,params", ROUTES, ids=[route or "/" for route, _ in ROUTES])
def test_every_url_shows_each_role_only_the_citizens_it_takes_part_in(route, params, world, client):
    admissions, roles = world
    for role, (user, taking_part) in roles.items():
        client.force_login(user)
        targets = list(admissions.items()) if is_admission_route(route, params) else [(None, None)]
        for key, admission in targets:
            logged_before = AccessLog.objects.filter(user=user).count()
            response = request(client, build(route, admission.pk if admission else None))
            where = f"{role} at {route!r} ({key or 'no admission'})"
            if admission is None and params:
                assert response.status_code == 404, where  # an object that does not exist
            elif admission is not None and key not in taking_part:
                assert response.status_code == 404, where
                assert not AccessLog.objects.filter(user=user, citizen=admission.citizen).exists(), where
            else:
                assert response.status_code not in (404, 500), where
            if admission is not None and key in taking_part:
                # Every look-up of a citizen's data is logged (Sundhedsloven §§ 40-42).
                new_rows = AccessLog.objects.filter(user=user).order_by("pk")[logged_before:]
                assert any(row.citizen_id == admission.citizen_id for row in new_rows), f"{where}: not logged"
            body = text_of(response)
            for other_key, other in admissions.items():
                if other_key not in taking_part:
                    for trace in traces(other):
                        assert trace not in body, f"{where}: shows {trace!r} of {other_key}"


def test_the_matrix_sees_the_apps_urls():
    routes = [route for route, _ in ROUTES]
    assert "" in routes  # the board
    assert any("<int:pk>" in route for route in routes)


@pytest.mark.parametrize("route,params", ROUTES, ids=[route or "/" for route, _ in ROUTES])
def test_every_url_sends_a_person_who_is_not_logged_in_to_the_login_page(route, params, world, client):
    # CONTRACTS.md "The web app": from every URL; an htmx request gets HX-Redirect instead.
    admissions, _roles = world
    path = build(route, admissions["own"].pk if is_admission_route(route, params) else None)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/?next="), path
        assert "Ellen Egensen" not in response.content.decode()
    htmx = client.get(path, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith("/login/"), path
