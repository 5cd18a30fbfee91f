"""Time of the dues report (`dues.report.dues_report`: due and collected by unit, the art. 8
flags by unit) on PostgreSQL, for the largest branch, base organisation, upper-level committee,
province and, with several provinces, the whole country (targets as for the quality report,
issue 14: p95 of a base organisation 50 ms, a province 300 ms, the country 1 s).

The data set of generate.py has no dues; this script adds them once, by the database (INSERT …
SELECT, deterministic draws of generate._roll): every member admitted before the year gets a
basis from January of the year (9 in 10 on a BHXH salary of 4.7 to 25 million đồng, the others
pensioners), and a payment for each month of the year in which they were in the Party, but
about 2% of member-months left unpaid (so that some members reach three unpaid months).
Those rows are written behind the services' back, so the report's stored summary of the year
(dues/tally.py: per branch and month, and the months owed) is then built once, timed
(`--rebuild` builds it again on a set that has it).

    dues_report.py                       # the 300k set (made by generate.py when missing)
    dues_report.py --scale 6m            # the whole Party, 34 provinces
    dues_report.py --database-url postgres://postgres@127.0.0.1:5432/dv_bench_small \\
        --members 3000 --runs 5          # a small set of its own, to try the script
"""

import argparse
import time

import benchlib
import generate
import quality_report

TARGETS_MS = quality_report.TARGETS_MS
YEAR = quality_report.YEAR
SEED = generate.DEFAULT_SEED
UNPAID_PER_10000 = 200  # member-months left unpaid


def ensure_dues() -> tuple[int, int]:
    """The bases and the payments of YEAR, added when the year has none."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from dangvien.dues.models import DuesBasis

    call_command("migrate", verbosity=0)
    if DuesBasis.unscoped.filter(from_month__year=YEAR).exists():
        return 0, 0
    key = "m.id"
    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are drawn from the members and their bases (valid by construction): the
        # foreign keys' triggers, one lookup a row (over 30 minutes for 64 million payments),
        # are left out for this transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "INSERT INTO dues_duesbasis (member_id, from_month, category, base_amount, "
            "approval_number, approval_body, note, annul_reason, created_at, updated_at) "
            f"SELECT m.id, make_date({YEAR}, 1, 1), "
            f"CASE WHEN {generate._roll(SEED, 71, key)} < 9000 THEN 'luong_bhxh' "
            "ELSE 'huu_tri' END, "
            f"4700000 + ({generate._roll(SEED, 72, key)})::bigint * 2030, "
            "'', '', '', '', now(), now() "
            f"FROM members_member m WHERE m.admitted_on < make_date({YEAR}, 1, 1)",
            [],  # so that the draws' "%%" reach PostgreSQL as "%"
        )
        bases = cursor.rowcount
        # A payment a member and month (64 million rows at 6m): written without the table's
        # nine indexes, which are then built once each (several times faster than keeping them).
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'dues_duespayment' "
            "AND indexname <> 'dues_duespayment_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        month_key = "m.id * 100 + extract(month from d)::int"
        cursor.execute(
            "INSERT INTO dues_duespayment (member_id, month, branch_id, branch_path, amount, "
            "channel, reference, paid_on, version, annul_reason, created_at, updated_at) "
            "SELECT m.id, d::date, m.branch_id, m.branch_path, "
            "CASE WHEN b.category = 'huu_tri' THEN (b.base_amount * 50 + 5000) / 10000 "
            "ELSE (b.base_amount * 100 + 5000) / 10000 END, "
            "'tien_mat', '', d::date + 9, 1, '', now(), now() "
            "FROM members_member m JOIN dues_duesbasis b ON b.member_id = m.id "
            f"CROSS JOIN generate_series(make_date({YEAR}, 1, 1), make_date({YEAR}, 12, 1), "
            "interval '1 month') AS d "
            "WHERE (m.left_on IS NULL OR m.left_on > d::date) "
            f"AND {generate._roll(SEED, 73, month_key)} >= {UNPAID_PER_10000}",
            [],
        )
        payments = cursor.rowcount
        # The indexes are built again after the measurements (the report reads none of them),
        # by restore_indexes.
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dropped_index "
            "(name text PRIMARY KEY, definition text)"
        )
        for name, definition in indexes:
            cursor.execute(
                "INSERT INTO bench_dropped_index VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [name, definition],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dues_duesbasis")
        cursor.execute("ANALYZE dues_duespayment")
    return bases, payments


def restore_indexes() -> float:
    """Build again the payment indexes ensure_dues dropped (recorded in bench_dropped_index)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_dropped_index') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0.0
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SELECT name, definition FROM bench_dropped_index ORDER BY name")
        for name, definition in cursor.fetchall():
            cursor.execute(
                definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1).replace(
                    "CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX IF NOT EXISTS", 1
                )
            )
            cursor.execute("DELETE FROM bench_dropped_index WHERE name = %s", [name])
        cursor.execute("ANALYZE dues_duespayment")
    return time.perf_counter() - started


def ensure_summary(rebuild: bool) -> float | None:
    """Build the year's summary when missing (or asked to); the seconds it took."""
    from django.db import connection

    from dangvien.dues import tally

    if YEAR in tally.built_years() and not rebuild:
        return None
    started = time.perf_counter()
    tally.build_year(YEAR)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("dues_duesmonthtally", "dues_duesmonthmover", "dues_duesowedmonth"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return seconds


def measure(org, month: int | None, runs: int, warmup: int):
    from dangvien.dues.report import dues_report

    return benchlib.time_calls(lambda: dues_report(org, YEAR, month), runs, warmup)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    benchlib.add_scale_argument(parser)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--database-url", help="a database of its own, with --members")
    parser.add_argument("--members", type=int, help="the size of that small data set")
    parser.add_argument("--rebuild", action="store_true", help="build the summary again")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    scale = benchlib.scale_of(args)
    if args.database_url and args.members:
        url = benchlib.check_bench_url(args.database_url)
        scale = benchlib.Scale(f"{args.members}", args.members, 1, url)
    generate.ensure_scale(scale)
    benchlib.setup_django(scale.url)
    from dangvien.core.scope import unscoped

    with unscoped():
        started = time.perf_counter()
        bases, payments = ensure_dues()
        if bases:
            print(
                f"added {bases:,} bases and {payments:,} payments "
                f"({time.perf_counter() - started:.1f} s)"
            )
        build = ensure_summary(args.rebuild or bool(bases))
        if build is not None:
            print(f"built the {YEAR} summary in {build:.1f} s", flush=True)
    benchlib.announce("dues report", scale, str(YEAR))
    rows = []
    with unscoped():
        for case in quality_report.cases():
            target = TARGETS_MS[case.level]
            for month in (None, 12):
                timing, report, queries = measure(case.org, month, args.runs, args.warmup)
                missed = timing["p95"] >= target
                print(
                    f"{case.label:<46} {'year' if month is None else 'month':<5} "
                    f"due {report.total.due:>15,} collected {report.total.collected:>15,} "
                    f"flagged {report.total.flagged:>6,} {queries:>3} queries  "
                    f"p50 {timing['p50']:8.1f}  p95 {timing['p95']:8.1f} ms (target {target})"
                    + ("  MISSED" if missed else ""),
                    flush=True,
                )
                rows.append(
                    {
                        "case": case.label,
                        "level": case.level,
                        "period": "year" if month is None else "month",
                        "due": report.total.due,
                        "collected": report.total.collected,
                        "flagged": report.total.flagged,
                        "queries": queries,
                        "target_ms": target,
                        **timing,
                    }
                )
    with unscoped():
        print(f"payment indexes built again in {restore_indexes():.1f} s", flush=True)
    benchlib.save_report_results(
        "dues_report", args, scale, rows, year=YEAR, targets_ms=TARGETS_MS, summary_build_s=build
    )


if __name__ == "__main__":
    main()
