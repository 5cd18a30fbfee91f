"""Time of the admissions report (`reports.admissions.admissions_report`) on PostgreSQL
(targets, p95: a province 300 ms, as for the quality report, and the whole country 1 s).

The organisations of quality_report.py: the largest branch, base organisation, upper-level
committee and province, and the whole country when the data set (--scale) has more than one
province, each for three periods:

- `year`: the reference year (REFERENCE_DAY's, admissions up to its end, against the year quota);
- `term`: the congress term 2020-2025 (its five-plus years of admissions, against the term quota);
- `term to date`: the same term up to TERM_AS_OF (a mid-term review; "official" counted by then).

The data set of generate.py has no quotas and no candidates; this script adds them, idempotently
(`INSERT … ON CONFLICT DO NOTHING` on the models' unique constraints, the same rows for the same
seed): a year quota on every base organisation and upper-level committee, a term quota on the
upper-level committees and the province, and a few thousand candidates at every stage spread over
the branches (the pipeline's figures), admitted ones linked to a probationary member.

Each case is built --runs times (default 30, after 3 warm-up runs, one at a time, in this process)
and reported as p50/p95/max in ms, with the number of SQL statements. The organisations smaller
than a province are held to the province's target. Cases that miss their target (or all, with
--explain) get their SQL with times and EXPLAIN (ANALYZE, BUFFERS) in
bench/out/admissions_report-explain.txt.
"""

import datetime
import random
import time

import benchlib
import generate
import quality_report

# p95 targets by level (ms, quality_report.Case.level): issue 18's for a province (300 ms) and
# the whole country (1 s at 6m); the smaller organisations are held to the province's.
TARGETS_MS = {
    "branch": 300,
    "base organisation": 300,
    "upper committee": 300,
    "province": 300,
    "country": 1000,
}
YEAR = generate.REFERENCE_DAY.year  # 2026
TERM = (2020, 2025)
TERM_AS_OF = datetime.date(2023, 6, 30)  # the mid-term review of 2020-2025
PERIODS = {
    "year": (YEAR, YEAR, None),
    "term": (*TERM, None),
    "term to date": (*TERM, TERM_AS_OF),
}
CANDIDATES_PER_MEMBER = 1 / 75  # 4,000 for 300,000 members, 80,000 for 6 million
# (stage, weight) of the candidates; admitted ones are linked to a probationary member.
STAGES = [
    ("pool", 34),
    ("sympathiser", 24),
    ("file", 14),
    ("branch_resolved", 7),
    ("committee_resolved", 5),
    ("admitted", 10),
    ("withdrawn", 6),
]
WITHDRAWN_REASONS = ["Chuyển công tác ra ngoài tỉnh", "Chưa đủ tiêu chuẩn", "Tự nguyện xin rút"]


def _quotas(orgs, sizes: dict[int, int], rng: random.Random) -> list:
    """Year quotas (4-7% of the members) of the base organisations and upper committees, term
    quotas (18-26%) of the upper committees and the province."""
    from dangvien.admissions.models import AdmissionTarget
    from dangvien.organizations.models import BASE_KINDS, OrgKind

    targets = []
    for org in orgs:
        members = sizes[org.pk]
        if org.kind in BASE_KINDS or org.kind == OrgKind.UPPER:
            quota = max(1, round(members * rng.uniform(0.04, 0.07)))
            targets.append(
                AdmissionTarget(organization_id=org.pk, org_path=org.path, year=YEAR, quota=quota)
            )
        if org.kind in (OrgKind.UPPER, OrgKind.PROVINCE):
            quota = max(1, round(members * rng.uniform(0.18, 0.26)))
            targets.append(
                AdmissionTarget(
                    organization_id=org.pk,
                    org_path=org.path,
                    term_start=TERM[0],
                    term_end=TERM[1],
                    quota=quota,
                )
            )
    return targets


def _candidates(branches, rng: random.Random) -> list:
    """CANDIDATES_PER_MEMBER × the members candidates in random branches at every stage, the dates
    before REFERENCE_DAY; admitted ones take the identity of a probationary member of their
    branch (a candidate at most once), or stay at the committee's resolution when none is left."""
    from dangvien.admissions.models import Candidate
    from dangvien.core.rules import add_months
    from dangvien.core.vntext import fold, name_sort_key
    from dangvien.members import demo
    from dangvien.members.models import QUALIFICATIONS, Member

    probationary: dict[int, list] = {}
    rows = Member.unscoped.filter(status="probationary").order_by("id")
    for member in rows.only("id", "branch_id", "full_name", "gender", "birth_date", "citizen_id"):
        probationary.setdefault(member.branch_id, []).append(member)
    today = generate.REFERENCE_DAY
    candidates = []
    for index in range(1, round(Member.unscoped.count() * CANDIDATES_PER_MEMBER) + 1):
        branch = rng.choice(branches)
        stage = rng.choices([s for s, _ in STAGES], weights=[w for _, w in STAGES])[0]
        male = rng.random() < 0.5
        name = " ".join(
            (
                rng.choice(demo.FAMILY),
                rng.choice(demo.MIDDLE_MALE if male else demo.MIDDLE_FEMALE),
                rng.choice(demo.GIVEN_MALE if male else demo.GIVEN_FEMALE),
            )
        )
        birth = today - datetime.timedelta(days=rng.randint(18 * 366, 40 * 365))
        citizen_id = f"098{2 + (not male)}{birth.year % 100:02d}{index:06d}"
        member = None
        if stage == "admitted":
            pool = probationary.get(branch.pk)
            if pool:
                member = pool.pop(0)
                name, birth, citizen_id = member.full_name, member.birth_date, member.citizen_id
                male = member.gender == "Nam"
            else:
                stage = "committee_resolved"
        selected = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
        attended = None
        if stage not in ("pool", "withdrawn") or rng.random() < 0.3:
            attended = min(add_months(selected, rng.randint(1, 9)), today)
        candidates.append(
            Candidate(
                organization_id=branch.pk,
                org_path=branch.path,
                full_name=name,
                gender="Nam" if male else "Nữ",
                birth_date=birth,
                birthplace=rng.choice(demo.PROVINCES),
                place_of_origin=rng.choice(demo.PROVINCES),
                ethnicity=rng.choice(demo.ETHNICITIES),
                religion=rng.choice(demo.RELIGIONS),
                citizen_id=citizen_id,
                occupation=rng.choice(generate.OCCUPATIONS),
                workplace=branch.name.removeprefix("Chi bộ "),
                general_education="12/12",
                qualification=rng.choices(QUALIFICATIONS, weights=[3, 10, 8, 55, 20, 4])[0],
                youth_union_member=birth > add_months(today, -12 * 30),
                class_attended_on=attended,
                class_certificate_number=f"{index:05d}-CN/TU" if attended else "",
                stage=stage,
                selected_on=selected,
                withdrawn_reason=rng.choice(WITHDRAWN_REASONS) if stage == "withdrawn" else "",
                member=member,
                sort_key=name_sort_key(name),
                search_name=fold(name),
            )
        )
    return candidates


def ensure_admissions(seed: int = generate.DEFAULT_SEED) -> tuple[int, int]:
    """Add the quotas and candidates unless already there; (quotas, candidates) inserted."""
    from django.db import connection, transaction

    from dangvien.admissions.models import AdmissionTarget, Candidate
    from dangvien.organizations.models import BRANCH_KINDS, Organization

    rng = random.Random(seed + 3)
    orgs = list(Organization.unscoped.order_by("id").only("id", "name", "kind", "path"))
    targets = _quotas(orgs, benchlib.subtree_sizes(orgs), rng)
    branches = [org for org in orgs if org.kind in BRANCH_KINDS]
    candidates = _candidates(branches, rng)
    with transaction.atomic():
        quotas_before = AdmissionTarget.unscoped.count()
        candidates_before = Candidate.unscoped.count()
        # ON CONFLICT DO NOTHING: a quota once per organisation and period, a citizen id and a
        # member once per candidate, so a second run adds nothing.
        AdmissionTarget.unscoped.bulk_create(targets, batch_size=2000, ignore_conflicts=True)
        Candidate.unscoped.bulk_create(candidates, batch_size=1000, ignore_conflicts=True)
        added = (
            AdmissionTarget.unscoped.count() - quotas_before,
            Candidate.unscoped.count() - candidates_before,
        )
    if any(added):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE admissions_admissiontarget")
            cursor.execute("ANALYZE admissions_candidate")
    return added


def measure(org, period: str, runs: int, warmup: int) -> tuple[dict, object, int]:
    from dangvien.reports.admissions import admissions_report

    return benchlib.time_calls(lambda: admissions_report(org, *PERIODS[period]), runs, warmup)


def explain(case: quality_report.Case, period: str) -> str:
    """The statements of one report with their times and EXPLAIN ANALYZE of those over 5 ms."""
    from dangvien.reports.admissions import admissions_report

    return benchlib.explain_calls(
        lambda: admissions_report(case.org, *PERIODS[period]),
        lambda report: f"{case.label}, {report.period_label} ({period})",
    )


def main() -> None:
    args, scale = benchlib.report_benchmark(__doc__.split("\n")[0])
    from dangvien.core.scope import unscoped

    with unscoped():
        started = time.perf_counter()
        quotas, candidates = ensure_admissions()
        if quotas or candidates:
            print(
                f"added {quotas:,} quotas and {candidates:,} candidates "
                f"({time.perf_counter() - started:.1f} s)"
            )
    benchlib.announce(
        "admissions report",
        scale,
        f"year {YEAR}, term {TERM[0]}-{TERM[1]} (to date: {TERM_AS_OF:%d/%m/%Y})",
    )
    rows, slow = [], []
    with unscoped():
        for case in quality_report.cases():
            target = TARGETS_MS[case.level]
            for period in PERIODS:
                timing, report, queries = measure(case.org, period, args.runs, args.warmup)
                missed = timing["p95"] >= target
                quota = "-" if report.target is None else f"{report.target:,}"
                print(
                    f"{period:<12} {case.label:<46} {report.admitted:>7,} admitted "
                    f"{quota:>7} quota  {queries:>2} queries  "
                    f"p50 {timing['p50']:7.1f}  p95 {timing['p95']:7.1f}  "
                    f"max {timing['max']:7.1f} ms (target {target})"
                    + ("  MISSED" if missed else ""),
                    flush=True,
                )
                rows.append(
                    {
                        "case": case.label,
                        "level": case.level,
                        "period": period,
                        "period_label": report.period_label,
                        "admitted": report.admitted,
                        "target": report.target,
                        "candidates": report.pipeline["candidates"],
                        "children": len(report.children),
                        "queries": queries,
                        "target_ms": target,
                        **timing,
                    }
                )
                if missed or args.explain:
                    slow.append((case, period))
        organisations = quality_report.organisations()
        benchlib.write_explains(
            "admissions_report", [explain(case, period) for case, period in slow]
        )
    benchlib.save_report_results(
        "admissions_report",
        args,
        scale,
        rows,
        organisations=organisations,
        year=YEAR,
        term=f"{TERM[0]}-{TERM[1]}",
        term_as_of=TERM_AS_OF,
        targets_ms=TARGETS_MS,
    )


if __name__ == "__main__":
    main()
