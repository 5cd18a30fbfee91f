"""The reports of bench/reorganise.py: each report of REPORTS built and timed for each case
before and after the reorganisation (p50/p95/max in ms against the targets of quality_report.py),
the JSON of those that must not change kept and compared, and the checks of the tree after it
(the new committees hold the base organisations, the old ones ended, today's report on an ended
committee refused).
"""

import datetime
import re
import time

import benchlib
import generate
import quality_report
from reorganise_data import EFFECTIVE_ON

BEFORE_YEAR = 2024  # a year-end before it: its reports must not change
AFTER_YEAR = 2025  # the first year-end after it (the last graded year)
TODAY_YEAR = generate.REFERENCE_DAY.year  # 2026: admissions of the year in progress

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
