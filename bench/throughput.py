"""Throughput under a real server (issue 15): not a test, it prints a Markdown table.

    python bench/throughput.py [--admissions N] [--seconds S] [--boards B]

Runs gunicorn (2 workers, as the Procfile) on loopback against the board benchmark's database
(`sektorovergang_bench_board_N`, made by bench/board.py first), then:
- wrk (Debian's package) with 4 connections on the municipality board and on the floor view in the same run:
  requests per second, p50 and p95;
- B simulated boards polling every 30 seconds (the board's htmx poll, answered 204 when nothing changed),
  spread evenly over the 30 seconds: p50, p95 and how many answers took over a second.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# The p95 wrk does not print by itself (its --latency stops at 50/75/90/99).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %f %f\\n", summary.requests, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(username: str) -> str:
    """A logged-in session of the benchmark's visitator, made through Django's own login."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise SystemExit(f"no user {username}: run bench/board.py first (it builds the database)")
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def wrk(url: str, cookie: str, seconds: int, script: str, *headers: str) -> dict:
    extra = [arg for header in headers for arg in ("-H", header)]
    done = subprocess.run(
        ["wrk", "-t2", "-c4", f"-d{seconds}s", "-s", script, "-H", f"Cookie: {cookie}", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    )
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    n, duration_us, p50, p95 = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+)", done.stdout).groups()
    return {
        "rps": int(n) / (int(duration_us) / 1e6),
        "p50": float(p50),
        "p95": float(p95),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def get(port: int, path: str, cookie: str, **headers) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, **headers})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def poll_url(port: int, cookie: str) -> str:
    """The board's poll URL as its page carries it (the token of what it shows)."""
    status, body = get(port, "/", cookie)
    if status != 200:
        raise SystemExit(f"board answered HTTP {status}")
    token = re.search(rb"[?&]v=([\w.]+)", body)
    return f"/?v={token.group(1).decode()}" if token else "/"


def polling_boards(port: int, cookie: str, boards: int, seconds: int) -> dict:
    """`boards` boards, each polling every 30 s at its own offset, for `seconds`; a board answered 200 (its
    clock turned, something changed) takes the token of what it now shows."""
    path = poll_url(port, cookie)
    start = time.monotonic() + 1
    times, statuses, lock = [], {}, threading.Lock()

    def board(offset: float) -> None:
        due, mine = start + offset, path
        while due < start + seconds:
            time.sleep(max(0.0, due - time.monotonic()))
            t0 = time.perf_counter()
            status, body = get(port, mine, cookie, **{"HX-Request": "true", "X-Poll": "1"})
            token = re.search(rb"[?&]v=([\w.]+)", body) if status == 200 else None
            if token:  # the board shows what changed and polls with its new token, as htmx does
                mine = f"/?v={token.group(1).decode()}"
            with lock:
                times.append((time.perf_counter() - t0) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
            due += 30

    threads = [threading.Thread(target=board, args=(30 * i / boards,)) for i in range(boards)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return {
        "requests": len(times),
        "p50": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "slow": sum(1 for t in times if t > 1000),
        "statuses": statuses,
    }


def _database(active: int, historic: int) -> str:
    """bench/board.py's database (it runs first and adds the benchmark's users)."""
    if (ROOT / "bench" / "data.py").exists():
        import data

        return f"{data.SERVER}/{data.database_name(active, historic)}"
    return f"postgres://postgres@127.0.0.1:5432/sektorovergang_bench_board_{active}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admissions", type=int, default=500)
    parser.add_argument("--historic", type=int, default=0)
    parser.add_argument("--seconds", type=int, default=10, help="wrk's run per URL")
    parser.add_argument("--boards", type=int, default=500)
    parser.add_argument("--poll-seconds", type=int, default=60)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    env = {
        **os.environ,
        "DATABASE_URL": _database(args.admissions, args.historic),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback, as behind a TLS proxy
        "LOG_LEVEL": "WARNING",
    }
    # The boards' generations shared by both workers, as in a deployment (coordination/board_state.py).
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")})
    cookie = session_cookie("bench.visitator")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.conf.py", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        wait_for(port)
        for path in ("/", "/bench/floor/"):  # warm both workers
            for _ in range(4):
                get(port, path, cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT)
        board = wrk(f"http://127.0.0.1:{port}/", cookie, args.seconds, script.name)
        floor = wrk(f"http://127.0.0.1:{port}/bench/floor/", cookie, args.seconds, script.name)
        poll_path = poll_url(port, cookie)
        poll = wrk(
            f"http://127.0.0.1:{port}{poll_path}", cookie, args.seconds, script.name, "HX-Request: true",
            "X-Poll: 1",
        )  # fmt: skip
        polls = polling_boards(port, cookie, args.boards, args.poll_seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("gunicorn, 2 workers, loopback; wrk -t2 -c4\n")
    print("| URL | requests/s | p50 ms | p95 ms | errors | share of floor |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in (("municipality board", board), ("floor view", floor), ("unchanged poll (204)", poll)):
        share = f"{100 * r['rps'] / floor['rps']:.1f} %"
        print(f"| {label} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['errors']} | {share} |")
    answered = ", ".join(f"{n}× HTTP {s}" for s, n in sorted(polls["statuses"].items()))
    print(
        f"\n- {args.boards} boards polling every 30 s for {args.poll_seconds} s: {polls['requests']} polls "
        f"({answered}), p50 {polls['p50']:.1f} ms, p95 {polls['p95']:.1f} ms, {polls['slow']} over 1 s"
    )


if __name__ == "__main__":
    main()
