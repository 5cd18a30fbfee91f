"""Time of a province-wide reorganisation dated 01/07/2025 (issue 13, item 6; target: the
`dangvien import org-events` of the whole province under 5 minutes) and of the reports after it.

It works on a copy of the data set's database (`<database>_reorg`, made with CREATE DATABASE …
TEMPLATE, dropped first if it is there; the data set itself is never written), migrated to the
code measured. On the copy, for the largest province (Hà Nội at 6m, BG at 300k):

1. the reports of the province and of the country are built before (timed; the JSON of 2024
   kept: structure on 31/12/2024, quality 2024, admissions 2024);
2. `dangvien import orgs` founds --committees new upper-level committees under the province
   (wards and communes, founded 01/07/2025; 100 at 6m, 10 at 300k);
3. `dangvien import org-events` applies the reorganisation from a generated file: every base
   organisation of the province moved (`Chuyển`) under a new committee (in code order, so that
   each new committee takes neighbouring ones from one or two old committees), then every old
   upper committee ended (`Giải thể`); the file is then imported again (it must change nothing);
4. the same reports after it, and their 2024 JSON compared with the one kept before (it must be
   identical: the past is not rewritten); a report on an ended committee for today is refused.

Each import runs as a child process (`dangvien import …` through call_command, with timers
around the importer's phases: reading and validation; the write, which applies every row once
and is the check of each row on the tree the rows before it left; the unit tallies recounted
on commit): wall time, the child's own peak RSS (VmHWM), rows. --profile runs the org-events
import under cProfile, with the time of each kind of SQL statement (top 25 of each in
bench/out/reorganise-profile[-limitN]-<scale>.txt); --limit N moves only the first N base
organisations (for an estimate); --no-reports times the imports only. The reports are each
built --runs times (default 5, after 1 warm-up; a case stops after --budget seconds) in this
process; p50/p95/max in ms against the targets of quality_report.py.

    .venv/bin/python bench/reorganise.py --scale 6m
    .venv/bin/python bench/reorganise.py --scale 300k --keep   # keep the copy afterwards
"""

import argparse
import cProfile
import csv
import datetime
import io
import itertools
import json
import math
import os
import pstats
import re
import sys
import time

import benchlib
import generate
import quality_report

EFFECTIVE_ON = datetime.date(2025, 7, 1)  # the 2025 reorganisation (no district level)
BEFORE_YEAR = 2024  # a year-end before it: its reports must not change
AFTER_YEAR = 2025  # the first year-end after it (the last graded year)
TODAY_YEAR = generate.REFERENCE_DAY.year  # 2026: admissions of the year in progress
COMMITTEES = {"6m": 100, "300k": 10}
TARGET_S = 300
CHILD_MARK = "REORGANISE-PHASES "

# The reports timed before and after, and whether their JSON must stay identical.
REPORTS = [
    ("structure", f"31/12/{BEFORE_YEAR}", True),
    ("structure", "today", False),
    ("quality", str(BEFORE_YEAR), True),
    ("quality", str(AFTER_YEAR), False),
    ("admissions", str(BEFORE_YEAR), True),
    ("admissions", str(TODAY_YEAR), False),
    ("admissions", "2020-2025", False),
]


def build(kind: str, period: str, org):
    """The report object of one case (what `dangvien report` renders)."""
    from dangvien.reports.admissions import admissions_report as admissions
    from dangvien.reports.quality import quality_report as quality
    from dangvien.reports.structure import structure_report as structure

    if kind == "structure":
        as_of = None if period == "today" else datetime.datetime.strptime(period, "%d/%m/%Y")
        return structure(org, as_of.date() if as_of else None)
    if kind == "quality":
        return quality(org, int(period))  # the page's: the year and the four before
    first, _, last = period.partition("-")
    return admissions(org, int(first), int(last or first))


def json_of(kind: str, period: str, org, report) -> str:
    """The report's JSON as `dangvien report` prints it (formats.md: quality without the years
    before, built again so)."""
    from dangvien.reports import render, render_admissions, render_quality
    from dangvien.reports.quality import quality_report as quality

    if kind == "quality":
        return render_quality.json_text(quality(org, int(period), details=False))
    return (render if kind == "structure" else render_admissions).json_text(report)


# --------------------------------------------------------------------------- the database copy


def copy_database(scale: benchlib.Scale) -> tuple[str, float]:
    """A fresh copy of the data set (the template must have no other connection)."""
    import psycopg

    source = benchlib.db_name(benchlib.check_bench_url(scale.url))
    copy_url = scale.url.rsplit("/", 1)[0] + f"/{source}_reorg"
    copy = benchlib.db_name(benchlib.check_bench_url(copy_url))
    if generate.dataset_marker(scale.url) is None:
        raise SystemExit(
            f"{source} holds no data set: generate it first (bench/README.md, generate.py)"
        )
    started = time.perf_counter()
    with psycopg.connect(benchlib.maintenance_url(scale.url), autocommit=True) as connection:
        others = connection.execute(
            "SELECT pid, application_name, state FROM pg_stat_activity WHERE datname = %s",
            [source],
        ).fetchall()
        if others:
            raise SystemExit(f"{source} has other connections, cannot copy it: {others}")
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        # FILE_COPY: the files copied after a checkpoint, not 15 GB written through the WAL
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}" STRATEGY FILE_COPY')
    return copy_url, time.perf_counter() - started


def migrate_copy(url: str, recount: bool) -> None:
    """The copy migrated to the code measured; when that applied a migration, the unit tallies
    counted again as generate.py does (a migration may drop them, reports/0006: the reports
    would then count from the records and be timed so)."""
    import psycopg

    def applied() -> int:
        with psycopg.connect(url) as connection:
            return connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0]

    env = benchlib.child_env(url)
    before = applied()
    benchlib.run_child([benchlib.DANGVIEN, "migrate", "--verbosity", "0"], env).check("migrate")
    if recount and applied() != before:
        started = time.perf_counter()
        benchlib.run_child([benchlib.DANGVIEN, "recount", "--all"], env, 3600).check("recount")
        seconds = time.perf_counter() - started
        print(f"migrations applied to the copy: tallies recounted ({seconds:.1f} s)")


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = benchlib.db_name(benchlib.check_bench_url(url))
    with psycopg.connect(benchlib.maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_sizes(*urls: str) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, pg_database_size(datname) FROM pg_database WHERE datname = ANY(%s)",
            [[benchlib.db_name(url) for url in urls]],
        )
        return dict(cursor.fetchall())


# ------------------------------------------------------------------------------ the two files


def place_names() -> list[str]:
    """Distinct two-word place names, spread over the word list."""
    pairs = list(itertools.permutations(generate.PLACE_WORDS, 2))
    # a step coprime with the number of pairs: every pair once, neighbours far apart
    step = next(n for n in range(37, len(pairs)) if math.gcd(n, len(pairs)) == 1)
    return [" ".join(pairs[(i * step) % len(pairs)]) for i in range(len(pairs))]


def write_orgs(province, count: int, scale: str) -> tuple[str, list[str]]:
    """The new committees (wards first, then communes), founded on EFFECTIVE_ON: the file."""
    from dangvien.organizations.models import OrgKind

    path = benchlib.OUT / f"reorganise-orgs-{scale}.csv"
    names = place_names()
    rows, codes = [], []
    for number in range(1, count + 1):
        ward = number <= count * 2 // 5
        code = f"{province.code}.P{number:03d}"
        unit = "phường" if ward else "xã"
        rows.append(
            [
                code,
                f"Đảng bộ {unit} {names[number]}",
                OrgKind.UPPER.label,
                province.code,
                f"{EFFECTIVE_ON:%d/%m/%Y}",
                "Phường" if ward else "Xã",
            ]
        )
        codes.append(code)
    headers = ["Mã tổ chức", "Tên tổ chức", "Loại tổ chức", "Mã tổ chức cấp trên"]
    _write_csv(path, [*headers, "Ngày thành lập", "Loại hình"], rows)
    return str(path), codes


def write_events(province, committees: list[str], limit: int | None, scale: str) -> dict:
    """Every active base organisation of the province moved under a new committee (in code
    order, the same share each), then every old upper committee left empty ended."""
    from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind

    active = Organization.unscoped.filter(path__startswith=province.path, ended_on__isnull=True)
    bases = list(
        active.filter(kind__in=BASE_KINDS)
        .exclude(parent__code__in=committees)
        .order_by("code")
        .values_list("code", "parent__code")
    )
    old = list(
        active.filter(kind=OrgKind.UPPER)
        .exclude(code__in=committees)
        .order_by("-depth", "code")
        .values_list("code", flat=True)
    )
    kept = {parent for _, parent in bases[limit:]} if limit is not None else set()
    bases = bases[:limit] if limit is not None else bases
    ended = [code for code in old if code not in kept]
    day = f"{EFFECTIVE_ON:%d/%m/%Y}"
    rows = []
    for index, (code, _) in enumerate(bases):
        share = index * len(committees) // len(bases)
        number = f"{1000 + share}-QĐ/TU"
        rows.append([code, "Chuyển", committees[share], "", "", day, number, province.code])
    for index, code in enumerate(ended):
        rows.append([code, "Giải thể", "", "", "", day, f"{2000 + index}-QĐ/TU", province.code])
    path = benchlib.OUT / f"reorganise-events-{scale}.csv"
    headers = ["Mã tổ chức", "Sự kiện", "Mã tổ chức cấp trên mới", "Mã tổ chức tiếp nhận"]
    _write_csv(
        path, [*headers, "Tên mới", "Ngày hiệu lực", "Số quyết định", "Cơ quan quyết định"], rows
    )
    return {"path": str(path), "moves": len(bases), "ends": len(ended), "ended": ended}


def _write_csv(path, headers: list[str], rows: list[list]) -> None:
    benchlib.OUT.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)


# ------------------------------------------------------------------------------ the imports


def run_import(url: str, kind: str, path: str, profile: str | None = None) -> dict:
    """`dangvien import KIND FILE` in a child process (this script's --child): wall time, its
    peak RSS, what it printed and the importer's phases."""
    command = [sys.executable, __file__, "--child", kind, path]
    if profile:
        command += ["--profile-to", profile]
    run = benchlib.run_child(command, benchlib.child_env(url), timeout=7200)
    phases = {}
    for line in run.stdout.splitlines():
        if line.startswith(CHILD_MARK):
            phases = json.loads(line[len(CHILD_MARK) :])
    printed = [line for line in run.stdout.splitlines() if not line.startswith(CHILD_MARK)]
    return {
        "returncode": run.returncode,
        "seconds": run.seconds,
        "max_rss_mb": run.max_rss_mb,
        "phases": phases,
        "output": "\n".join(printed[-20:] + run.stderr.splitlines()[-20:]),
    }


def child(kind: str, path: str, profile_to: str | None) -> None:
    """The import itself, with timers around the importer's phases (no change to what it does)."""
    benchlib.setup_django(os.environ["DATABASE_URL"])
    from django.core.management import call_command
    from django.db import connection

    from dangvien.organizations import events_importing
    from dangvien.reports import tallies

    phases: dict[str, float] = {}

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    plan = events_importing._Plan
    plan.__init__ = timed("validation", plan.__init__)
    events_importing._apply = timed("write", events_importing._apply)
    tallies._recount_pending = timed("tallies on commit", tallies._recount_pending)
    profiler = cProfile.Profile() if profile_to else None
    statements: dict[str, list] = {}
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        with connection.execute_wrapper(_statement_timer(statements)):
            call_command("import", kind, path)
    finally:
        if profiler:
            profiler.disable()
        phases["command"] = time.perf_counter() - started
        phases["peak_rss_mb"] = _own_peak_mb()
        print(CHILD_MARK + json.dumps(phases), flush=True)
        if profiler:
            _write_profile(profiler, statements, profile_to)


def _own_peak_mb() -> float:
    """This process's own peak RSS (VmHWM): os.wait4's ru_maxrss of a child also counts the
    parent's memory it was forked with, which is large once the reports have been built."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _statement_timer(statements: dict[str, list]):
    """A database execute wrapper adding up the time of each kind of statement (its first
    words up to the WHERE: the table and the columns written or read)."""

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = re.sub(r"'[^']*'|\b\d+\b", "?", sql.split(" WHERE ")[0])[:160]
            entry = statements.setdefault(shape, [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    return wrapper


def _write_profile(profiler: cProfile.Profile, statements: dict, path: str) -> None:
    text = io.StringIO()
    for order in ("cumulative", "tottime"):
        text.write(f"=== top 25 by {order}\n")
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(25)
    text.write("=== SQL statements by total time (count, seconds, statement up to WHERE)\n")
    ranked = sorted(statements.items(), key=lambda item: -item[1][1])
    for shape, (count, seconds) in ranked[:25]:
        text.write(f"{count:>8,} {seconds:9.2f} s  {shape}\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text.getvalue())


# ------------------------------------------------------------------------------ the reports


def time_case(build, runs: int, warmup: int, budget: float) -> tuple[dict, object, int]:
    """Timings of `build()` (p50/p95/max in ms) over up to `runs` calls after `warmup`, its
    last result and the SQL statements of the first call. A case stops once it has spent
    `budget` seconds with at least one timed call; a first call over the budget is the only
    one (a cold figure: the past reports without unit tallies take minutes at 6m)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples, spent = [], 0.0
    connection.queries_log.clear()  # a full log (9,000 statements) would count none
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = build()
        first = time.perf_counter() - started
    if first > budget or warmup == 0:
        samples.append(first * 1000)
    spent += first
    for number in range(1, warmup + runs + 1):
        if len(samples) >= runs or (samples and spent > budget):
            break
        started = time.perf_counter()
        result = build()
        elapsed = time.perf_counter() - started
        spent += elapsed
        if number >= warmup:
            samples.append(elapsed * 1000)
    return benchlib.timings(samples), result, len(captured)


def time_reports(cases, args, stage: str) -> tuple[list[dict], dict]:
    """Each report of REPORTS for each case, timed; the JSON of those that must not change."""
    rows, kept = [], {}
    for case in cases:
        for kind, period, stays in REPORTS:
            timing, report, queries = time_case(
                lambda kind=kind, period=period, org=case.org: build(kind, period, org),
                args.runs,
                args.warmup,
                args.budget,
            )
            target = quality_report.TARGETS_MS[case.level]
            label = f"{stage:<6} {kind:<10} {period:<10} {case.label}"
            missed = timing["p95"] >= target
            print(
                f"{label:<72} {queries:>4} queries  n {timing['n']}  p50 {timing['p50']:9.1f}  "
                f"p95 {timing['p95']:9.1f}  max {timing['max']:9.1f} ms (target {target})"
                + ("  MISSED" if missed else ""),
                flush=True,
            )
            rows.append(
                {
                    "stage": stage,
                    "report": kind,
                    "period": period,
                    "case": case.label,
                    "level": case.level,
                    "queries": queries,
                    "target_ms": target,
                    **timing,
                }
            )
            if stays:
                kept[f"{kind} {period} {case.label}"] = json_of(kind, period, case.org, report)
    return rows, kept


def compare(before: dict, after: dict) -> list[str]:
    """The reports whose JSON changed (their two versions written to bench/out/)."""
    changed = []
    for key, text in before.items():
        if after.get(key) != text:
            changed.append(key)
            stem = benchlib.OUT / ("reorganise-changed-" + re.sub(r"\W+", "-", key).strip("-"))
            stem.with_suffix(".before.json").write_text(text)
            stem.with_suffix(".after.json").write_text(after.get(key, ""))
    return changed


def ended_refused(code: str) -> str:
    """The message of today's structure report on an ended committee (it must be refused)."""
    from dangvien.core.errors import DomainError
    from dangvien.organizations.models import Organization
    from dangvien.reports.structure import structure_report

    try:
        structure_report(Organization.unscoped.get(code=code))
    except DomainError as error:
        return error.message
    return ""


def tree_after(province, committees: list[str], events: dict) -> dict:
    """What the tree looks like today: base organisations under the new committees and the old
    committees ended."""
    from dangvien.members.models import Member
    from dangvien.organizations.models import BASE_KINDS, Organization

    active = Organization.unscoped.filter(path__startswith=province.path, ended_on__isnull=True)
    return {
        "bases_under_new": active.filter(kind__in=BASE_KINDS, parent__code__in=committees).count(),
        "old_ended": Organization.unscoped.filter(
            code__in=events["ended"], ended_on=EFFECTIVE_ON
        ).count(),
        "members": Member.unscoped.filter(branch_path__startswith=province.path).count(),
    }


# ----------------------------------------------------------------------------------- the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--committees", type=int, help="new committees (100 at 6m, 10 at 300k)")
    parser.add_argument("--limit", type=int, help="move only the first N base organisations")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--budget", type=float, default=30, help="seconds a report case may take (default 30)"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the org-events import")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    parser.add_argument("--no-reports", action="store_true", help="time the imports only")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.profile_to)
        return
    scale = benchlib.scale_of(args)
    committees = args.committees or COMMITTEES[scale.name]
    results: dict = {"machine": benchlib.machine(), "members": scale.members}
    url, seconds = copy_database(scale)
    print(f"copied {benchlib.db_name(scale.url)} to {benchlib.db_name(url)} ({seconds:.1f} s)")
    results["copy_s"] = seconds
    migrate_copy(url, recount=not args.no_reports)
    benchlib.setup_django(url)
    try:
        run(args, scale, url, committees, results)
    finally:
        if not args.keep:
            drop_database(url)


def run(args, scale: benchlib.Scale, url: str, committees: int, results: dict) -> None:
    from dangvien.core.scope import unscoped

    detail = f"{committees} new committees on {EFFECTIVE_ON:%d/%m/%Y}"
    benchlib.announce("reorganisation", scale, detail)
    with unscoped():
        cases = [c for c in quality_report.cases() if c.level in ("province", "country")]
        province = cases[0].org
        print(f"province {province.code} {province.name}: {cases[0].members:,} members")
        before_rows, before = ([], {}) if args.no_reports else time_reports(cases, args, "before")
        orgs_path, codes = write_orgs(province, committees, scale.name)
        orgs = run_import(url, "orgs", orgs_path)
        _print_import("import orgs", orgs, committees)
        events = write_events(province, codes, args.limit, scale.name)
        rows = events["moves"] + events["ends"]
        print(f"{events['path']}: {events['moves']:,} moves, {events['ends']:,} ends")
        limited = "" if args.limit is None else f"-limit{args.limit}"
        profile = benchlib.OUT / f"reorganise-profile{limited}-{scale.name}.txt"
        profile = profile if args.profile else None
        applied = run_import(url, "org-events", events["path"], str(profile) if profile else None)
        _print_import("import org-events", applied, rows)
        again = run_import(url, "org-events", events["path"])
        _print_import("import org-events again", again, rows)
        tree = tree_after(province, codes, events)
        print(
            f"after: {tree['bases_under_new']:,} base organisations under the new committees, "
            f"{tree['old_ended']:,} old committees ended, {tree['members']:,} members"
        )
        if events["ended"]:
            refusal = ended_refused(events["ended"][0])
            print(f"today's report on an ended committee: {refusal or 'NOT REFUSED'}")
        else:
            refusal = None  # --limit ended none
        after_rows, after = ([], {}) if args.no_reports else time_reports(cases, args, "after")
        changed = compare(before, after)
        if changed:
            print(f"CHANGED after the reorganisation: {', '.join(changed)}")
        elif before:
            print(f"{len(before)} reports of {BEFORE_YEAR} identical before and after")
        sizes = database_sizes(scale.url, url)
    imports = {"orgs": orgs, "org-events": applied, "org-events again": again}
    _print_table(scale, imports, rows, committees, before_rows + after_rows)
    results.update(
        province=province.code,
        province_members=cases[0].members,
        committees=committees,
        limit=args.limit,
        effective_on=EFFECTIVE_ON,
        events=events,
        imports=imports,
        target_s=TARGET_S,
        tree_after=tree,
        ended_refusal=refusal,
        unchanged_reports=sorted(before),
        changed_reports=changed,
        database_bytes=sizes,
        load_average=os.getloadavg()[0],
        runs=args.runs,
        rows=before_rows + after_rows,
    )
    name = "reorganise" if args.limit is None else f"reorganise-limit{args.limit}"
    path = benchlib.save_results(name, results, scale)
    print(f"results: {path}")


def _print_import(what: str, run: dict, rows: int) -> None:
    phases = ", ".join(
        f"{name} {seconds:.1f} s"
        for name, seconds in run["phases"].items()
        if name != "peak_rss_mb"
    )
    print(
        f"{what}: {rows:,} rows, exit {run['returncode']}, {run['seconds']:.1f} s "
        f"({phases}), peak RSS {run['max_rss_mb']:.1f} MB "
        f"(its own VmHWM {run['phases'].get('peak_rss_mb', 0):.1f} MB)",
        flush=True,
    )
    print("  " + run["output"].replace("\n", "\n  "))
    if run["returncode"] != 0:
        raise SystemExit(f"{what} failed")


def _print_table(scale, imports: dict, rows: int, committees: int, report_rows: list) -> None:
    """One row an import (wall time, rows/s, the child's peak RSS) and one a report case."""
    table = []
    for what, run in imports.items():
        count = committees if what == "orgs" else rows
        target, verdict = "", ""
        if what == "org-events":
            target = f"< {TARGET_S} s"
            verdict = "ok" if run["seconds"] < TARGET_S else "MISSED"
        case = f"{count:,} rows"
        rate = f"{count / run['seconds']:,.0f} rows/s"
        peak = run["phases"].get("peak_rss_mb") or run["max_rss_mb"]
        table.append([f"import {what}", case, "", "", "", run["seconds"], rate, peak])
        table[-1] += [target, verdict]
    for row in report_rows:
        verdict = "ok" if row["p95"] < row["target_ms"] else "MISSED"
        case = f"{row['stage']}, {row['period']}, {row['case']}"
        timing = [row["p50"], row["p95"], row["max"]]
        table.append([f"{row['report']} report", case, *timing, "", "", ""])
        table[-1] += [f"p95 < {row['target_ms']} ms", verdict]
    headers = ["operation", "case", "p50 ms", "p95 ms", "max ms", "seconds", "throughput"]
    print(f"\nreorganisation, data set {scale.name}, commit {benchlib.commit()}")
    print(benchlib.table([*headers, "peak MB", "target", "verdict"], table))


if __name__ == "__main__":
    main()
