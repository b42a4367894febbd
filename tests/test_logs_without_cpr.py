"""Issue 11: the full CPR number never reaches the web server's log. The board's search and the admin's are
GETs with `?q=<CPR>`; gunicorn (as the Procfile runs it) and Django's runserver mask every CPR-like number
in their request lines. Both run here for real, against the test database, and their logs are grepped."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from coordination.logging import mask
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a server process needs a database it can see: set DATABASE_URL to PostgreSQL",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    env = dict(os.environ)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env.update(
        DATABASE_URL=f"{base}/{connection.settings_dict['NAME']}",
        DJANGO_SETTINGS_MODULE="config.settings_test",
        PYTHONUNBUFFERED="1",
    )
    env.pop("REDIS_URL", None)
    return env


@pytest.fixture
def searcher(db):
    """A nurse, logged in (a session in the database the server reads), and a citizen's CPR to search."""
    ward = WardFactory(name="Medicinsk afdeling", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    nurse.is_staff = nurse.is_superuser = True
    nurse.save()
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    client = Client()
    client.force_login(nurse)
    return client.cookies["sessionid"].value, citizen.cpr


def get(port: int, path: str, session: str, referer: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Cookie": f"sessionid={session}", "Referer": f"http://127.0.0.1:{port}{referer}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_port(port: int, proc, log: Path, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"the server stopped:\n{log.read_text()[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the server did not listen in time:\n{log.read_text()[-3000:]}")


def run_and_search(args, port, session, cpr, tmp_path, name) -> str:
    log = tmp_path / f"{name}.log"
    with log.open("w") as handle:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=server_env(), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_for_port(port, proc, log)
            dashed = f"{cpr[:6]}-{cpr[6:]}"
            statuses = [
                get(port, f"/?q={cpr}", session, f"/?q={dashed}"),
                get(port, f"/?q={dashed}&scope=all", session, "/"),
                get(port, f"/admin/coordination/citizen/?q={cpr}", session, f"/admin/?q={cpr}"),
                get(port, f"/admin/coordination/accesslog/?q={dashed}", session, "/"),
            ]
            time.sleep(1)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text()
    assert statuses == [200, 200, 200, 200], text[-3000:]
    return text


def assert_no_cpr(text: str, cpr: str) -> None:
    assert cpr not in text and f"{cpr[:6]}-{cpr[6:]}" not in text, text[-3000:]
    assert mask(cpr) in text, "the request lines are in the log, masked"


def test_gunicorn_as_the_procfile_runs_it_logs_no_cpr(searcher, tmp_path):
    session, cpr = searcher
    procfile = (ROOT / "Procfile").read_text()
    assert "-c config/gunicorn.conf.py" in procfile and "--access-logfile -" in procfile
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "-c",
        "config/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
    ]
    text = run_and_search(args, port, session, cpr, tmp_path, "gunicorn")
    assert "GET /?q=" in text  # gunicorn's request lines
    assert_no_cpr(text, cpr)


def test_runserver_logs_no_cpr(searcher, tmp_path):
    session, cpr = searcher
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]
    text = run_and_search(args, port, session, cpr, tmp_path, "runserver")
    assert '"GET /?q=' in text  # runserver's request lines
    assert_no_cpr(text, cpr)
