"""HTTP load on the member list page: 20 concurrent clients for a bounded time, over loopback only.

`wrk` (Debian's package) drives `gunicorn dangvien.wsgi` started by this script on 127.0.0.1
against the PostgreSQL data set of generate.py (--scale), signed in as the officer of the
(largest) province (bench_province: the widest officer's scope, the slowest list). Targets
(issue 18), with zero errors: at least 500 requests/s from the list cache, 200 without it.
Prints requests/s, latency p50/p90/p99/max, errors and non-2xx answers, for each worker count
asked (`--workers 2,4`); the run stops by itself after `--seconds` (default 20, at most 120).
"""

import argparse
import re
import shutil
import subprocess

import benchlib
import generate
from list_search import free_port, start_gunicorn, stop_gunicorn

TARGET_RPS = {True: 500, False: 200}  # with the list cache, without it
CLIENTS = 20
PATH = "/members/"
LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
SOCKET_ERRORS = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"


def parse(output: str) -> dict:
    """Figures of wrk's --latency report, in requests/s and milliseconds."""
    latency = {f"p{p}": float(v) * UNITS[u] for p, v, u in LATENCY.findall(output)}
    maximum = re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", output)
    errors = re.search(SOCKET_ERRORS, output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        **latency,
        "max": float(maximum[1]) * UNITS[maximum[2]] if maximum else None,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
    }


def run(workers: int, seconds: int, cookie: str, database_url: str, cached: bool) -> dict:
    port = free_port()
    environment = {} if cached else {"DANGVIEN_LIST_CACHE_SECONDS": "0"}
    server = start_gunicorn(port, database_url, workers=workers, environment=environment)
    try:
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
            f"http://127.0.0.1:{port}{PATH}",
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        stop_gunicorn(server)
    name = f"http_load-{workers}{'' if cached else '-uncached'}.txt"
    (benchlib.OUT / name).write_text(output, encoding="utf-8")
    return parse(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", default="2,4", help="gunicorn worker counts to try")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    seconds = max(1, min(args.seconds, 120))
    scale = benchlib.scale_of(args)
    generate.ensure_scale(scale)
    benchlib.setup_django(scale.url)
    cookie = benchlib.client_for("bench_province").cookies["sessionid"].value
    print(
        f"HTTP load benchmark on {benchlib.machine()}, {scale.members:,} members "
        f"({scale.name}), {CLIENTS} clients"
    )
    results = {}
    for workers in [int(n) for n in args.workers.split(",")]:
        # With the list cache (repeated requests are served from it while the data does not
        # change) and without it (every request renders the page: the cost of a first visit).
        for cached in (True, False):
            row = run(workers, seconds, cookie, scale.url, cached)
            label = f"{workers} workers, {'with' if cached else 'without'} the list cache"
            results[label] = row = {**row, "cached": cached, "target_rps": TARGET_RPS[cached]}
            missed = (
                row["requests_per_s"] < TARGET_RPS[cached] or row["socket_errors"] or row["non_2xx"]
            )
            print(
                f"{label}: {row['requests_per_s']:.1f} requests/s ({row['requests']:,} in "
                f"{seconds} s), p50 {row.get('p50', 0):.0f} p90 {row.get('p90', 0):.0f} "
                f"p99 {row.get('p99', 0):.0f} ms, errors {row['socket_errors']}, "
                f"non-2xx {row['non_2xx']}" + ("  MISSED" if missed else ""),
                flush=True,
            )
    benchlib.save_results(
        "http_load",
        {
            "machine": benchlib.machine(),
            "members": scale.members,
            "user": "bench_province",
            "path": PATH,
            "clients": CLIENTS,
            "seconds": seconds,
            "target_rps": {"cached": TARGET_RPS[True], "uncached": TARGET_RPS[False]},
            "runs": results,
        },
        scale,
    )


if __name__ == "__main__":
    main()
