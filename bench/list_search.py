"""Response time of the member list and search with 300,000 members on PostgreSQL (p95 < 150 ms).

Two officers: one whose scope is the whole province, one whose scope is the largest upper-level
committee. For each: list page 1, the middle and the last page, every filter, unaccented
partial-name searches ("nguyen van", "thi hoa", "duc") and a member-code search. Each scenario is
requested --requests times (default 50, after 3 warm-up requests) through the Django test
client in this process, then over HTTP to `gunicorn dangvien.wsgi -w 2` started by this script
on 127.0.0.1 and stopped at the end. Requests are sequential; bounded in count; loopback only.

Scenarios whose p95 misses the target get their SQL printed with EXPLAIN ANALYZE into
bench/out/list_search-explain.txt (--explain: for every scenario).
"""

import argparse
import http.client
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import benchlib
import generate

TARGET_P95_MS = 150
MEMBERS = 300_000
COUNT = re.compile(r'id="result-count">([\d.,\s]+) đảng viên')


@dataclass
class Scenario:
    officer: str
    name: str
    params: dict

    @property
    def path(self) -> str:
        return "/members/" + (f"?{urlencode(self.params)}" if self.params else "")


def scenarios_for(username: str) -> list[Scenario]:
    """Every list request the issue names, with values taken from this officer's scope."""
    from dangvien.accounts.models import User
    from dangvien.core.scope import visible
    from dangvien.members.selectors import MemberFilters, filter_members
    from dangvien.members.views import PAGE_SIZE
    from dangvien.organizations.models import Organization

    user = User.objects.get(username=username)
    active = filter_members(user, MemberFilters()).count()
    pages = -(-active // PAGE_SIZE)
    base = (
        visible(user, Organization)
        .filter(kind="dang_bo_co_so")
        .order_by("code")
        .values_list("code", flat=True)[7]
    )
    code = (
        filter_members(user, MemberFilters())
        .order_by("code")
        .values_list("code", flat=True)[active // 3]
    )
    plain = [
        ("list, page 1", {}),
        (f"list, page {pages // 2} (middle)", {"page": pages // 2}),
        (f"list, page {pages} (last)", {"page": pages}),
        ("status: official", {"status": "official"}),
        ("status: probationary", {"status": "probationary"}),
        ("status: exempt", {"status": "exempt"}),
        ("status: left", {"status": "left"}),
        ("status: all", {"status": "all"}),
        ("gender: Nữ", {"gender": "Nữ"}),
        ("age 30-40", {"age_from": 30, "age_to": 40}),
        ("ethnicity: Tày", {"ethnicity": "Tày"}),
        ("religion: Công giáo", {"religion": "Công giáo"}),
        ("qualification: Thạc sĩ", {"qualification": "Thạc sĩ"}),
        ("political theory: Cao cấp", {"political_theory": "Cao cấp"}),
        ("admitted in 2015", {"admitted_year": 2015}),
        ("position: bí thư", {"position": "bí thư"}),
        (f"org: {base}", {"org": base}),
        ("search: nguyen van", {"q": "nguyen van"}),
        ("search: thi hoa", {"q": "thi hoa"}),
        ("search: duc", {"q": "duc"}),
        (f"search: code {code}", {"q": code}),
    ]
    return [Scenario(username, name, params) for name, params in plain]


def _result_count(body: str) -> int:
    found = COUNT.search(body)
    if not found:
        raise SystemExit("the list page has no result count: is it the member list?")
    return int(re.sub(r"\D", "", found.group(1)))


def run_in_process(scenarios: list[Scenario], requests: int, warmup: int) -> dict:
    clients = {}
    results = {}
    for scenario in scenarios:
        if scenario.officer not in clients:
            clients[scenario.officer] = benchlib.client_for(scenario.officer)
        client = clients[scenario.officer]
        samples, matched = [], None
        for number in range(warmup + requests):
            started = time.perf_counter()
            response = client.get(scenario.path)
            body = response.content.decode()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{scenario.path}: HTTP {response.status_code}")
            if number >= warmup:
                samples.append(elapsed)
            matched = _result_count(body)
        results[(scenario.officer, scenario.name)] = {
            "matched": matched,
            **benchlib.timings(samples),
        }
        _print_row("in-process", scenario, results[(scenario.officer, scenario.name)])
    return results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def start_gunicorn(port: int, workers: int = 2):
    log = (benchlib.OUT / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(benchlib.GUNICORN),
            "dangvien.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "120",
        ],
        env=benchlib.child_env(benchlib.PG_URL),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start-up: see bench/out/gunicorn.log")
        try:
            status, _ = _get(port, "/login/", "")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(server) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_http(scenarios: list[Scenario], requests: int, warmup: int) -> dict:
    cookies = {}
    for username in {s.officer for s in scenarios}:
        cookies[username] = benchlib.client_for(username).cookies["sessionid"].value
    port = free_port()
    server = start_gunicorn(port)
    results = {}
    try:
        for scenario in scenarios:
            samples, matched = [], None
            for number in range(warmup + requests):
                started = time.perf_counter()
                status, body = _get(port, scenario.path, cookies[scenario.officer])
                elapsed = (time.perf_counter() - started) * 1000
                if status != 200:
                    raise SystemExit(f"{scenario.path}: HTTP {status} from gunicorn")
                if number >= warmup:
                    samples.append(elapsed)
                matched = _result_count(body.decode())
            key = (scenario.officer, scenario.name)
            results[key] = {"matched": matched, **benchlib.timings(samples)}
            _print_row("HTTP", scenario, results[key])
    finally:
        stop_gunicorn(server)
    return results


def _print_row(mode: str, scenario: Scenario, row: dict) -> None:
    flag = "" if row["p95"] < TARGET_P95_MS else "  MISSED"
    print(
        f"{mode:<10} {scenario.officer:<15} {scenario.name:<32} {row['matched']:>8,} found  "
        f"p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  max {row['max']:7.1f} ms{flag}",
        flush=True,
    )


def explain(scenarios: list[Scenario]) -> str:
    """The SQL each scenario runs, with its time, and EXPLAIN ANALYZE of the slower statements."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lines = []
    for scenario in scenarios:
        client = benchlib.client_for(scenario.officer)
        client.get(scenario.path)
        with CaptureQueriesContext(connection) as captured:
            client.get(scenario.path)
        lines.append(f"=== {scenario.officer}: {scenario.name}  ({scenario.path})")
        for query in captured.captured_queries:
            lines.append(f"-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}")
            if float(query["time"]) * 1000 >= 5 and query["sql"].lstrip().upper().startswith(
                "SELECT"
            ):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    lines.extend("    " + row[0] for row in cursor.fetchall())
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", default="", help="run only scenarios whose name contains this")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every scenario")
    args = parser.parse_args()
    generate.ensure_postgres(MEMBERS)
    benchlib.setup_django(benchlib.PG_URL)
    scenarios = [
        s
        for officer in ("bench_province", "bench_upper")
        for s in scenarios_for(officer)
        if args.only in s.name
    ]
    print(f"list and search benchmark on {benchlib.machine()}, {MEMBERS:,} members")
    in_process = run_in_process(scenarios, args.requests, args.warmup)
    over_http = {} if args.no_http else run_http(scenarios, args.requests, args.warmup)
    rows = []
    for scenario in scenarios:
        key = (scenario.officer, scenario.name)
        rows.append(
            {
                "officer": scenario.officer,
                "scenario": scenario.name,
                "path": scenario.path,
                "matched": in_process[key]["matched"],
                "in_process": in_process[key],
                "http": over_http.get(key),
            }
        )
    slow = [
        s
        for s, row in zip(scenarios, rows, strict=True)
        if args.explain
        or row["in_process"]["p95"] >= TARGET_P95_MS
        or (row["http"] and row["http"]["p95"] >= TARGET_P95_MS)
    ]
    if slow:
        path = benchlib.OUT / "list_search-explain.txt"
        path.write_text(explain(slow))
        print(f"SQL and EXPLAIN ANALYZE of {len(slow)} scenario(s): {path}")
    benchlib.save_results(
        "list_search",
        {
            "machine": benchlib.machine(),
            "members": MEMBERS,
            "target_p95_ms": TARGET_P95_MS,
            "requests": args.requests,
            "rows": rows,
        },
    )


if __name__ == "__main__":
    main()
