"""Secure login: throttled failures, sessions ending after a shift of inactivity, CSRF, CSP, deploy check."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1]


def login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, nurse):
    for _ in range(5):
        response = login(client, "sygeplejerske", "forkert")
        assert response.status_code in (200, 429)
    response = login(client, "sygeplejerske", PASSWORD)
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in


def test_a_right_password_logs_in(client, nurse):
    response = login(client, "sygeplejerske", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_session_ends_after_a_shift_of_inactivity(client, nurse, settings):
    assert settings.SESSION_IDLE_SECONDS == 8 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(nurse)
        traveller.shift(timedelta(hours=7))
        assert client.get("/").status_code == 200  # activity renews the session
        traveller.shift(timedelta(hours=7))
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(hours=8, minutes=1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_post_without_csrf_token_is_rejected(nurse):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert client.post("/logout/").status_code == 403
    assert client.get("/").status_code == 200  # still logged in


def test_pages_carry_a_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    # The test settings use a fast hasher; the deployed settings module is what counts.
    import config.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "Zq8#kL2!vX9@mN4$wR7^tY1&uI6*oP3(aS5)dF0-gH",
        "ALLOWED_HOSTS": "sektorovergang.example",
        "REDIS_URL": "redis://127.0.0.1:6379/7",  # a deployment's processes share it (docs/deployment.md)
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_polling_does_not_keep_a_forgotten_board_logged_in(client, nurse):
    # A board left open on a shared ward computer polls every 30 s; the shift still ends the session.
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(nurse)
        assert client.get("/").status_code == 200  # activity at the start
        traveller.shift(timedelta(hours=7))
        assert client.get("/", headers={"HX-Request": "true", "X-Poll": "1"}).status_code in (200, 204)
        traveller.shift(timedelta(hours=1, minutes=1))
        poll = client.get("/", headers={"HX-Request": "true", "X-Poll": "1"})
        assert poll["HX-Redirect"].startswith("/login/")
        assert client.get("/").status_code == 302
