"""Time of the quality report (`reports.quality.quality_report`) with 300,000 members and five
years of grades on PostgreSQL (target: under 300 ms for the whole province).

Four organisations of growing size: the largest branch, the largest base organisation, the
largest upper-level committee and the province, for the last graded year (members counted at
its end from the placements, as the report does for a past year). Two variants of each:

- `json`: what `dangvien report quality` prints (formats.md): the year's grades, the base
  organisations' grades and the direct children (`details=False`);
- `page`: what the web page and the PDF show besides: the four years before, the members not
  graded by reason and the first 500 of them by name.

Each is built --runs times (default 30, after 3 warm-up runs, one at a time, in this process)
and reported as p50/p95/max in ms, with the number of SQL statements. Cases that miss the
target (or all, with --explain) get their SQL with times and EXPLAIN (ANALYZE, BUFFERS) in
bench/out/quality_report-explain.txt.
"""

import argparse
import os

import benchlib
import generate

TARGET_MS = 300
MEMBERS = 300_000
YEAR = generate.GRADED_YEARS.stop - 1


def cases() -> list[tuple[str, object]]:
    """(label, organisation): the largest of each level by members."""
    from dangvien.organizations.models import Organization

    orgs = list(Organization.unscoped.only("id", "code", "name", "kind", "path"))
    sizes = benchlib.subtree_sizes(orgs)

    def largest(kinds: tuple[str, ...]):
        return max((o for o in orgs if o.kind in kinds), key=lambda o: sizes[o.pk])

    chosen = [
        ("branch", largest(("chi_bo_truc_thuoc", "chi_bo_co_so"))),
        ("base organisation", largest(("dang_bo_co_so",))),
        ("upper committee", largest(("dang_bo_cap_tren_co_so",))),
        ("province", largest(("dang_bo_tinh",))),
    ]
    return [(f"{label} {org.code} ({sizes[org.pk]:,} members)", org) for label, org in chosen]


VARIANTS = {"json": {"details": False}, "page": {"details": True}}


def measure(org, variant: str, runs: int, warmup: int) -> tuple[dict, object, int]:
    from dangvien.reports.quality import quality_report

    return benchlib.time_calls(lambda: quality_report(org, YEAR, **VARIANTS[variant]), runs, warmup)


def explain(org) -> str:
    """The statements of one report with their times and EXPLAIN ANALYZE of those over 5 ms."""
    from dangvien.reports.quality import quality_report

    return benchlib.explain_calls(
        lambda: quality_report(org, YEAR), lambda _report: f"{org.code} {org.name}, {YEAR}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN every case")
    args = parser.parse_args()
    generate.ensure_postgres(MEMBERS)
    benchlib.setup_django(benchlib.PG_URL)
    from dangvien.core.scope import unscoped

    print(f"quality report benchmark on {benchlib.machine()}, {MEMBERS:,} members, {YEAR}")
    print(f"load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}", flush=True)
    rows, slow = [], []
    with unscoped():
        for label, org in cases():
            for variant in VARIANTS:
                timing, report, queries = measure(org, variant, args.runs, args.warmup)
                missed = timing["p95"] >= TARGET_MS
                print(
                    f"{variant:<4} {label:<46} {report.assessed:>8,} graded  {queries:>2} "
                    f"queries  p50 {timing['p50']:6.1f}  p95 {timing['p95']:6.1f}  "
                    f"max {timing['max']:6.1f} ms" + ("  MISSED" if missed else ""),
                    flush=True,
                )
                rows.append(
                    {
                        "case": label,
                        "variant": variant,
                        "members": report.members,
                        "assessed": report.assessed,
                        "queries": queries,
                        **timing,
                    }
                )
                if (missed or args.explain) and org not in slow:
                    slow.append(org)
        if slow:
            path = benchlib.OUT / "quality_report-explain.txt"
            path.write_text("\n".join(explain(org) for org in slow))
            print(f"SQL and EXPLAIN ANALYZE of {len(slow)} case(s): {path}")
    benchlib.save_results(
        "quality_report",
        {
            "machine": benchlib.machine(),
            "members": MEMBERS,
            "year": YEAR,
            "target_ms": TARGET_MS,
            "load_average": os.getloadavg()[0],
            "runs": args.runs,
            "rows": rows,
        },
    )


if __name__ == "__main__":
    main()
