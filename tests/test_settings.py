"""Settings come from environment variables through small typed helpers."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, local_secret_key


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_refuses_a_typo_instead_of_guessing(monkeypatch):
    monkeypatch.setenv("DEBUG_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG_FLAG"):
        env_bool("DEBUG_FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("HOURS", "8")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_int("HOURS", 1) == 8
    assert env_int("UNSET_HOURS", 3) == 3
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("HOURS", "otte")
    with pytest.raises(ImproperlyConfigured):
        env_int("HOURS", 1)


def test_local_secret_key_is_random_kept_and_private(tmp_path):
    path = tmp_path / ".secret_key"
    first = local_secret_key(path)
    assert len(first) >= 50
    assert local_secret_key(path) == first
    assert (path.stat().st_mode & 0o777) == 0o600
    assert local_secret_key(tmp_path / "other") != first


def test_time_zone_and_language(settings):
    assert settings.TIME_ZONE == "Europe/Copenhagen" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "da"
    assert [code for code, _name in settings.LANGUAGES] == ["da", "en"]
