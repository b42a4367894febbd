"""seed_demo (CONTRACTS.md): deterministic demo data through load_timelines' path, and demo users."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from coordination.models import Admission, Event, Obligation


def seed(*args) -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_seed_demo_json_lists_users_of_every_kind_and_the_admissions():
    result = seed("--admissions", "24", "--seed", "7")
    assert result["admissions"] == Admission.objects.count() == 24
    kinds = {u["organisation"]["kind"] for u in result["users"]}
    assert kinds == {"ward", "hospital", "municipality", "region"}
    for user in result["users"]:
        assert set(user) == {"username", "password", "role", "organisation"}
        assert set(user["organisation"]) == {"kind", "name", "code"}
        assert get_user_model().objects.get(username=user["username"]).check_password(user["password"])
    visitators = [u for u in result["users"] if u["role"] == "visitator"]
    nurses = [u for u in result["users"] if u["role"] == "ward_nurse"]
    assert len({u["organisation"]["code"] for u in visitators}) >= 2
    assert len({u["organisation"]["name"] for u in nurses}) >= 2


@pytest.mark.django_db
def test_demo_users_see_demo_admissions_on_their_board(client):
    result = seed("--admissions", "24")
    nurse = next(u for u in result["users"] if u["role"] == "ward_nurse")
    response = client.post("/login/", {"username": nurse["username"], "password": nurse["password"]})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert "Ingen aktive indlæggelser" not in body


@pytest.mark.django_db
def test_the_english_header_names_the_demo_person_not_the_danish_login(client, settings):
    result = seed("--admissions", "4")
    nurse = next(u for u in result["users"] if u["role"] == "ward_nurse")
    client.post("/login/", {"username": nurse["username"], "password": nurse["password"]})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    header = client.get("/").content.decode().split('<span class="who">')[1].split("</span>")[0]
    person = get_user_model().objects.get(username=nurse["username"])
    assert person.get_full_name() in header and "sygeplejerske" not in header


@pytest.mark.django_db
def test_demo_data_covers_the_flow_with_overdue_duties_and_waiting_citizens():
    # Every timeline went through the services (a refused event would have failed the command).
    result = seed("--admissions", "30", "--seed", "3")
    assert result["admissions"] == 30
    now = timezone.now()
    assert Obligation.objects.overdue(now).exists()
    assert Admission.objects.filter(faerdigbehandlet_on__isnull=False, left_at__isnull=True).exists()
    assert Admission.objects.filter(discharge_registered_at__isnull=False).exists()
    assert set(Event.objects.values_list("type", flat=True)) >= {
        "admitted",
        "message",
        "message_read",
        "discharge_planned",
        "phone_agreement",
        "faerdigbehandlet",
        "left_ward",
        "discharge_registered",
    }


@pytest.mark.django_db
def test_if_empty_leaves_existing_data_alone():
    seed("--admissions", "5")
    before = Event.objects.count()
    result = seed("--if-empty")
    assert Event.objects.count() == before
    assert result["admissions"] == 5
