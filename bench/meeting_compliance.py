"""Time of the branch-life compliance page's figures (`meetings.compliance.compliance`) on
PostgreSQL (targets, p95, issue 15: a province 300 ms, the whole country 3 s; a branch and a
base organisation are held to 50 ms, an upper-level committee to its province's).

The data set of generate.py has no meetings; this script adds them once, by the database
(INSERT … SELECT, deterministic draws of generate._roll, skipped when the year already has
some), for the last graded year: each branch's twelve monthly meetings (about 2% of them never
held) and four thematic ones (about 5% never held), called and approved (about 1% of the minutes
left unapproved), each with the tallies its roll call keeps (members expected, about 93%
present); and the absences without a reason, about 2% of each member's months (so that a few
thousand members reach three months in the year: the Điều lệ Đảng Điều 8 flag); then the yearly
sums the services keep (meetings.tallies), which the compliance figures read. The rows of the
members present or excused are not generated: no figure of the compliance page reads them (a
roll call writes them, about 70 million a year for the whole Party).

The organisations are those of quality_report.py (the largest branch, base organisation,
upper-level committee, province, and the whole country). Each is computed as the page computes
it (the figures, and the first 100 branches that fell short in name order) --runs times (default
30, after 3 warm-up runs) and reported as p50/p95/max in ms with the number of SQL statements;
cases that miss their target (or all, with --explain) get their SQL and EXPLAIN (ANALYZE,
BUFFERS) in bench/out/meeting_compliance-explain.txt.
"""

import datetime
import time

import benchlib
import generate
import quality_report

TARGETS_MS = quality_report.TARGETS_MS
YEAR = quality_report.YEAR
AS_OF = datetime.date(YEAR + 1, 6, 30)
SEED = generate.DEFAULT_SEED
BRANCH_KINDS = "('chi_bo_co_so', 'chi_bo_truc_thuoc')"
# Per 10,000: meetings never held (monthly, thematic), minutes left unapproved, absent months.
REGULAR_SKIPPED, THEMATIC_SKIPPED, UNAPPROVED, ABSENT = 200, 500, 100, 200


def _meetings(cursor, year: int) -> int:
    """The year's members' meetings of every branch; returns how many."""
    added = 0
    for kind, months, day, salt, skipped in (
        ("dinh_ky", "generate_series(1, 12)", 10, 71, REGULAR_SKIPPED),
        ("chuyen_de", "generate_series(2, 11, 3)", 20, 73, THEMATIC_SKIPPED),
    ):
        key = "o.id * 100 + mo"
        cursor.execute(
            'INSERT INTO meetings_meeting (organization_id, org_path, body, kind, "on", place, '
            "online, topic, agenda, minutes, ideology, quality, held_at, minutes_approved_at, "
            "cancel_reason, annul_reason, expected_count, present_count, version, created_at, "
            "updated_at) "
            f"SELECT o.id, o.path, 'dang_vien', '{kind}', make_date({year}, mo, {day}), '', "
            "false, 'Sinh hoạt', '', 'Biên bản', '', '', "
            f"make_date({year}, mo, {day})::timestamptz, "
            f"CASE WHEN {generate._roll(SEED, salt + 1, key)} < {UNAPPROVED} THEN NULL "
            f"ELSE make_date({year}, mo, {day})::timestamptz END, '', '', "
            "coalesce(t.members, 0), coalesce(t.members, 0) * 93 / 100, 1, now(), now() "
            f"FROM organizations_organization o CROSS JOIN {months} AS mo "
            "LEFT JOIN (SELECT branch_id, count(*) AS members FROM members_member "
            "WHERE status IN ('official', 'probationary') GROUP BY branch_id) t "
            "ON t.branch_id = o.id "
            f"WHERE o.kind IN {BRANCH_KINDS} AND o.ended_on IS NULL "
            f"AND {generate._roll(SEED, salt, key)} >= {skipped}",
            [],
        )
        added += cursor.rowcount
    return added


def _absences(cursor, year: int) -> int:
    """About 2% of each member's months: absent without a reason from that month's meeting."""
    key = "m.id * 100 + mo"
    cursor.execute(
        'INSERT INTO meetings_attendance (meeting_id, member_id, org_path, "on", status, '
        "reason, hosted, by_member, recorded_at) "
        "SELECT mt.id, m.id, mt.org_path, mt.\"on\", 'vang_khong_ly_do', '', false, false, now() "
        "FROM members_member m CROSS JOIN generate_series(1, 12) AS mo "
        "JOIN meetings_meeting mt ON mt.organization_id = m.branch_id "
        f"AND mt.\"on\" = make_date({year}, mo, 10) AND mt.kind = 'dinh_ky' "
        "WHERE m.status IN ('official', 'probationary') "
        f"AND {generate._roll(SEED, 75, key)} < {ABSENT}",
        [],
    )
    return cursor.rowcount


def _sums(cursor, year: int) -> None:
    """The yearly sums the services keep (meetings.tallies), computed here in one statement
    each, as meetings.tallies.recount_meetings and recount_absences would (every absence of the
    data set is at the member's own branch's meeting)."""
    cursor.execute(
        "INSERT INTO meetings_meetingyear (organization_id, org_path, year, regular_months, "
        "thematic_quarters, regular_held, held, unapproved, expected, present) "
        "SELECT m.organization_id, o.path, %s, "
        'coalesce(bit_or(1 << extract(month FROM m."on")::int) '
        "FILTER (WHERE m.kind = 'dinh_ky'), 0), "
        'coalesce(bit_or(1 << extract(quarter FROM m."on")::int) '
        "FILTER (WHERE m.kind = 'chuyen_de'), 0), "
        "count(*) FILTER (WHERE m.kind = 'dinh_ky'), count(*), "
        "count(*) FILTER (WHERE m.minutes_approved_at IS NULL), "
        "sum(m.expected_count), sum(m.present_count) "
        "FROM meetings_meeting m JOIN organizations_organization o ON o.id = m.organization_id "
        "WHERE m.body = 'dang_vien' AND m.held_at IS NOT NULL AND m.cancelled_at IS NULL "
        'AND m.annulled_at IS NULL AND m."on" BETWEEN make_date(%s, 1, 1) '
        "AND make_date(%s, 12, 31) GROUP BY m.organization_id, o.path",
        [year, year, year],
    )
    cursor.execute(
        "INSERT INTO meetings_absenceyear (member_id, year, organization_id, org_path, months) "
        "SELECT a.member_id, %s, m.branch_id, m.branch_path, "
        'count(DISTINCT extract(month FROM a."on")) '
        "FROM meetings_attendance a JOIN members_member m ON m.id = a.member_id "
        "WHERE a.status = 'vang_khong_ly_do' "
        'AND a."on" BETWEEN make_date(%s, 1, 1) AND make_date(%s, 12, 31) '
        "GROUP BY a.member_id, m.branch_id, m.branch_path",
        [year, year, year],
    )


def ensure_meetings() -> tuple[int, int]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from dangvien.meetings.models import Meeting, MeetingYear

    call_command("migrate", verbosity=0)
    meetings = absences = 0
    if not Meeting.unscoped.filter(on__year=YEAR).exists():
        with transaction.atomic(), connection.cursor() as cursor:
            meetings = _meetings(cursor, YEAR)
            absences = _absences(cursor, YEAR)
    if not MeetingYear.objects.filter(year=YEAR).exists():
        with transaction.atomic(), connection.cursor() as cursor:
            _sums(cursor, YEAR)
        with connection.cursor() as cursor:
            for table in ("meeting", "attendance", "meetingyear", "absenceyear"):
                cursor.execute(f"VACUUM ANALYZE meetings_{table}")
    return meetings, absences


def _build(org):
    """What the compliance page computes: the figures and the first page of the branches that
    fell short (100, in name order)."""
    from dangvien.meetings.compliance import compliance

    def page():
        result = compliance(org, YEAR, AS_OF)
        result.first_page = result.rows[0:100]
        return result

    return page


def main() -> None:
    args, scale = benchlib.report_benchmark(__doc__.split("\n")[0])
    from dangvien.core.scope import unscoped

    with unscoped():
        started = time.perf_counter()
        meetings, absences = ensure_meetings()
        if meetings:
            print(
                f"added {meetings:,} meetings and {absences:,} absences without a reason "
                f"({time.perf_counter() - started:.1f} s)"
            )
    benchlib.announce("branch-life compliance", scale, str(YEAR))
    rows, slow = [], []
    with unscoped():
        for case in quality_report.cases():
            target = TARGETS_MS[case.level]
            timing, result, queries = benchlib.time_calls(_build(case.org), args.runs, args.warmup)
            missed = timing["p95"] >= target
            print(
                f"{case.label:<46} {result.branches:>7,} branches {len(result.rows):>6,} short "
                f"{len(result.flagged):>4,} flagged  {queries:>2} queries  "
                f"p50 {timing['p50']:7.1f}  p95 {timing['p95']:7.1f}  max {timing['max']:7.1f} "
                f"ms (target {target})" + ("  MISSED" if missed else ""),
                flush=True,
            )
            rows.append(
                {
                    "case": case.label,
                    "level": case.level,
                    "branches": result.branches,
                    "short": len(result.rows),
                    "flagged": len(result.flagged),
                    "meetings": result.meetings,
                    "queries": queries,
                    "target_ms": target,
                    **timing,
                }
            )
            if missed or args.explain:
                slow.append(case)
        organisations = quality_report.organisations()
        benchlib.write_explains(
            "meeting_compliance",
            [
                benchlib.explain_calls(_build(case.org), lambda _r, c=case: f"{c.label}, {YEAR}")
                for case in slow
            ],
        )
    benchlib.save_report_results(
        "meeting_compliance",
        args,
        scale,
        rows,
        organisations=organisations,
        year=YEAR,
        targets_ms=TARGETS_MS,
    )


if __name__ == "__main__":
    main()
