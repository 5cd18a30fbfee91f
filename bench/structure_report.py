"""Time of the structure report (`reports.structure.structure_report`, today) on PostgreSQL
(targets, p95: a base organisation 50 ms, a province 300 ms, the whole country 1 s).

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

import benchlib
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
    args, scale = benchlib.report_benchmark(__doc__.split("\n")[0])
    from dangvien.core.scope import unscoped

    benchlib.announce("structure report", scale, "today")
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
        benchlib.write_explains("structure_report", [explain(case) for case in slow])
    benchlib.save_report_results(
        "structure_report",
        args,
        scale,
        rows,
        organisations=organisations,
        targets_ms=TARGETS_MS,
    )


if __name__ == "__main__":
    main()
