"""HTTP timings of the report pages (HTML with charts), one client at a time and 20 at once.

`gunicorn dangvien.wsgi` (2 workers) is started by this script on 127.0.0.1 against the
PostgreSQL data set of generate.py (--scale), signed in as the officer of the (largest)
province (bench_province), who sees each page of the province by default. For each page:
the first request after start-up (each worker keeps its own cache: the page of a province
seen for the first time since its data last changed), then `--warmup` requests not counted
(the other worker's first), then `--requests` sequential ones (p50/p95/max in ms, and the
page's size), then `wrk` with 20 clients for `--seconds` (default
10, at most 120; requests/s, latency p50/p90/p99, errors). Targets: p95 under 300 ms and at
least 50 requests/s. `--uncached` measures with DANGVIEN_REPORT_CACHE_SECONDS=0 (every request
builds the report; the charts are still drawn once).
"""

import argparse
import os
import shutil
import subprocess
import time

import benchlib
import generate
from http_load import parse
from list_search import _get, free_port, start_gunicorn, stop_gunicorn

TARGET_P95_MS = 300
TARGET_RPS = 50
CLIENTS = 20
WORKERS = 2
PAGES = {
    "structure": "/reports/structure/",
    "quality": "/reports/quality/",
    "admissions": "/reports/admissions/",
    "inspection": "/reports/inspection/",
}


def sequential(port: int, path: str, cookie: str, requests: int, warmup: int) -> dict:
    """The first request's time, then `requests` more one after the other (after `warmup`
    not counted, so that the other worker has seen the page too), and the page's size."""
    samples, size, first = [], 0, None
    for number in range(1 + warmup + requests):
        started = time.perf_counter()
        status, body = _get(port, path, cookie)
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        if number == 0:
            first = elapsed
        elif number > warmup:
            samples.append(elapsed)
        size = len(body)
    return {"first_ms": first, "bytes": size, **benchlib.timings(samples)}


def drain(port: int) -> None:
    """Wait (up to a minute) until the requests wrk left queued are served: the sign-in page
    answers at once again."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = time.perf_counter()
        _get(port, "/login/", "")
        if time.perf_counter() - started < 0.1:
            return
        time.sleep(0.5)


def load(port: int, path: str, cookie: str, seconds: int, name: str, scale) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{CLIENTS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Cookie: sessionid={cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    (benchlib.OUT / f"report_pages-{name}-{scale.name}.txt").write_text(output, encoding="utf-8")
    return parse(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30, help="sequential requests a page")
    parser.add_argument(
        "--warmup", type=int, default=4, help="requests not counted, after the first"
    )
    parser.add_argument("--pages", default=",".join(PAGES), help="pages to measure")
    parser.add_argument("--uncached", action="store_true", help="without the report cache")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    seconds = max(1, min(args.seconds, 120))
    scale = benchlib.scale_of(args)
    generate.ensure_scale(scale)
    benchlib.setup_django(scale.url)
    cookie = benchlib.client_for("bench_province").cookies["sessionid"].value
    benchlib.announce(
        "Report pages", scale, f"{WORKERS} gunicorn workers, {CLIENTS} clients for {seconds} s"
    )
    environment = {"DANGVIEN_REPORT_CACHE_SECONDS": "0"} if args.uncached else {}
    port = free_port()
    server = start_gunicorn(port, scale.url, workers=WORKERS, environment=environment)
    rows = {}
    try:
        names = args.pages.split(",")
        # One client first, on every page (a worker busy with the requests wrk left queued
        # would slow the next page's first request), then 20 clients on each in turn.
        for name in names:
            rows[name] = {
                "path": PAGES[name],
                **sequential(port, PAGES[name], cookie, args.requests, args.warmup),
            }
        for name in names:
            drain(port)
            row = rows[name]
            row["load"] = load(port, row["path"], cookie, seconds, name, scale)
            served = row["load"]
            missed = (
                row["p95"] > TARGET_P95_MS
                or served["requests_per_s"] < TARGET_RPS
                or served["socket_errors"]
                or served["non_2xx"]
            )
            print(
                f"{name}: {row['bytes'] / 1024:.0f} KB, first {row['first_ms']:.0f} ms, "
                f"p50 {row['p50']:.1f} p95 {row['p95']:.1f} max {row['max']:.1f} ms; "
                f"{CLIENTS} clients: {served['requests_per_s']:.1f} requests/s, "
                f"p50 {served.get('p50', 0):.0f} p99 {served.get('p99', 0):.0f} ms, "
                f"errors {served['socket_errors']}, non-2xx {served['non_2xx']}"
                + ("  MISSED" if missed else ""),
                flush=True,
            )
    finally:
        stop_gunicorn(server)
    benchlib.save_results(
        "report-pages" + ("-uncached" if args.uncached else ""),
        {
            "machine": benchlib.machine(),
            "members": scale.members,
            "user": "bench_province",
            "workers": WORKERS,
            "clients": CLIENTS,
            "seconds": seconds,
            "requests": args.requests,
            "warmup": args.warmup,
            "report_cache": not args.uncached,
            "target_p95_ms": TARGET_P95_MS,
            "target_rps": TARGET_RPS,
            "load_average": os.getloadavg()[0],
            "pages": rows,
        },
        scale,
    )


if __name__ == "__main__":
    main()
