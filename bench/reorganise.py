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
4. after VACUUM ANALYZE (what autovacuum does after such a write; --no-vacuum leaves it
   out), the same reports, and their 2024 JSON compared with the one kept before (it must be
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

This script runs the imports (each in a child process, this script's --child) and the whole
run; the copy of the data set and the two files are reorganise_data.py, the reports and the
checks after the reorganisation reorganise_reports.py.

    .venv/bin/python bench/reorganise.py --scale 6m
    .venv/bin/python bench/reorganise.py --scale 300k --keep   # keep the copy afterwards
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import sys
import time

import benchlib
import quality_report
import reorganise_data
import reorganise_reports
from reorganise_data import EFFECTIVE_ON
from reorganise_reports import BEFORE_YEAR

COMMITTEES = {"6m": 100, "300k": 10}
TARGET_S = 300
CHILD_MARK = "REORGANISE-PHASES "


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
    from dangvien.reports.tallies import marking

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
    marking._recount_pending = timed("tallies on commit", marking._recount_pending)
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
    parser.add_argument(
        "--no-vacuum",
        action="store_true",
        help="time the reports after it without the VACUUM ANALYZE autovacuum would run",
    )
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.profile_to)
        return
    scale = benchlib.scale_of(args)
    committees = args.committees or COMMITTEES[scale.name]
    results: dict = {"machine": benchlib.machine(), "members": scale.members}
    url, seconds = reorganise_data.copy_database(scale)
    print(f"copied {benchlib.db_name(scale.url)} to {benchlib.db_name(url)} ({seconds:.1f} s)")
    results["copy_s"] = seconds
    reorganise_data.migrate_copy(url, recount=not args.no_reports)
    benchlib.setup_django(url)
    try:
        run(args, scale, url, committees, results)
    finally:
        if not args.keep:
            reorganise_data.drop_database(url)


def _vacuum() -> float:
    """VACUUM ANALYZE of the copy, as autovacuum does after such a write (the server here runs
    without it): until then the reports' index-only counts read the rewritten rows' heap."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def run(args, scale: benchlib.Scale, url: str, committees: int, results: dict) -> None:
    from dangvien.core.scope import unscoped

    detail = f"{committees} new committees on {EFFECTIVE_ON:%d/%m/%Y}"
    benchlib.announce("reorganisation", scale, detail)
    with unscoped():
        cases = [c for c in quality_report.cases() if c.level in ("province", "country")]
        province = cases[0].org
        print(f"province {province.code} {province.name}: {cases[0].members:,} members")
        before_rows, before = (
            ([], {}) if args.no_reports else reorganise_reports.time_reports(cases, args, "before")
        )
        orgs_path, codes = reorganise_data.write_orgs(province, committees, scale.name)
        orgs = run_import(url, "orgs", orgs_path)
        _print_import("import orgs", orgs, committees)
        events = reorganise_data.write_events(province, codes, args.limit, scale.name)
        rows = events["moves"] + events["ends"]
        print(f"{events['path']}: {events['moves']:,} moves, {events['ends']:,} ends")
        limited = "" if args.limit is None else f"-limit{args.limit}"
        profile = benchlib.OUT / f"reorganise-profile{limited}-{scale.name}.txt"
        profile = profile if args.profile else None
        applied = run_import(url, "org-events", events["path"], str(profile) if profile else None)
        _print_import("import org-events", applied, rows)
        again = run_import(url, "org-events", events["path"])
        _print_import("import org-events again", again, rows)
        tree = reorganise_reports.tree_after(province, codes, events)
        print(
            f"after: {tree['bases_under_new']:,} base organisations under the new committees, "
            f"{tree['old_ended']:,} old committees ended, {tree['members']:,} members"
        )
        if events["ended"]:
            refusal = reorganise_reports.ended_refused(events["ended"][0])
            print(f"today's report on an ended committee: {refusal or 'NOT REFUSED'}")
        else:
            refusal = None  # --limit ended none
        if not args.no_reports and not args.no_vacuum:
            print(f"VACUUM ANALYZE after it: {_vacuum():.1f} s", flush=True)
        after_rows, after = (
            ([], {}) if args.no_reports else reorganise_reports.time_reports(cases, args, "after")
        )
        changed = reorganise_reports.compare(before, after)
        if changed:
            print(f"CHANGED after the reorganisation: {', '.join(changed)}")
        elif before:
            print(f"{len(before)} reports of {BEFORE_YEAR} identical before and after")
        sizes = reorganise_data.database_sizes(scale.url, url)
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
