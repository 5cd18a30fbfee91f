"""Run every benchmark of the member records and print one table of results against the targets.

    .venv/bin/python bench/run_all.py              # about 10 minutes on a 2-core machine
    .venv/bin/python bench/run_all.py --table      # only print the table of the last results

Steps: the 300k PostgreSQL data set (generated once, reused while it matches), the import rate
on SQLite (and PostgreSQL), list and search times, export memory, the quality report, the
admissions report, HTTP load on the list page (`wrk`). Each runs as its own process; results
land in bench/out/results-*.json.
"""

import argparse
import os
import subprocess
import sys

import benchlib
import generate
import http_load
import list_search

STEPS = {
    "import": ["import_members.py", "--postgres"],
    "list": ["list_search.py"],
    "export": ["export_memory.py"],
    "quality": ["quality_report.py"],
    "admissions": ["admissions_report.py"],
    "http": ["http_load.py"],
}


def run(step: str, extra: list[str]) -> None:
    command = [sys.executable, str(benchlib.BENCH / STEPS[step][0]), *STEPS[step][1:], *extra]
    print(f"\n$ {' '.join(command[1:])}  (load average {_load()})", flush=True)
    subprocess.run(command, check=True)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def summary() -> str:
    rows = []
    imported = benchlib.load_results("import")
    for case in imported["cases"] if imported else []:
        rows.append(
            [
                "import",
                f"{case['backend']}, {case['file']}",
                f"{case['rows_per_s']:,.0f} rows/s ({case['seconds']:.1f} s, "
                f"peak RSS {case['peak_rss_mb']:.0f} MB)",
                "≥ 2,000 rows/s" if case["backend"] == "sqlite" else "(no target)",
                _verdict(case["rows_per_s"] >= 2000) if case["backend"] == "sqlite" else "",
            ]
        )
    listed = benchlib.load_results("list_search")
    if listed:
        target = listed["target_p95_ms"]
        for row in listed["rows"]:
            for mode in ("in_process", "http"):
                measured = row[mode]
                if not measured:
                    continue
                rows.append(
                    [
                        "list" if mode == "in_process" else "list HTTP",
                        f"{row['officer'].removeprefix('bench_')}: {row['scenario']}",
                        f"p50 {measured['p50']:.0f} / p95 {measured['p95']:.0f} / "
                        f"max {measured['max']:.0f} ms ({row['matched']:,} found)",
                        f"p95 < {target} ms",
                        _verdict(measured["p95"] < target),
                    ]
                )
    exported = benchlib.load_results("export")
    for case in exported["cases"] if exported else []:
        rows.append(
            [
                "export",
                f"{case['format']}, {case['rows']:,} rows, {case['bytes'] / 2**20:.0f} MiB",
                f"peak RSS {case['wait4_peak_rss_mb']:.0f} MB ({case['seconds']:.0f} s)",
                f"< {exported['target_mb']} MB",
                _verdict(case["wait4_peak_rss_mb"] < exported["target_mb"]),
            ]
        )
    quality = benchlib.load_results("quality_report")
    for row in quality["rows"] if quality else []:
        rows.append(
            [
                f"quality {row['variant']}",
                f"{row['case']}, {quality['year']}",
                f"p50 {row['p50']:.0f} / p95 {row['p95']:.0f} / max {row['max']:.0f} ms "
                f"({row['queries']} queries)",
                f"p95 < {quality['target_ms']} ms",
                _verdict(row["p95"] < quality["target_ms"]),
            ]
        )
    admissions = benchlib.load_results("admissions_report")
    for row in admissions["rows"] if admissions else []:
        rows.append(
            [
                f"admissions {row['period']}",
                f"{row['case']}, {row['period_label']}",
                f"p50 {row['p50']:.0f} / p95 {row['p95']:.0f} / max {row['max']:.0f} ms "
                f"({row['queries']} queries)",
                f"p95 < {admissions['target_ms']} ms",
                _verdict(row["p95"] < admissions["target_ms"]),
            ]
        )
    load = benchlib.load_results("http_load")
    for workers, row in (load["runs"] if load else {}).items():
        rows.append(
            [
                "HTTP load",
                f"{load['path']}, {load['clients']} clients, {workers} gunicorn workers",
                f"{row['requests_per_s']:.1f} requests/s, p99 {row.get('p99', 0):.0f} ms, "
                f"{row['socket_errors'] + row['non_2xx']} errors",
                f"≥ {http_load.TARGET_RPS} requests/s, 0 errors",
                _verdict(
                    row["requests_per_s"] >= http_load.TARGET_RPS
                    and not row["socket_errors"] + row["non_2xx"]
                ),
            ]
        )
    done = imported or listed or exported or quality or admissions or load or {}
    machine = done.get("machine", benchlib.machine())
    header = f"Results on {machine}; {list_search.MEMBERS:,} members on PostgreSQL"
    return header + "\n" + benchlib.table(["what", "case", "measured", "target", ""], rows)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--table", action="store_true", help="print the last results only")
    parser.add_argument("--only", choices=sorted(STEPS), action="append")
    parser.add_argument("--requests", type=int, default=50, help="requests per list scenario")
    args = parser.parse_args()
    if not args.table:
        print(f"benchmarks on {benchlib.machine()}; load average {_load()}")
        generate.ensure_postgres(list_search.MEMBERS)
        for step in args.only or list(STEPS):
            run(step, ["--requests", str(args.requests)] if step == "list" else [])
        print(f"\nload average at the end {_load()}")
    print()
    print(summary())


if __name__ == "__main__":
    main()
