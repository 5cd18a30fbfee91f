"""Time of the structure report (`reports.structure.structure_report`, today) on PostgreSQL
(targets, p95: a base organisation 50 ms, a province 300 ms, the whole country 3 s).

The same organisations as quality_report.py: the largest branch, base organisation, upper-level
committee and province, and the whole country when the data set (--scale) has more than one
province. A branch is held to the base organisation's target and an upper-level committee to the
province's. The report of today counts the members from their current branch path and status
(no placements): the totals, the six breakdowns, the organisations below and the direct
children.

Each is built --runs times (default 30, after 3 warm-up runs, one at a time, in this process)
and reported as p50/p95/max in ms, with the number of SQL statements. Cases that miss their
target (or all, with --explain) get their SQL with times and EXPLAIN (ANALYZE, BUFFERS) in
bench/out/structure_report-explain.txt.
"""

import argparse
import os

import benchlib
import generate
import quality_report
from quality_report import TARGETS_MS, Case


def measure(case: Case, runs: int, warmup: int) -> tuple[dict, object, int]:
    from dangvien.reports.structure import structure_report

    return benchlib.time_calls(lambda: structure_report(case.org), runs, warmup)


def explain(case: Case) -> str:
    """The statements of one report with their times and EXPLAIN ANALYZE of those over 5 ms."""
    from dangvien.reports.structure import structure_report

    return benchlib.explain_calls(
        lambda: structure_report(case.org), lambda report: f"{case.label}, {report.as_of}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every case")
    args = parser.parse_args()
    scale = benchlib.scale_of(args)
    generate.ensure_scale(scale)
    benchlib.setup_django(scale.url)
    from dangvien.core.scope import unscoped

    print(
        f"structure report benchmark on {benchlib.machine()}, {scale.members:,} members "
        f"({scale.name}), today"
    )
    print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}", flush=True)
    rows, slow = [], []
    with unscoped():
        for case in quality_report.cases():
            target = TARGETS_MS[case.level]
            timing, report, queries = measure(case, args.runs, args.warmup)
            missed = timing["p95"] >= target
            print(
                f"{case.label:<46} {report.members:>9,} members  {len(report.children):>4} "
                f"children  {queries:>2} queries  p50 {timing['p50']:7.1f}  "
                f"p95 {timing['p95']:7.1f}  max {timing['max']:7.1f} ms (target {target})"
                + ("  MISSED" if missed else ""),
                flush=True,
            )
            rows.append(
                {
                    "case": case.label,
                    "level": case.level,
                    "as_of": report.as_of,
                    "members": report.members,
                    "official": report.official,
                    "children": len(report.children),
                    "queries": queries,
                    "target_ms": target,
                    **timing,
                }
            )
            if missed or args.explain:
                slow.append(case)
        organisations = quality_report.organisations()
        if slow:
            benchlib.OUT.mkdir(parents=True, exist_ok=True)
            path = benchlib.OUT / "structure_report-explain.txt"
            path.write_text("\n".join(explain(case) for case in slow))
            print(f"SQL and EXPLAIN ANALYZE of {len(slow)} case(s): {path}")
    benchlib.save_results(
        "structure_report",
        {
            "machine": benchlib.machine(),
            "members": scale.members,
            "organisations": organisations,
            "targets_ms": TARGETS_MS,
            "load_average": os.getloadavg()[0],
            "runs": args.runs,
            "rows": rows,
        },
        scale,
    )


if __name__ == "__main__":
    main()
