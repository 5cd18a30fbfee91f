"""Demo assessments for the demo province (Đảng bộ tỉnh Sơn Hà): the grades of the last five
completed years, closed, and this year's round in progress.

Past years are written in bulk, as if taken over from paper records, but within the rules: each
member is graded in the branch they were in at the end of the year (from `Placement`), exempt
members are not graded, and no base organisation exceeds the excellent cap. A few branches are
excellent five years running (the award streak) and a few members are "not completed" in the
last two years (screening). This year's round is opened on the province and the branches'
proposals are made through the services (so their rules apply), as are the commitments of the
demo member and of the demo secretary's branch; the other commitments and the self-assessments
are written in bulk as the branches and members would have recorded them (demo members have no
accounts), each with its history entry.
"""

import datetime
import functools
import random
from collections import defaultdict

from django.utils import timezone

from dangvien.accounts.models import User
from dangvien.assessments import services
from dangvien.assessments.grading import YearRules, is_new_member
from dangvien.assessments.models import (
    GRADES,
    RANK,
    SHORT_LABELS,
    Commitment,
    Grade,
    MemberAssessment,
    NotGraded,
    OrgAssessment,
    Round,
)
from dangvien.core.bulk import insert_all
from dangvien.core.models import AuditEntry
from dangvien.core.paths import path_ids
from dangvien.members.models import ACTIVE_STATUSES, Member, Placement
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS, Organization

PROVINCE = "SH"
OFFICER = "tinhuy"  # the province officer of accounts.demo
WARD = "SH.HB"  # the ward officer's subtree
SECRETARY = "bithu"  # the secretary of SH.HB.01.01 in accounts.demo
SECRETARY_BRANCH = "SH.HB.01.01"  # the demo secretary grades it in the browser journey
PAST_YEARS = 5
MEMBER_WEIGHTS = {Grade.EXCELLENT: 8, Grade.GOOD: 78, Grade.COMPLETED: 13, Grade.NOT_COMPLETED: 1}
ORG_WEIGHTS = {Grade.EXCELLENT: 18, Grade.GOOD: 68, Grade.COMPLETED: 12, Grade.NOT_COMPLETED: 2}
# Branches excellent in every past year; one more misses only the first year.
STREAK_BRANCHES = ("SH.HB.01.01", "SH.CQD.01.02", "SH.QS.03.51.01")
NEAR_STREAK_BRANCH = "SH.UB.02.02"
TWICE_NOT_COMPLETED = 4  # members not completed in each of the last two past years
COMMITTED_SHARE = 0.85
SELF_ASSESSED_SHARE = 0.55
PROPOSING_SHARE = 0.4  # branches that have already sent their proposals
PLEDGES = [
    "Gương mẫu thực hiện nhiệm vụ được giao; học tập và làm theo tư tưởng, đạo đức, phong cách "
    "Hồ Chí Minh.",
    "Hoàn thành 100% nhiệm vụ đúng hạn; tham gia đầy đủ sinh hoạt chi bộ.",
    "Nâng cao trình độ chuyên môn; giữ mối liên hệ với chi ủy nơi cư trú.",
    "Đóng đảng phí đầy đủ; tích cực tham gia phong trào của cơ quan và địa phương.",
]
SELF_ASSESSMENT = (
    "Trong năm {year}, bản thân chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của "
    "Nhà nước; hoàn thành các nhiệm vụ được giao; tham gia đầy đủ sinh hoạt chi bộ. Hạn chế: "
    "{shortcoming}."
)
SHORTCOMINGS = [
    "có lúc chưa chủ động đề xuất giải pháp",
    "việc tự học, nghiên cứu lý luận chưa thường xuyên",
    "một số công việc còn chậm so với kế hoạch",
]


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 9, 0))


def _base_of(org: Organization, by_id: dict[int, Organization]) -> Organization:
    """The base organisation above (or being) a branch, from the tree already in memory."""
    ids = path_ids(org.path)
    return next(by_id[pk] for pk in reversed(ids) if by_id[pk].kind in BASE_KINDS)


def _branch_at(placements: list[tuple], day: datetime.date) -> int | None:
    for branch_id, start, end in placements:
        if start <= day and (end is None or end >= day):
            return branch_id
    return None


def _enforce_cap(rng: random.Random, grades: dict[int, str], year: int) -> None:
    """Demote random "excellent" of one base organisation to "good" until within the cap."""
    excellent = sorted(pk for pk, grade in grades.items() if grade == Grade.EXCELLENT)
    good = sum(1 for grade in grades.values() if grade == Grade.GOOD)
    while excellent and len(excellent) > services.excellent_cap(good, year):
        grades[excellent.pop(rng.randrange(len(excellent)))] = Grade.GOOD
        good += 1


@functools.cache
def _year_rules(year: int) -> YearRules:
    """The assessment rules of a past year, read once per demo build and year."""
    return YearRules.of(year)


def _situation(member: Member, placements: list[tuple], year: int) -> tuple[int | None, str]:
    """(the member's branch on 31/12 of `year` or None, the reason not to grade them or "")."""
    end = datetime.date(year, 12, 31)
    branch_id = _branch_at(placements, end)
    # On the year's roster as the reports count it: a member who left on 31/12 is not
    # (reports/structure.py, left_on <= the day), so the demo does not grade them either.
    if branch_id is None or (member.left_on and member.left_on <= end):
        return None, ""
    if member.exempt_since and member.exempt_since <= end:
        return branch_id, NotGraded.EXEMPT
    if is_new_member(_year_rules(year), member.admitted_on):  # HD 21 mục II.6
        return branch_id, NotGraded.NEW_MEMBER
    return branch_id, ""


def _twice_not_completed(rng, members, placements, years, ward_path: str) -> set[int]:
    """A few active members to grade "not completed" in each of the last two past years, one of
    them in the demo ward (so its officer's screening list is not empty)."""

    def gradable(member, year):
        branch_id, reason = _situation(member, placements.get(member.pk, []), year)
        return branch_id is not None and not reason

    candidates = [
        m
        for m in members
        if m.status in ACTIVE_STATUSES and all(gradable(m, year) for year in years[-2:])
    ]
    in_ward = [m.pk for m in candidates if m.branch_path.startswith(ward_path)]
    elsewhere = [m.pk for m in candidates if not m.branch_path.startswith(ward_path)]
    return {rng.choice(in_ward), *rng.sample(elsewhere, TWICE_NOT_COMPLETED - 1)}


def _past_member_grades(
    rng, members, placements, by_id, years, ward_path
) -> list[MemberAssessment]:
    """Every member's outcome of each past year, in the branch they were in on 31/12."""
    twice = _twice_not_completed(rng, members, placements, years, ward_path)
    rows = []
    for year in years:
        outcomes, per_base = {}, defaultdict(dict)
        for member in members:
            branch_id, reason = _situation(member, placements.get(member.pk, []), year)
            if branch_id is None:
                continue
            outcomes[member.pk] = (branch_id, reason)
            if reason:
                continue
            if member.pk in twice and year in years[-2:]:
                grade = Grade.NOT_COMPLETED
            else:
                grade = rng.choices(list(MEMBER_WEIGHTS), list(MEMBER_WEIGHTS.values()))[0]
            per_base[_base_of(by_id[branch_id], by_id).pk][member.pk] = grade
        grades = {}
        for per_member in per_base.values():
            _enforce_cap(rng, per_member, year)
            grades.update(per_member)
        for member_id, (branch_id, reason) in outcomes.items():
            grade = grades.get(member_id, "")
            rows.append(_past_assessment(rng, member_id, year, by_id[branch_id], grade, reason))
    return rows


def _past_assessment(rng, member_id, year, branch, grade, reason) -> MemberAssessment:
    graded = bool(grade)
    self_grade = grade
    if graded and RANK[Grade(grade)] > 1 and rng.random() < 0.15:
        self_grade = GRADES[RANK[Grade(grade)] - 2]  # members tend to grade themselves higher
    return MemberAssessment(
        member_id=member_id,
        year=year,
        branch_id=branch.pk,
        branch_path=branch.path,
        self_grade=self_grade,
        self_submitted_at=_at(year, 12, 5) if graded else None,
        score=_score(rng, grade) if graded and _year_rules(year).scoring else None,
        proposed_grade=grade,
        proposed_not_graded=reason,
        proposed_at=_at(year, 12, 12),
        grade=grade,
        not_graded=reason,
        decided_at=_at(year, 12, 20),
    )


def _score(rng: random.Random, grade: str) -> int:
    """A score on QĐ 366's 100-point scale consistent with the grade."""
    low, high = {
        Grade.EXCELLENT: (90, 98),
        Grade.GOOD: (70, 89),
        Grade.COMPLETED: (50, 69),
        Grade.NOT_COMPLETED: (35, 49),
    }[Grade(grade)]
    return rng.randint(low, high)


def _past_org_grades(rng, orgs: list[Organization], years: list[int]) -> list[OrgAssessment]:
    """Every base organisation and branch graded each past year it existed. Only the streak
    branches are excellent in all the years (a random run of five is broken)."""
    rows = []
    for org in orgs:
        if org.kind not in BASE_KINDS | BRANCH_KINDS:
            continue
        if org.code in STREAK_BRANCHES:
            grades = [Grade.EXCELLENT] * len(years)
        elif org.code == NEAR_STREAK_BRANCH:
            grades = [Grade.GOOD] + [Grade.EXCELLENT] * (len(years) - 1)
        else:
            grades = rng.choices(list(ORG_WEIGHTS), list(ORG_WEIGHTS.values()), k=len(years))
            if set(grades) == {Grade.EXCELLENT}:
                grades[rng.randrange(len(years))] = Grade.GOOD
        for year, grade in zip(years, grades, strict=True):
            end = datetime.date(year, 12, 31)
            if (org.founded_on and org.founded_on > end) or (org.ended_on and org.ended_on <= end):
                continue
            rows.append(
                OrgAssessment(
                    organization_id=org.pk,
                    org_path=org.path,
                    year=year,
                    self_grade=grade,
                    grade=grade,
                    decided_at=min(_at(year + 1, 1, 10), timezone.now()),
                )
            )
    return rows


def _current_year(rng, officer: User, province: Organization, year: int) -> None:
    """This year's round in progress: commitments of most members, some self-assessments, and
    the proposals of some branches (not the demo secretary's, left for the browser journey).

    The demo member and the demo secretary's branch register their commitments through the
    service; the other branches' paper commitments are written in bulk (a service call per
    member would double the demo's loading time)."""
    services.open_round(officer, province, year)
    secretary = User.objects.get(username=SECRETARY)
    members = list(
        Member.unscoped.filter(branch_path__startswith=province.path, status__in=ACTIVE_STATUSES)
        .select_related("branch", "user")
        .order_by("code")
    )
    levels = [Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED]
    self_grades, on_paper = {}, []
    for member in members:
        # Members with an account always register (the demo member's page shows it).
        if member.exempt_since or (member.user_id is None and rng.random() > COMMITTED_SHARE):
            continue
        level, pledges = rng.choices(levels, [25, 70, 5])[0], rng.choice(PLEDGES)
        if member.user_id:
            services.register_commitment(member.user, member, year, level, pledges)
        elif member.branch.code == SECRETARY_BRANCH:
            services.register_commitment(secretary, member, year, level, pledges)
        else:
            on_paper.append(Commitment(member=member, year=year, level=level, pledges=pledges))
        if member.user_id is None and rng.random() < SELF_ASSESSED_SHARE:
            self_grades[member.pk] = level if rng.random() < 0.8 else _one_lower(level)
    insert_all(Commitment, on_paper)
    _audit(
        "assessment.commit",
        [(c.member, {f"commitment_{year}": [None, SHORT_LABELS[c.level]]}) for c in on_paper],
    )
    _write_self_assessments(rng, [m for m in members if m.pk in self_grades], self_grades, year)
    own_branches = {m.branch_id for m in members if m.user_id}
    branches = sorted({m.branch for m in members}, key=lambda b: b.code)
    for branch in branches:
        if branch.code == SECRETARY_BRANCH or branch.pk in own_branches:
            continue
        if rng.random() > PROPOSING_SHARE:
            continue
        proposals = {}
        for member in members:
            if member.branch_id != branch.pk:
                continue
            if member.exempt_since:
                proposals[member.pk] = {"not_graded": NotGraded.EXEMPT}
            elif is_new_member(_year_rules(year), member.admitted_on):  # HD 21 mục II.6
                proposals[member.pk] = {"not_graded": NotGraded.NEW_MEMBER}
            elif member.pk in self_grades:
                grade = self_grades[member.pk]
                proposals[member.pk] = {
                    "grade": grade if rng.random() < 0.85 else _one_lower(grade)
                }
        if proposals:
            services.propose_grades(officer, branch, year, proposals)


def _one_lower(grade: str) -> str:
    return GRADES[min(RANK[Grade(grade)], len(GRADES) - 2)]


def _write_self_assessments(rng, members: list[Member], grades: dict[int, str], year: int) -> None:
    """The self-assessments as the members would have sent them from their own page."""
    now = timezone.now()
    insert_all(
        MemberAssessment,
        [
            MemberAssessment(
                member=member,
                year=year,
                branch_id=member.branch_id,
                branch_path=member.branch_path,
                self_grade=grades[member.pk],
                self_assessment=SELF_ASSESSMENT.format(
                    year=year, shortcoming=rng.choice(SHORTCOMINGS)
                ),
                self_submitted_at=now,
            )
            for member in members
        ],
    )
    _audit(
        "assessment.self",
        [
            (member, {f"self_grade_{year}": [None, SHORT_LABELS[Grade(grades[member.pk])]]})
            for member in members
        ],
    )


def _audit(action: str, rows: list[tuple[Member, dict]]) -> None:
    """The history entries of steps written in bulk, one per member."""
    insert_all(
        AuditEntry,
        [
            AuditEntry(
                action=action,
                target_type=Member._meta.label_lower,
                target_id=member.pk,
                target_label=str(member)[:300],
                org_path=member.branch_path,
                changes=changes,
                reason="Dữ liệu mẫu",
            )
            for member, changes in rows
        ],
    )


def load(rng: random.Random, today: datetime.date) -> Round:
    """Grades of the last five completed years and this year's open round on the province;
    returns the open round. Needs the demo tree, members and accounts."""
    _year_rules.cache_clear()  # the rule sets of this database
    officer = User.objects.get(username=OFFICER)
    province = Organization.unscoped.get(code=PROVINCE)
    orgs = list(Organization.unscoped.filter(path__startswith=province.path).order_by("code"))
    by_id = {org.pk: org for org in orgs}
    years = list(range(today.year - PAST_YEARS, today.year))
    members = list(
        Member.unscoped.filter(branch_path__startswith=province.path)
        .only("pk", "admitted_on", "left_on", "exempt_since", "status", "branch_path")
        .order_by("code")
    )
    placements: dict[int, list[tuple]] = defaultdict(list)
    for member_id, branch_id, start, end in (
        Placement.objects.filter(member__branch_path__startswith=province.path)
        .order_by("start", "id")
        .values_list("member_id", "branch_id", "start", "end")
    ):
        placements[member_id].append((branch_id, start, end))
    ward_path = next(org.path for org in orgs if org.code == WARD)
    past = _past_member_grades(rng, members, placements, by_id, years, ward_path)
    insert_all(MemberAssessment, past)
    insert_all(OrgAssessment, _past_org_grades(rng, orgs, years))
    now = timezone.now()
    Round.unscoped.bulk_create(
        Round(
            organization=province,
            org_path=province.path,
            year=year,
            status=Round.Status.CLOSED,
            opened_by=officer,
            closed_by=officer,
            closed_at=min(_at(year + 1, 1, 15), now),
        )
        for year in years
    )
    for year in years:  # opened in the November of their year, not on the day the demo loads
        Round.unscoped.filter(organization=province, year=year).update(
            opened_at=min(_at(year, 11, 15), now)
        )
    _current_year(rng, officer, province, today.year)
    return Round.unscoped.get(organization=province, year=today.year)
