"""The downtime boards written at every shift change (07, 15, 23 Copenhagen time) into DOWNTIME_BOARD_DIR."""

import logging
from datetime import datetime

import pytest

from coordination.tasks import shift_start, write_downtime_boards
from tests.conftest import cph


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize(
    ("now", "shift"),
    [
        ("2026-02-05T06:59:00+01:00", "2026-02-04 23:00"),
        ("2026-02-05T07:00:00+01:00", "2026-02-05 07:00"),
        ("2026-02-05T22:59:00+01:00", "2026-02-05 15:00"),
        ("2026-02-05T23:30:00+01:00", "2026-02-05 23:00"),
        # Spring forward, Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST; 07:00 is 05:00 UTC.
        ("2026-03-29T04:59:00+00:00", "2026-03-28 23:00"),
        ("2026-03-29T05:00:00+00:00", "2026-03-29 07:00"),
        # Fall back, Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET; 07:00 is 06:00 UTC.
        ("2026-10-25T05:59:00+00:00", "2026-10-24 23:00"),
        ("2026-10-25T06:00:00+00:00", "2026-10-25 07:00"),
        ("2026-10-25T00:30:00+00:00", "2026-10-24 23:00"),  # 02:30 CEST, the first of two 02:30s
    ],
)
def test_the_shift_change_is_found_in_copenhagen_time_across_daylight_saving(now, shift):
    start = shift_start(datetime.fromisoformat(now))
    assert start == cph(shift)
    assert start.utcoffset() == cph(shift).utcoffset()


@pytest.mark.django_db
def test_without_a_folder_the_task_writes_nothing_and_says_why(settings, admission, caplog):
    settings.DOWNTIME_BOARD_DIR = None
    with caplog.at_level(logging.INFO, logger="coordination.tasks"):
        assert write_downtime_boards.delay("2026-02-05T07:05:00+01:00").get() == 0
    assert "DOWNTIME_BOARD_DIR" in caplog.text


@pytest.mark.django_db
def test_the_task_writes_a_board_per_ward_and_municipality_once_per_shift(settings, tmp_path, admission):
    settings.DOWNTIME_BOARD_DIR = str(tmp_path / "nedbrud")
    assert write_downtime_boards.delay("2026-02-05T07:05:00+01:00").get() == 2
    folder = tmp_path / "nedbrud"
    assert names(folder) == [
        f"nedbrud-afsnit-{admission.ward_id}-20260205-07.pdf",
        "nedbrud-kommune-0219-20260205-07.pdf",
    ]
    pdf = (folder / names(folder)[0]).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert admission.citizen.cpr[:6] not in " ".join(names(folder))  # no CPR in a file name
    # Every 15 minutes within the shift: nothing new.
    assert write_downtime_boards.delay("2026-02-05T07:20:00+01:00").get() == 0
    assert write_downtime_boards.delay("2026-02-05T14:59:00+01:00").get() == 0
    assert write_downtime_boards.delay("2026-02-05T15:00:00+01:00").get() == 2
    assert len(names(folder)) == 4


@pytest.mark.django_db
def test_the_task_follows_the_wall_clock_across_the_change_to_summer_time(settings, tmp_path, admission):
    settings.DOWNTIME_BOARD_DIR = str(tmp_path)
    # Beat runs on UTC: 04:45 and 05:00 UTC are 06:45 CET and 07:00 CEST on 29 March 2026.
    assert write_downtime_boards.delay("2026-03-29T04:45:00+00:00").get() == 2  # the night shift's boards
    assert write_downtime_boards.delay("2026-03-29T04:59:00+00:00").get() == 0
    assert write_downtime_boards.delay("2026-03-29T05:00:00+00:00").get() == 2  # 07:00 CEST
    assert write_downtime_boards.delay("2026-03-29T05:15:00+00:00").get() == 0
    assert {name[-15:] for name in names(tmp_path)} == {"20260328-23.pdf", "20260329-07.pdf"}


@pytest.mark.django_db
def test_the_task_follows_the_wall_clock_across_the_change_to_winter_time(settings, tmp_path, admission):
    settings.DOWNTIME_BOARD_DIR = str(tmp_path)
    assert write_downtime_boards.delay("2026-10-25T05:00:00+00:00").get() == 2  # 06:00 CET: night shift
    assert write_downtime_boards.delay("2026-10-25T05:45:00+00:00").get() == 0  # 06:45 CET
    assert write_downtime_boards.delay("2026-10-25T06:00:00+00:00").get() == 2  # 07:00 CET
    assert {name[-15:] for name in names(tmp_path)} == {"20261024-23.pdf", "20261025-07.pdf"}


@pytest.mark.django_db
def test_boards_older_than_the_previous_shift_are_removed(settings, tmp_path, admission):
    settings.DOWNTIME_BOARD_DIR = str(tmp_path)
    (tmp_path / "notes.txt").write_text("the administrator's own file")
    for when in ("2026-02-05T07:05:00+01:00", "2026-02-05T15:05:00+01:00", "2026-02-05T23:05:00+01:00"):
        write_downtime_boards.delay(when).get()
    stamps = {name[-15:] for name in names(tmp_path) if name.endswith(".pdf")}
    assert stamps == {"20260205-15.pdf", "20260205-23.pdf"}
    assert (tmp_path / "notes.txt").exists()


def test_beat_runs_the_task_every_quarter_of_an_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["write-downtime-boards"]
    assert entry["task"] == "coordination.tasks.write_downtime_boards"
    assert entry["schedule"] == 15 * 60
