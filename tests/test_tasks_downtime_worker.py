"""The downtime boards through a real Redis and a real `celery worker` (issue 15): the shift change's task
queues one task a board, and the worker writes every board once."""

from tests.test_reminders_worker import (  # noqa: F401 - fixtures
    procs,
    pytestmark,
    redis_db,
    start_worker,
    via_redis,
    wait_until,
)


def test_a_worker_writes_each_board_as_a_task_of_its_own(admission, via_redis, procs, tmp_path):  # noqa: F811
    folder = tmp_path / "nedbrud"
    worker = start_worker(procs, tmp_path, "nedbrud", DOWNTIME_BOARD_DIR=folder)
    via_redis.signature(
        "coordination.tasks.write_downtime_boards", args=["2026-02-05T07:05:00+01:00"]
    ).delay()
    expected = [f"nedbrud-afsnit-{admission.ward_id}-20260205-07.pdf", "nedbrud-kommune-0219-20260205-07.pdf"]
    wait_until(
        lambda: folder.exists() and sorted(p.name for p in folder.glob("*.pdf")) == expected, what="boards"
    )
    assert worker.text().count("coordination.tasks.write_downtime_board[") >= 2  # one task a board
    assert all((folder / name).read_bytes().startswith(b"%PDF") for name in expected)
