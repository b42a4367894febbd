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
OTHER_PARAMETERS = {"pk": "987654321", "state": "read", "name": "km", "kind": "error", "seq": "4", "n": "0"}
# An event of every admission `admit` makes (its PFP, sequence 3): a correction's form (R-CORRECTION).
OTHER_PARAMETERS["sequence"] = "3"
# A part of an admission that need not be there (a KM's attachment, issue 12): 404 is a fair answer to
# those taking part too; to everyone else it is the only one.
SUB_OBJECTS = ("n",)
# The machine endpoint a MedCom gateway posts to: its token is its login (tests/test_medcom_gateway.py).
LOGIN_EXEMPT = ("medcom/gateway/",)


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
    # Event 4: a KM (its CareCommunication export, issue 12).
    at = cph("2026-02-03 11:00")
    services.send_km(admission, at=at, sender="hospital", subject="Udskrivelse", actor=actor, now=at)
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
                refused = (500,) if any(p in SUB_OBJECTS for p in params) else (404, 500)
                assert response.status_code not in refused, where
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


@pytest.mark.parametrize(
    "route,params",
    [r for r in ROUTES if r[0] not in LOGIN_EXEMPT],
    ids=[route or "/" for route, _ in ROUTES if route not in LOGIN_EXEMPT],
)
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


# --- /admissions/new/ for every role (issue 11 "Who may do what") ----------------------------------------

# role: (status of a POST with a complete, valid form, an admission is made)
NEW_ADMISSION = {
    "ward_nurse": (302, True),
    "discharge_coordinator": (302, True),
    "visitator": (403, False),
    "forloebskoordinator": (403, False),
    # Region staff (a manager with the figures permission is sent to the figures: test_views_reports.py).
    "manager": (403, False),
    "administrator": (403, False),
}


def new_admission_form(cpr, ward_pk, name="Hanne Nyindlagt"):
    return {
        "new-cpr": cpr,
        "new-name": name,
        "new-municipality": municipality("0219").pk,
        "new-residence": "own_home",
        "new-known_in_eoj": "on",
        "new-expected_stay": "over_48h",
        "new-ward": ward_pk,
        "new-at": "2026-02-03T08:00",
    }


def test_only_hospital_staff_register_admissions_on_their_own_wards(world, client):
    from coordination.models import Admission, Event, Ward

    admissions, roles = world
    own_ward = admissions["own"].ward
    assert set(NEW_ADMISSION) == set(roles), "every role of the matrix has an expected answer"
    for role, (user, _taking_part) in roles.items():
        expected_status, registers = NEW_ADMISSION[role]
        client.force_login(user)
        cpr = CitizenFactory.build().cpr
        before = Event.objects.count()
        response = client.post("/admissions/new/", new_admission_form(cpr, own_ward.pk))
        assert response.status_code == expected_status, role
        made = Admission.objects.filter(citizen__cpr=cpr).exists()
        assert made == registers, role
        if not registers:
            assert Event.objects.count() == before, f"{role}: no ADVIS-IND either"
            assert not Admission.objects.filter(citizen__cpr=cpr).exists(), role
    # Nobody's ward choices reach beyond the user's own ward or hospital.
    from coordination.forms import NewAdmissionForm

    for role, (user, _) in roles.items():
        staff = getattr(user, "staff", None)
        wards = set(NewAdmissionForm(staff=staff).fields["ward"].queryset)
        if staff is not None and staff.ward_id:
            assert wards == {staff.ward}, role
        elif staff is not None and staff.hospital_id:
            assert wards == set(Ward.objects.filter(hospital=staff.hospital)), role
        else:
            assert wards == set(), role


def test_a_nurse_cannot_learn_that_a_citizen_is_admitted_at_another_hospital(world, client):
    admissions, roles = world
    nurse, _ = roles["ward_nurse"]
    elsewhere = admissions["foreign_ward"]  # Kardiologisk afdeling, Herlev og Gentofte Hospital
    client.force_login(nurse)
    for cpr in (elsewhere.citizen.cpr, f"{elsewhere.citizen.cpr[:6]}-{elsewhere.citizen.cpr[6:]}"):
        logged_before = AccessLog.objects.filter(user=nurse, citizen=elsewhere.citizen).count()
        response = client.post(
            "/admissions/new/",
            new_admission_form(cpr, admissions["own"].ward.pk),
            headers={"HX-Request": "true"},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "kan ikke registreres som indlagt her" in body
        assert "overflytning" in body
        for secret in ("Herlev og Gentofte", "Kardiologisk", elsewhere.citizen.name, "allerede indlagt"):
            assert secret not in body, secret
        # The look-up is logged, with the citizen, for the auditors.
        assert AccessLog.objects.filter(user=nurse, citizen=elsewhere.citizen).count() == logged_before + 1
    assert elsewhere.citizen.admissions.count() == 1


def test_a_visitator_posting_a_cpr_learns_nothing(world, client):
    admissions, roles = world
    visitator, _ = roles["visitator"]
    client.force_login(visitator)
    elsewhere = admissions["foreign_municipality"]
    response = client.post(
        "/admissions/new/", new_admission_form(elsewhere.citizen.cpr, admissions["own"].ward.pk)
    )
    assert response.status_code == 403
    assert "indlagt" not in response.content.decode()
