"""Time of the inspection report (`reports.inspection.inspection_report`) on PostgreSQL
(targets, p95: those of the quality report, issue 14: a base organisation 50 ms, a province
300 ms, the whole country 1 s).

The data set of generate.py has no inspections; this script adds them once, by the database
(INSERT … SELECT, deterministic draws of generate._roll, skipped when the year already has some),
in proportions like those a bloc reports (Đồng Tháp 2021: 40 organisations and 56 members
inspected, 45 and 33 supervised, in a bloc of about 7,000 members): for each year of
generate.GRADED_YEARS, about 0.8% of the members inspected and 0.5% supervised by the inspection
committee or the committee of their upper-level committee, about 10% of the base organisations
inspected and 8% supervised by it, a fifth of the inspected concluded with a violation, and
about 0.1% of the members disciplined (reprimand or warning).

The organisations are those of quality_report.py (the largest branch, base organisation,
upper-level committee, province, and the whole country), for the last graded year. Each is built
--runs times (default 30, after 3 warm-up runs) and reported as p50/p95/max in ms with the number
of SQL statements; cases that miss their target (or all, with --explain) get their SQL and EXPLAIN
(ANALYZE, BUFFERS) in bench/out/inspection_report-explain.txt.
"""

import time

import benchlib
import generate
import quality_report

TARGETS_MS = quality_report.TARGETS_MS
YEAR = quality_report.YEAR
SEED = generate.DEFAULT_SEED

# Per 10,000 rows of each year: members inspected, members supervised, base organisations
# inspected and supervised, members disciplined.
MEMBERS_INSPECTED, MEMBERS_SUPERVISED = 80, 50
BASES_INSPECTED, BASES_SUPERVISED = 1000, 800
DISCIPLINED = 10

FORMS = [
    "thuong_xuyen",
    "chuyen_de",
    "khi_co_dau_hieu_vi_pham",
    "chap_hanh",
    "thuc_hien_nhiem_vu_kiem_tra_giam_sat",
    "thi_hanh_ky_luat",
    "tai_chinh_dang",
]


def _upper_id(path: str) -> str:
    """SQL: the id of the upper-level committee (the second level) of a path."""
    return f"split_part({path}, '/', 3)::bigint"


def _upper_path(path: str) -> str:
    return f"'/' || split_part({path}, '/', 2) || '/' || split_part({path}, '/', 3) || '/'"


def _form(salt: int, key: str, supervision: bool) -> str:
    forms = FORMS[:2] if supervision else FORMS
    roll = generate._roll(SEED, salt, key)
    cases = " ".join(f"WHEN {roll} %% {len(forms)} = {i} THEN '{f}'" for i, f in enumerate(forms))
    return f"CASE {cases} END"


def _inspections(cursor, year: int) -> int:
    """The year's activities on members and on base organisations; returns how many."""
    added = 0
    for activity, salt, share in (
        ("kiem_tra", 41, MEMBERS_INSPECTED),
        ("giam_sat", 43, MEMBERS_SUPERVISED),
    ):
        key = f"m.id * 10000 + {year}"
        cursor.execute(
            "INSERT INTO inspections_inspection (body_id, body_path, conducted_by, activity, "
            "form, member_id, decision_number, decided_on, content, period, team, due_on, "
            "self_report, findings, conclusion, concluded_on, remedies, follow_up, "
            "annul_reason, created_at, updated_at) "
            f"SELECT {_upper_id('m.branch_path')}, {_upper_path('m.branch_path')}, "
            f"CASE WHEN '{activity}' = 'kiem_tra' THEN 'uy_ban_kiem_tra' ELSE 'cap_uy' END, "
            f"'{activity}', {_form(salt + 1, key, activity == 'giam_sat')}, m.id, "
            f"'B{year}{activity[0]}-' || m.id, "
            f"make_date({year}, 1 + {generate._roll(SEED, salt + 2, key)} %% 11, 5), "
            "'', '', '', make_date(%s, 12, 31), '', '', "
            f"CASE WHEN {generate._roll(SEED, salt + 3, key)} < 2000 THEN 'vi_pham' "
            "ELSE 'khong_vi_pham' END, make_date(%s, 12, 20), '', '', '', now(), now() "
            "FROM members_member m WHERE m.admitted_on < make_date(%s, 1, 1) "
            "AND (m.left_on IS NULL OR m.left_on > make_date(%s, 12, 31)) "
            f"AND {generate._roll(SEED, salt, key)} < {share}",
            [year, year, year, year],
        )
        added += cursor.rowcount
    for activity, salt, share in (
        ("kiem_tra", 51, BASES_INSPECTED),
        ("giam_sat", 53, BASES_SUPERVISED),
    ):
        key = f"o.id * 10000 + {year}"
        cursor.execute(
            "INSERT INTO inspections_inspection (body_id, body_path, conducted_by, activity, "
            "form, organization_id, decision_number, decided_on, content, period, team, "
            "due_on, self_report, findings, conclusion, concluded_on, remedies, follow_up, "
            "annul_reason, created_at, updated_at) "
            f"SELECT o.parent_id, p.path, 'cap_uy', '{activity}', "
            f"{_form(salt + 1, key, activity == 'giam_sat')}, o.id, "
            f"'B{year}{activity[0]}-O' || o.id, "
            f"make_date({year}, 1 + {generate._roll(SEED, salt + 2, key)} %% 11, 10), '', '', "
            "'', make_date(%s, 12, 31), '', '', "
            f"CASE WHEN {generate._roll(SEED, salt + 3, key)} < 1500 THEN 'vi_pham' "
            "ELSE 'khong_vi_pham' END, make_date(%s, 12, 20), '', '', '', now(), now() "
            "FROM organizations_organization o JOIN organizations_organization p "
            "ON p.id = o.parent_id WHERE o.kind IN ('dang_bo_co_so', 'chi_bo_co_so') "
            f"AND {generate._roll(SEED, salt, key)} < {share}",
            [year, year],
        )
        added += cursor.rowcount
    return added


def _disciplines(cursor, year: int) -> int:
    key = f"m.id * 10000 + {year}"
    cursor.execute(
        "INSERT INTO discipline_discipline (member_id, unit_id, subject_path, form, "
        "decision_number, decided_on, deciding_org_id, violation, complaint_until, "
        "annul_reason, created_at, updated_at) "
        "SELECT m.id, m.branch_id, m.branch_path, "
        f"CASE WHEN {generate._roll(SEED, 62, key)} < 6000 THEN 'khien_trach' ELSE 'canh_cao' END, "
        f"'K{year}-' || m.id, make_date({year}, 1 + {generate._roll(SEED, 63, key)} %% 11, 15), "
        f"{_upper_id('m.branch_path')}, '', make_date(%s, 12, 31), '', now(), now() "
        "FROM members_member m WHERE m.admitted_on < make_date(%s, 1, 1) "
        "AND (m.left_on IS NULL OR m.left_on > make_date(%s, 12, 31)) "
        f"AND {generate._roll(SEED, 61, key)} < {DISCIPLINED}",
        [year, year, year],
    )
    return cursor.rowcount


def ensure_inspections() -> tuple[int, int]:
    """The activities and decisions of every graded year, added where a year has none."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from dangvien.discipline.models import Discipline
    from dangvien.inspections.models import Inspection

    call_command("migrate", verbosity=0)
    activities = decisions = 0
    for year in generate.GRADED_YEARS:
        with transaction.atomic(), connection.cursor() as cursor:
            if not Inspection.unscoped.filter(decided_on__year=year).exists():
                activities += _inspections(cursor, year)
            if not Discipline.unscoped.filter(decided_on__year=year).exists():
                decisions += _disciplines(cursor, year)
    if activities or decisions:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inspections_inspection")
            cursor.execute("ANALYZE discipline_discipline")
    return activities, decisions


def measure(org, runs: int, warmup: int) -> tuple[dict, object, int]:
    from dangvien.reports.inspection import inspection_report

    return benchlib.time_calls(lambda: inspection_report(org, YEAR), runs, warmup)


def explain(case: quality_report.Case) -> str:
    from dangvien.reports.inspection import inspection_report

    return benchlib.explain_calls(
        lambda: inspection_report(case.org, YEAR), lambda _report: f"{case.label}, {YEAR}"
    )


def main() -> None:
    args, scale = benchlib.report_benchmark(__doc__.split("\n")[0])
    from dangvien.core.scope import unscoped

    with unscoped():
        started = time.perf_counter()
        activities, decisions = ensure_inspections()
        if activities or decisions:
            print(
                f"added {activities:,} inspections and supervisions and {decisions:,} "
                f"discipline decisions ({time.perf_counter() - started:.1f} s)"
            )
    benchlib.announce("inspection report", scale, str(YEAR))
    rows, slow = [], []
    with unscoped():
        for case in quality_report.cases():
            target = TARGETS_MS[case.level]
            timing, report, queries = measure(case.org, args.runs, args.warmup)
            missed = timing["p95"] >= target
            inspected = report.kiem_tra.subjects.total
            print(
                f"{case.label:<46} {inspected:>7,} inspected {report.disciplined:>6,} "
                f"disciplined  {queries:>2} queries  p50 {timing['p50']:7.1f}  "
                f"p95 {timing['p95']:7.1f}  max {timing['max']:7.1f} ms (target {target})"
                + ("  MISSED" if missed else ""),
                flush=True,
            )
            rows.append(
                {
                    "case": case.label,
                    "level": case.level,
                    "inspected": inspected,
                    "supervised": report.giam_sat.subjects.total,
                    "violations": report.vi_pham.total,
                    "disciplined": report.disciplined,
                    "children": len(report.children),
                    "queries": queries,
                    "target_ms": target,
                    **timing,
                }
            )
            if missed or args.explain:
                slow.append(case)
        organisations = quality_report.organisations()
        benchlib.write_explains("inspection_report", [explain(case) for case in slow])
    benchlib.save_report_results(
        "inspection_report",
        args,
        scale,
        rows,
        organisations=organisations,
        year=YEAR,
        targets_ms=TARGETS_MS,
    )


if __name__ == "__main__":
    main()
