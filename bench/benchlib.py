"""Shared helpers of the benchmarks: paths, the benchmark database, child processes, statistics.

Every benchmark writes its data under `bench/out/` (gitignored) and uses only a database whose
name contains "bench", so it can never touch the demo or the test databases.
"""

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
OUT.mkdir(exist_ok=True)  # gitignored: a fresh checkout has none
BIN = Path(sys.executable).parent
DANGVIEN = BIN / "dangvien"
GUNICORN = BIN / "gunicorn"
# The one setting of the benchmarks: the 300k data set's database. Every other database (the
# 6m data set, the import's scratch database) is named after it on the same server.
PG_URL = os.environ.get(
    "DANGVIEN_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dangvien_bench"
)


def derived_url(suffix: str, url: str = PG_URL) -> str:
    """`url` with `_<suffix>` added to its database name (dangvien_bench -> dangvien_bench_6m)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{suffix}"))


PG_6M_URL = derived_url("6m")
SECRET_KEY = "benchmark-only-not-a-secret"


@dataclass(frozen=True)
class Scale:
    """A benchmark data set: how many members in how many provinces, and the database holding
    it (generate.py makes it; every script takes it with --scale)."""

    name: str
    members: int
    provinces: int
    url: str


SCALES = {
    "300k": Scale("300k", 300_000, 1, PG_URL),
    "6m": Scale(
        "6m",
        6_000_000,
        34,
        PG_6M_URL,
    ),
}


def add_scale_argument(parser) -> None:
    parser.add_argument(
        "--scale",
        choices=list(SCALES),
        default="300k",
        help="the data set: 300k (one province) or 6m (34 provinces, about 30 minutes to make)",
    )


def scale_of(args) -> Scale:
    return SCALES[args.scale]


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_bench_url(url: str) -> str:
    """Refuse any PostgreSQL database that is not obviously a benchmark one."""
    if url.startswith("postgres") and "bench" not in db_name(url):
        raise SystemExit(
            f"refusing to use {db_name(url)!r}: benchmark database names contain 'bench'"
        )
    return url


def maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def child_env(database_url: str) -> dict[str, str]:
    """Environment for a `dangvien` child process on `database_url`, with Python's bytecode
    cache as an installed package has it (pip compiles it): an environment with
    PYTHONDONTWRITEBYTECODE would make every child compile the application again (about 0.4 s
    of each command's start-up, measured by command_startup.py)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env.update(
        DATABASE_URL=check_bench_url(database_url),
        DANGVIEN_DATA_DIR=str(OUT / "data"),
        DANGVIEN_SECRET_KEY=SECRET_KEY,
        DJANGO_SETTINGS_MODULE="dangvien.settings",
        # The benchmark's officers sign in with force_login and have no phone app: the lists
        # are measured, not the second factor (a real deployment keeps it on).
        DANGVIEN_REQUIRE_2FA="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def setup_django(database_url: str) -> None:
    """Configure this process for `database_url` and start Django; what start-up built is
    then frozen out of the collector's full passes, as dangvien.wsgi does in the server."""
    os.environ.update(child_env(database_url))
    import django

    django.setup()
    gc.freeze()


@dataclass
class ChildRun:
    returncode: int
    seconds: float
    max_rss_mb: float  # peak resident set size of that one child process
    stdout: str
    stderr: str

    def check(self, what: str) -> "ChildRun":
        if self.returncode != 0:
            sys.stderr.write(self.stdout[-3000:] + self.stderr[-3000:])
            raise SystemExit(f"{what} failed with exit status {self.returncode}")
        return self


def run_child(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 1800
) -> ChildRun:
    """Run one process to its end; wall time and its own peak RSS (os.wait4 → ru_maxrss, KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([str(a) for a in args], stdout=out, stderr=err, env=env)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ChildRun(
            returncode=process.returncode,
            seconds=seconds,
            max_rss_mb=usage.ru_maxrss / 1024,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def timings(samples_ms: list[float]) -> dict[str, float]:
    """p50, p95 (inclusive quantiles) and max of a list of milliseconds."""
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else None
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p95": cuts[94] if cuts else ordered[0],
        "max": ordered[-1],
    }


def machine() -> str:
    cpus = os.cpu_count()
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {cpus} CPUs, {total_kb / 2**20:.0f} GiB RAM"


def save_results(name: str, results: dict, scale: Scale) -> Path:
    """Write `bench/out/results-<name>-<scale>.json` for run_all.py's table, with the data set,
    the commit measured and this process's peak RSS."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{name}-{scale.name}.json"
    results = {
        "scale": scale.name,
        "commit": commit(),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **results,
    }
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    return path


def load_results(name: str, scale: Scale) -> dict | None:
    path = OUT / f"results-{name}-{scale.name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def commit() -> str:
    """The commit measured (with "+changes" when the work tree differs from it)."""

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return run.stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    return f"{head}+changes" if git("status", "--porcelain", "--", "src", "bench") else head


def table(headers: list[str], rows: list[list]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[str(c) for c in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        parts = []
        for i, value in enumerate(row):
            numeric = index > 0 and _is_number(rows[index - 1][i])
            parts.append(value.rjust(widths[i]) if numeric else value.ljust(widths[i]))
        lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def client_for(username: str):
    """A Django test client signed in as `username` (host 127.0.0.1, as ALLOWED_HOSTS wants)."""
    from django.test import Client

    from dangvien.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


def subtree_sizes(orgs) -> dict[int, int]:
    """Members (any status) in each organisation's subtree, from one grouped query."""
    from django.db.models import Count

    from dangvien.members.models import Member

    by_branch = dict(Member.unscoped.values_list("branch_id").order_by().annotate(n=Count("pk")))
    sizes = {org.pk: 0 for org in orgs}
    for org in orgs:
        for part in org.path.strip("/").split("/"):
            sizes[int(part)] += by_branch.get(org.pk, 0)
    return sizes


def time_calls(build, runs: int, warmup: int) -> tuple[dict, object, int]:
    """Timings of `build()` over `runs` calls after `warmup` ones, its last result, and the
    number of SQL statements one call makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, result = [], None
    for number in range(warmup + runs):
        started = time.perf_counter()
        result = build()
        elapsed = (time.perf_counter() - started) * 1000
        if number >= warmup:
            samples.append(elapsed)
    with CaptureQueriesContext(connection) as captured:
        build()
    return timings(samples), result, len(captured)


def explain_calls(build, title) -> str:
    """The statements of one `build()` with their times and EXPLAIN ANALYZE of those over 5 ms;
    `title(result)` heads them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = build()
    lines = [f"=== {title(result)}"]
    for query in captured.captured_queries:
        took = float(query["time"]) * 1000
        lines.append(f"-- {took:.1f} ms\n{query['sql']}")
        if took >= 5 and query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                lines.extend("    " + row[0] for row in cursor.fetchall())
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------- shared by the report benchmarks


def report_benchmark(description: str):
    """The arguments of a report benchmark (--scale, --runs, --warmup, --explain), with its
    data set made and Django started on it: (args, scale)."""
    import argparse

    import generate

    parser = argparse.ArgumentParser(description=description)
    add_scale_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every case")
    args = parser.parse_args()
    scale = scale_of(args)
    generate.ensure_scale(scale)
    setup_django(scale.url)
    return args, scale


def announce(what: str, scale: Scale, detail: str) -> None:
    print(f"{what} benchmark on {machine()}, {scale.members:,} members ({scale.name}), {detail}")
    print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}", flush=True)


def write_explains(name: str, texts: list[str]) -> None:
    """The SQL and EXPLAIN ANALYZE of the slow cases, in bench/out/<name>-explain.txt."""
    if not texts:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}-explain.txt"
    path.write_text("\n".join(texts))
    print(f"SQL and EXPLAIN ANALYZE of {len(texts)} case(s): {path}")


def save_report_results(name: str, args, scale: Scale, rows: list, **extra) -> None:
    """A report benchmark's results: the machine, the data set, the runs and one row a case."""
    save_results(
        name,
        {
            "machine": machine(),
            "members": scale.members,
            **extra,
            "load_average": os.getloadavg()[0],
            "runs": args.runs,
            "rows": rows,
        },
        scale,
    )
