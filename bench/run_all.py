"""Run every benchmark of the member records on one data set and print one table of results.

    .venv/bin/python bench/run_all.py                       # 300k: about 15 minutes, 2 cores
    .venv/bin/python bench/run_all.py --scale 6m            # 6 million members, 34 provinces
    .venv/bin/python bench/run_all.py --table               # the table of the last results only
    .venv/bin/python bench/run_all.py --table --markdown    # the same for docs/performance.md

Steps, each its own process given --scale: the import rate on SQLite and PostgreSQL (10,000 and
100,000 members; it does not depend on the data set) and the peak memory of a 200,000-row
import, list and search times, export time and memory, the structure, quality, admissions,
inspection and dues reports, HTTP load on the list page (`wrk`), and
the DuckDB comparison when bench/duckdb_compare.py and DuckDB are there. The data set is
generated first unless its database already holds it. Results land in
bench/out/results-<step>-<scale>.json; a step that fails is reported and the others still run.
The table starts with one row a target (its verdict and the case furthest from it), then every
case.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable

import benchlib
import generate

STEPS = {
    "import": ["import_members.py", "--postgres"],
    "import-memory": ["import_memory.py", "--postgres", "--only", "import"],
    "list": ["list_search.py"],
    "export": ["export_memory.py"],
    "structure": ["structure_report.py"],
    "quality": ["quality_report.py"],
    "admissions": ["admissions_report.py"],
    "inspection": ["inspection_report.py"],
    "dues": ["dues_report.py"],
    "http": ["http_load.py"],
    "report-pages": ["report_pages.py"],
    "startup": ["command_startup.py"],
}
if (benchlib.BENCH / "duckdb_compare.py").exists():
    STEPS["duckdb"] = ["duckdb_compare.py"]
# The results file each step writes (results-<name>-<scale>.json).
RESULTS = {
    "import": "import",
    "import-memory": "import-memory",
    "list": "list_search",
    "export": "export",
    "structure": "structure_report",
    "quality": "quality_report",
    "admissions": "admissions_report",
    "inspection": "inspection_report",
    "dues": "dues_report",
    "http": "http_load",
    "report-pages": "report-pages",
    "startup": "startup",
    "duckdb": "duckdb",
}
HEADERS = [
    "operation",
    "case",
    "p50 ms",
    "p95 ms",
    "max ms",
    "throughput",
    "peak MB",
    "target",
    "verdict",
]


def step_command(step: str, args) -> list[str]:
    """The command of one step with --scale and the options run_all passes on."""
    script, *options = STEPS[step]
    command = [sys.executable, str(benchlib.BENCH / script), *options, "--scale", args.scale]
    if step == "list" and args.requests:
        command += ["--requests", str(args.requests)]
    if (
        step in ("structure", "quality", "admissions", "inspection", "dues", "duckdb", "startup")
        and args.runs
    ):
        command += ["--runs", str(args.runs)]
    if step in ("http", "report-pages") and args.seconds:
        command += ["--seconds", str(args.seconds)]
    return command


def run(step: str, args) -> bool:
    """Run one step; False when it failed or could not run."""
    if step == "duckdb" and importlib.util.find_spec("duckdb") is None:
        print("\nduckdb: skipped, DuckDB is not installed (pip install -e '.[bench]')")
        return True
    command = step_command(step, args)
    print(f"\n$ {' '.join(command[1:])}  (load average {_load()})", flush=True)
    returncode = subprocess.run(command).returncode
    if returncode:
        print(f"{step}: FAILED with exit status {returncode}", flush=True)
    return returncode == 0


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# ------------------------------------------------------------------------------------- rows


class Row(list):
    """A row of the table (HEADERS), with what the targets' table needs: the target it belongs
    to (`family`: what is measured, with the row's target), the figure judged, and how far it is
    from its target (`ratio`: measured / allowed, over 1 when missed)."""

    def __init__(self, cells: list, family: str = "", figure: str = "", ratio=None):
        super().__init__(cells)
        self.family, self.figure, self.ratio = family, figure, ratio


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _per_s(value: float | None, unit: str) -> str:
    return f"{value:,.0f} {unit}/s" if value and value >= 100 else f"{value or 0:,.1f} {unit}/s"


def _latency(operation: str, case: str, timing: dict, peak, target_ms, family: str = "") -> Row:
    """A row of a latency case: throughput 1000/p50 per client, verdict on p95."""
    cells = [
        operation,
        case,
        timing["p50"],
        timing["p95"],
        timing["max"],
        _per_s(1000 / timing["p50"] if timing["p50"] else None, "req"),
        peak,
        f"p95 < {target_ms:,} ms" if target_ms else "",
        _verdict(timing["p95"] < target_ms) if target_ms else "",
    ]
    ratio = timing["p95"] / target_ms if target_ms else None
    return Row(cells, family or operation, f"p95 {timing['p95']:,.1f} ms", ratio)


def import_rows(results: dict) -> list[list]:
    rows = []
    for case in results["cases"]:
        default = 2000 if case["backend"] == "sqlite" else None
        target = case.get("target_rows_per_s", default)
        rows.append(
            Row(
                [
                    "import",
                    f"{case['backend']}, {case['file']} ({case['rows']:,} rows, "
                    f"{case['seconds']:.1f} s)",
                    None,
                    None,
                    None,
                    _per_s(case["rows_per_s"], "rows"),
                    case["peak_rss_mb"],
                    f"≥ {target:,} rows/s" if target else "",
                    _verdict(case["rows_per_s"] >= target) if target else "",
                ],
                f"import on {case['backend']}",
                _per_s(case["rows_per_s"], "rows"),
                target / case["rows_per_s"] if target and case["rows_per_s"] else None,
            )
        )
    return rows


def import_memory_rows(results: dict) -> list[list]:
    """The peak memory of the 200,000-row import (the hostile files are in their own JSON)."""
    rows = []
    for case in results.get("imports", []):
        target = case.get("target_mb", results["target_mb"])
        rows.append(
            Row(
                [
                    "import memory",
                    f"{case['backend']}, {case['file']} ({case['rows']:,} rows, "
                    f"{case['seconds']:.1f} s)",
                    None,
                    None,
                    None,
                    _per_s(case["rows"] / case["seconds"], "rows"),
                    case["peak_rss_mb"],
                    f"< {target} MB",
                    _verdict(case["peak_rss_mb"] < target),
                ],
                "import memory",
                f"{case['peak_rss_mb']:,.1f} MB",
                case["peak_rss_mb"] / target,
            )
        )
    return rows


def list_rows(results: dict) -> list[list]:
    rows = []
    for row in results["rows"]:
        target = row.get("target_p95_ms", results.get("target_p95_ms"))
        officer = row["officer"].removeprefix("bench_")
        case = f"{officer}: {row['scenario']} ({row['matched']:,} found)"
        if row.get("in_process"):
            peak = results.get("peak_rss_mb")
            rows.append(_latency("list", case, row["in_process"], peak, target, "list pages"))
        if row.get("http"):  # served by gunicorn: its memory is not measured
            rows.append(_latency("list HTTP", case, row["http"], None, target, "list pages"))
    return rows


def export_rows(results: dict) -> list[list]:
    rows = []
    target_mb, target_s = results["target_mb"], results.get("target_s")
    scope = " ".join(str(results[k]) for k in ("user", "organisation") if results.get(k))
    for case in results["cases"]:
        peak = case.get("vm_hwm_mb", case["wait4_peak_rss_mb"])
        ok = peak < target_mb and (target_s is None or case["seconds"] < target_s)
        ratio = max(peak / target_mb, case["seconds"] / target_s if target_s else 0)
        rows.append(
            Row(
                [
                    "export",
                    f"{case['format']}, {case['rows']:,} rows, {case['bytes'] / 2**20:.0f} MiB, "
                    f"{case['seconds']:.1f} s" + (f" ({scope})" if scope else ""),
                    None,
                    None,
                    None,
                    _per_s(case["rows"] / case["seconds"], "rows"),
                    peak,
                    (f"< {target_s} s, " if target_s else "") + f"< {target_mb} MB",
                    _verdict(ok),
                ],
                f"export {case['format']}",
                f"{case['seconds']:.1f} s, {peak:,.0f} MB",
                ratio,
            )
        )
    return rows


def report_rows(
    operation: Callable[[dict], str], case: Callable[[dict, dict], str], family: str = "reports"
):
    """Rows of a report benchmark (structure, quality, admissions): one per case and variant."""

    def rows(results: dict) -> list[list]:
        return [
            _latency(
                operation(row),
                case(row, results),
                row,
                results.get("peak_rss_mb"),
                row.get("target_ms", results.get("target_ms")),
                family,
            )
            for row in results["rows"]
        ]

    return rows


def http_rows(results: dict) -> list[list]:
    rows = []
    for workers, run in results["runs"].items():
        target = run.get("target_rps", 200)  # the one target before issue 18
        errors = run["socket_errors"] + run["non_2xx"]
        cached = run.get("cached", "without" not in workers)
        rows.append(
            Row(
                [
                    "HTTP load",
                    f"{results['path']}, {results['clients']} clients, {workers} "
                    f"(p99 {run.get('p99', 0):,.0f} ms, {errors} errors)",
                    run.get("p50"),
                    None,
                    run.get("max"),
                    _per_s(run["requests_per_s"], "req"),
                    None,
                    f"≥ {target} req/s, 0 errors",
                    _verdict(run["requests_per_s"] >= target and not errors),
                ],
                f"list page under load, {'cached' if cached else 'uncached'}, {workers}",
                _per_s(run["requests_per_s"], "req"),
                (target / run["requests_per_s"] if run["requests_per_s"] else 99) + errors,
            )
        )
    return rows


def report_page_rows(results: dict) -> list[list]:
    """The report pages over HTTP: sequential p95 of each, then its requests/s under wrk."""
    rows = []
    target_ms, target_rps = results["target_p95_ms"], results["target_rps"]
    for name, page in results["pages"].items():
        size = f"{page['bytes'] / 1024:,.0f} KB, first request {page['first_ms']:,.0f} ms"
        case = f"{name} {page['path']} ({size})"
        rows.append(_latency("report page", case, page, None, target_ms, "report pages"))
        load = page.get("load")
        if not load:
            continue
        errors = load["socket_errors"] + load["non_2xx"]
        rows.append(
            Row(
                [
                    "report page load",
                    f"{name}, {results['clients']} clients, {results['workers']} workers "
                    f"(p99 {load.get('p99') or 0:,.0f} ms, {errors} errors)",
                    load.get("p50"),
                    None,
                    load.get("max"),
                    _per_s(load["requests_per_s"], "req"),
                    None,
                    f"≥ {target_rps} req/s, 0 errors",
                    _verdict(load["requests_per_s"] >= target_rps and not errors),
                ],
                "report pages under load",
                _per_s(load["requests_per_s"], "req"),
                (target_rps / load["requests_per_s"] if load["requests_per_s"] else 99) + errors,
            )
        )
    return rows


def duckdb_rows(results: dict) -> list[list]:
    """DuckDB's times beside PostgreSQL's (a lower bound, no target), read leniently: the
    script is newer than this table."""
    rows = []
    for case in results.get("cases") or results.get("rows") or []:
        duck = case.get("duckdb") or {}
        pg = case.get("postgresql") or case.get("pg") or {}
        ratio = case.get("ratio_p50") or case.get("ratio")
        if ratio is None and pg.get("p50") and duck.get("p50"):
            ratio = pg["p50"] / duck["p50"]
        members = f", {case['members']:,} members" if case.get("members") else ""
        compared = f"; PostgreSQL p50 {pg['p50']:,.1f} ms" if pg.get("p50") is not None else ""
        compared += f", ×{ratio:.1f}" if ratio else ""
        rows.append(
            [
                f"DuckDB {case.get('report', '')}".strip(),
                f"{case.get('scope', case.get('case', '?'))}{members}{compared}",
                duck.get("p50"),
                duck.get("p95"),
                duck.get("max"),
                _per_s(1000 / duck["p50"], "req") if duck.get("p50") else "",
                results.get("peak_rss_mb"),
                "(lower bound)",
                "",
            ]
        )
    return rows


BUILDERS = {
    "import": import_rows,
    "import-memory": import_memory_rows,
    "list": list_rows,
    "export": export_rows,
    "structure": report_rows(lambda row: "structure", lambda row, _r: f"{row['case']}, today"),
    "quality": report_rows(
        lambda row: f"quality {row['variant']}", lambda row, r: f"{row['case']}, {r['year']}"
    ),
    "admissions": report_rows(
        lambda row: f"admissions {row['period']}",
        lambda row, _r: f"{row['case']}, {row['period_label']}",
    ),
    "inspection": report_rows(
        lambda row: "inspection", lambda row, r: f"{row['case']}, {r['year']}"
    ),
    "dues": report_rows(
        lambda row: f"dues {row['period']}",
        lambda row, r: f"{row['case']}, {r['year']}" + (", 12" if row["period"] == "month" else ""),
    ),
    "http": http_rows,
    "report-pages": report_page_rows,
    "startup": report_rows(lambda row: "command", lambda row, _r: row["case"], "command start-up"),
    "duckdb": duckdb_rows,
}


# ------------------------------------------------------------------------------------ table


def collect(scale: benchlib.Scale) -> tuple[dict[str, dict], list[list], list[str]]:
    """The results of every step, the table's rows and notes on missing or unreadable ones."""
    found, rows, notes = {}, [], []
    for step, name in RESULTS.items():
        results = benchlib.load_results(name, scale)
        if results is None:
            if step in STEPS:
                notes.append(f"no results of {step} at {scale.name}")
            continue
        found[step] = results
        try:
            rows.extend(BUILDERS[step](results))
        except (KeyError, TypeError, ValueError, ZeroDivisionError, AttributeError) as error:
            notes.append(f"results-{name}-{scale.name}.json not understood: {error!r}")
    return found, rows, notes


def header(scale: benchlib.Scale, found: dict[str, dict]) -> str:
    """The data set, the machine and the commit(s) measured, from the results."""
    members = next((r["members"] for r in found.values() if r.get("members")), scale.members)
    orgs = next((r["organisations"] for r in found.values() if r.get("organisations")), None)
    machine = next((r["machine"] for r in found.values() if r.get("machine")), None)
    commits: dict[str, list[str]] = {}
    for step, results in found.items():
        commits.setdefault(results.get("commit", "?"), []).append(step)
    measured = (
        f"commit {next(iter(commits))}"
        if len(commits) == 1
        else "commits " + "; ".join(f"{c} ({', '.join(s)})" for c, s in commits.items())
    )
    data = f"{members:,} members, {scale.provinces} province(s)"
    data += f", {orgs:,} organisations" if orgs else ""
    parts = [f"Data set {scale.name}: {data} on PostgreSQL", machine or benchlib.machine()]
    return "; ".join([*parts, measured if commits else "no results yet"])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def markdown(headers: list[str], rows: list[list], figures: tuple[int, ...]) -> str:
    """A table in Markdown, the columns of figures right-aligned."""
    numeric = [i in figures for i in range(len(headers))]
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_text(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


TARGET_HEADERS = ["target", "cases", "missed", "furthest from its target", "verdict"]


def targets(rows: list[Row]) -> list[list]:
    """One row a target: what is measured and its target, the cases held to it, how many
    missed it, the case furthest from it (the worst) and the verdict."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.ratio is not None and row[7]:
            groups.setdefault((row.family, row[7]), []).append(row)
    lines = []
    for (family, target), members in groups.items():
        missed = sum(row[8] != "ok" for row in members)
        worst = max(members, key=lambda row: row.ratio)
        lines.append(
            [
                f"{family}: {target}",
                len(members),
                missed,
                f"{worst[0]} {worst[1]}: {worst.figure}",
                _verdict(not missed),
            ]
        )
    return lines


def summary(scale: benchlib.Scale, as_markdown: bool = False) -> str:
    found, rows, notes = collect(scale)
    verdicts = targets(rows)
    if as_markdown:
        body = markdown(HEADERS, rows, (2, 3, 4, 5, 6))
        notes = [f"*{note}*" for note in notes]
        parts = [header(scale, found), markdown(TARGET_HEADERS, verdicts, (1, 2)), body]
        return "\n\n".join([*parts, *(["  \n".join(notes)] if notes else [])])
    width = max((len(row[5]) for row in rows), default=0)  # throughput, right-aligned
    plain = [
        [
            ("" if cell is None else cell.rjust(width) if i == 5 else cell)
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    return "\n".join(
        [
            header(scale, found),
            "",
            "Targets:",
            benchlib.table(TARGET_HEADERS, verdicts),
            "",
            "Every case:",
            benchlib.table(HEADERS, plain),
            *notes,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--table", action="store_true", help="print the last results only")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument("--only", choices=list(STEPS), action="append", help="these steps only")
    parser.add_argument("--requests", type=int, help="list_search.py --requests")
    parser.add_argument("--runs", type=int, help="--runs of the report steps and duckdb")
    parser.add_argument("--seconds", type=int, help="http_load.py --seconds")
    args = parser.parse_args()
    scale = benchlib.scale_of(args)
    failed = []
    if not args.table:
        print(f"benchmarks at {scale.name} on {benchlib.machine()}; load average {_load()}")
        generate.ensure_scale(scale)
        failed = [step for step in args.only or list(STEPS) if not run(step, args)]
        print(f"\nload average at the end {_load()}")
    print()
    print(summary(scale, args.markdown))
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
