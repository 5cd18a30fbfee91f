"""`dangvien import assessments` and `dangvien import org-assessments`: annual grades of members
and of organisations from a spreadsheet (formats.md), all or nothing, upserted by (code, year).

These files carry decisions already taken: grades of past years, or of organisations that grade
on paper. A year's grades are read under the assessment rules of that year (`grading.YearRules`):
the labels used before 2018 are accepted for those years and map to the four grades; from 2025
(QĐ 366) a row may carry its score, and a grade the score does not allow is refused.
Being decisions already taken, they are not held to the excellent cap (QĐ 124 Điều 12) nor
to the discipline rules (R4.4); those are checked when a committee decides grades in the system
(`services.decide_grades`, `services.grade_organization`). A year whose assessment round is
closed is refused: a closed round changes only through `services.correct_grade`, with a reason.

Rows are validated against data preloaded in a few queries (no query per row) and written with
bulk_create / bulk_update in batches, the audit entries too.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dangvien.assessments.grading import Facts, YearRules, score_error
from dangvien.assessments.models import (
    GRADES,
    SHORT_LABELS,
    Grade,
    MemberAssessment,
    NotGraded,
    OrgAssessment,
    Round,
)
from dangvien.assessments.services import outcome_label
from dangvien.core.changes import records_changed
from dangvien.core.importing import ImportPlan, chunks, validate_then_write
from dangvien.core.models import AuditEntry
from dangvien.core.paths import ancestor_paths
from dangvien.core.rules import RuleBook
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.members.models import Member, Placement
from dangvien.organizations.models import Organization

MEMBER_CODE, ORG_CODE, YEAR, GRADE, SCORE = "Mã đảng viên", "Mã tổ chức", "Năm", "Xếp loại", "Điểm"
COLUMNS = [
    Column(MEMBER_CODE, "code", required=True),
    Column(YEAR, "year", required=True),
    Column(GRADE, "grade", required=True),
    Column(SCORE, "score"),
]
ORG_COLUMNS = [
    Column(ORG_CODE, "code", required=True),
    Column(YEAR, "year", required=True),
    Column(GRADE, "grade", required=True),
    Column(SCORE, "score"),
]
FIRST_YEAR = 1930
NOT_GRADED_LABEL = "Chưa xếp loại"
# A grade cell, folded (case and diacritics ignored) → (grade slug, not-graded reason).
_GRADES = {fold(grade.label): (grade.value, "") for grade in GRADES}
_GRADES |= {fold(label): (grade.value, "") for grade, label in SHORT_LABELS.items()}
_GRADES[fold(NOT_GRADED_LABEL)] = ("", NotGraded.OTHER.value)
_ACCEPTED = ", ".join([*(grade.label for grade in GRADES), NOT_GRADED_LABEL])


def _label_key(text: str) -> str:
    """A label as compared: case, diacritics, commas and spaces ignored."""
    return " ".join(fold(text).replace(",", " ").split())


# The labels of the years before 2018 (domain-briefs, corrections; formats.md), members'
# "tư cách đảng viên" and organisations' "trong sạch, vững mạnh", mapped to the four grades.
OLD_MEMBER_LABELS = {
    "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ": Grade.EXCELLENT,
    "Đủ tư cách, hoàn thành tốt nhiệm vụ": Grade.GOOD,
    "Đủ tư cách, hoàn thành nhiệm vụ nhưng còn hạn chế": Grade.COMPLETED,
    "Đủ tư cách, hoàn thành nhiệm vụ": Grade.COMPLETED,
    "Hoàn thành nhiệm vụ nhưng còn hạn chế": Grade.COMPLETED,
    "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ": Grade.NOT_COMPLETED,
    "Vi phạm tư cách, không hoàn thành nhiệm vụ": Grade.NOT_COMPLETED,
    "Vi phạm tư cách": Grade.NOT_COMPLETED,
}
OLD_ORG_LABELS = {
    "Trong sạch, vững mạnh": Grade.EXCELLENT,
    "Trong sạch, vững mạnh tiêu biểu": Grade.EXCELLENT,
    "Yếu kém": Grade.NOT_COMPLETED,
}
_OLD = {
    "member": {_label_key(label): grade.value for label, grade in OLD_MEMBER_LABELS.items()},
    "org": {_label_key(label): grade.value for label, grade in OLD_ORG_LABELS.items()},
}
BATCH = 1000


@dataclass
class PlannedGrade:
    """One row of the file: a grade (or "Chưa xếp loại") of a member or organisation for a year."""

    row: int
    code: str
    year: int
    grade: str
    not_graded: str
    old_label: str = ""  # the label of the years before 2018 the row was written in
    score: int | None = None  # QĐ 366: out of 100
    name: str = ""
    target_id: int | None = None  # the member or organisation
    branch: tuple[int, str] | None = None  # a member's branch in that year: (id, path)
    path: str = ""  # where the grade belongs in the tree (the audit entry's org_path)
    existing: MemberAssessment | OrgAssessment | None = None

    @property
    def outcome(self) -> str:
        return self.grade or self.not_graded

    @property
    def label(self) -> str:
        return Grade(self.grade).label if self.grade else NOT_GRADED_LABEL

    @property
    def detail(self) -> str:
        return f"{self.year}: {self.label}"

    @property
    def changed(self) -> bool:
        """Whether writing the row changes the stored grade ("Chưa xếp loại" keeps any reason
        already recorded)."""
        if self.existing is None:
            return True
        if self.score is not None and getattr(self.existing, "score", None) != self.score:
            return True
        if self.grade:
            return self.existing.grade != self.grade or bool(self.existing.not_graded)
        return bool(self.existing.grade) or not self.existing.not_graded

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        return "update" if self.changed else "unchanged"


def _prefixes(path: str) -> list[str]:
    """The paths of the organisations above and at `path`, longest first."""
    return ancestor_paths(path)[::-1]


def parse_year(value, this_year: int) -> tuple[int | None, str]:
    """A year cell: a whole number from 1930 to this year; (year, "") or (None, message)."""
    text = cell_text(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        return None, f"“{text}” không phải là một năm (số nguyên, ví dụ 2024)."
    year = int(text)
    if not FIRST_YEAR <= year <= this_year:
        return None, f"năm {year} phải từ {FIRST_YEAR} đến {this_year}."
    return year, ""


class _Plan(ImportPlan):
    """The rows of the file parsed, then checked together against the database."""

    kind = "assessments"
    labels = "member"
    columns = COLUMNS
    code_header = MEMBER_CODE
    fields = {"code": (Member, "code")}

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.this_year = timezone.localdate().year
        super().__init__(content, filename, actor)

    def _check(self) -> None:
        self._check_duplicates()
        self._check_year_rules()
        self._resolve()
        self._check_rounds()

    def _check_year_rules(self) -> None:
        """Each row under the assessment rules of its year: the labels before 2018 only for
        those years; a score only from QĐ 366, and not below what the grade needs."""
        book = RuleBook.load()
        rules = {year: YearRules.of(year, book) for year in {p.year for p in self.planned}}
        for planned in self.planned:
            year_rules = rules[planned.year]
            if planned.old_label and not year_rules.labels_before_2018:
                self.problem(
                    planned.row,
                    GRADE,
                    f"“{planned.old_label}” là cách xếp loại trước năm 2018; năm {planned.year} "
                    f"ghi một trong: {_ACCEPTED}.",
                )
            message = score_error(year_rules, planned.grade, Facts(score=planned.score))
            if message:
                self.problem(planned.row, SCORE, message)

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, self.code_header, "không được để trống.")
        year, message = None, "không được để trống."
        if raw["year"] is not None:
            year, message = parse_year(raw["year"], self.this_year)
        if message:
            self.problem(number, YEAR, message)
        grade_text = cell_text(raw["grade"])
        outcome, old_label = _GRADES.get(fold(grade_text)), ""
        if outcome is None and _label_key(grade_text) in _OLD[self.labels]:
            outcome, old_label = (_OLD[self.labels][_label_key(grade_text)], ""), grade_text
        if not grade_text:
            self.problem(number, GRADE, "không được để trống.")
        elif outcome is None:
            self.problem(number, GRADE, f"“{grade_text}” không phải xếp loại hợp lệ ({_ACCEPTED}).")
        score, message = self._score(raw.get("score"))
        if message:
            self.problem(number, SCORE, message)
        elif code and year is not None and outcome is not None:
            self.planned.append(PlannedGrade(number, code, year, *outcome, old_label, score))

    @staticmethod
    def _score(value) -> tuple[int | None, str]:
        text = cell_text(value)
        if not text:
            return None, ""
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not (text.isascii() and text.isdigit()) or int(text) > 100:
            return None, f"“{text}” không phải điểm hợp lệ (số nguyên từ 0 đến 100)."
        return int(text), ""

    def _check_duplicates(self) -> None:
        first: dict[tuple[str, int], int] = {}
        for planned in self.planned:
            key = (planned.code, planned.year)
            if key in first:
                self.problem(
                    planned.row,
                    self.code_header,
                    f"mã {planned.code} năm {planned.year} bị trùng với dòng {first[key]}.",
                )
            else:
                first[key] = planned.row

    def _check_rounds(self) -> None:
        """Refuse the rows of a year whose round covering that place is closed."""
        years = sorted({p.year for p in self.planned if p.path})
        rounds = {
            (org_path, year): (status, name)
            for org_path, year, status, name in Round.unscoped.filter(year__in=years).values_list(
                "org_path", "year", "status", "organization__name"
            )
        }
        if not rounds:
            return
        for planned in self.planned:
            if not planned.path or planned.row in self.rejected:
                continue
            for prefix in _prefixes(planned.path):
                found = rounds.get((prefix, planned.year))
                if found is None:
                    continue
                status, name = found
                if status == Round.Status.CLOSED:
                    self.problem(
                        planned.row,
                        YEAR,
                        f"đợt đánh giá năm {planned.year} của {name} đã khóa: "
                        "sửa kết quả bằng chức năng đính chính có lý do, không qua tệp nhập.",
                    )
                break

    def _resolve(self) -> None:
        """Defined by each kind (members or organisations)."""
        raise NotImplementedError


class _MemberPlan(_Plan):
    def _resolve(self) -> None:
        """Each member, and their branch on 31/12 of the year from the placements, preloaded."""
        codes = sorted({p.code for p in self.planned})
        members: dict[str, Member] = {}
        for chunk in chunks(codes):
            for member in Member.unscoped.filter(code__in=chunk).only(
                "id", "code", "full_name", "branch_path", "admitted_on", "left_on"
            ):
                members[member.code] = member
        placements: dict[int, list[tuple]] = {}
        for chunk in chunks([m.pk for m in members.values()]):
            rows = Placement.objects.filter(member_id__in=chunk).values_list(
                "member_id", "branch_id", "branch__path", "start", "end"
            )
            for member_id, *placement in rows:
                placements.setdefault(member_id, []).append(placement)
        for planned in self.planned:
            member = members.get(planned.code)
            if member is None:
                self._not_found(planned)
                continue
            day = datetime.date(planned.year, 12, 31)
            branch = next(
                (
                    (branch_id, path)
                    for branch_id, path, start, end in placements.get(member.pk, [])
                    if start <= day and (end is None or end >= day)
                ),
                None,
            )
            if not self.manages(branch[1] if branch else member.branch_path):
                self._not_found(planned)
                continue
            alive = member.admitted_on <= day and (member.left_on is None or member.left_on > day)
            if not alive or branch is None:
                self.problem(
                    planned.row,
                    MEMBER_CODE,
                    f"{member.full_name} (mã {member.code}) không phải là đảng viên "
                    f"vào ngày 31/12/{planned.year}.",
                )
                continue
            planned.name, planned.target_id = member.full_name, member.pk
            planned.branch, planned.path = branch, branch[1]

    def _not_found(self, planned: PlannedGrade) -> None:
        self.problem(
            planned.row,
            MEMBER_CODE,
            f"không tìm thấy đảng viên mã {planned.code} trong phạm vi quản lý.",
        )

    def _match_existing(self) -> None:
        wanted = {(p.target_id, p.year): p for p in self.planned}
        years = sorted({p.year for p in self.planned})
        for chunk in chunks(sorted({p.target_id for p in self.planned})):
            for assessment in MemberAssessment.unscoped.filter(member_id__in=chunk, year__in=years):
                planned = wanted.get((assessment.member_id, assessment.year))
                if planned is not None:
                    planned.existing = assessment


class _OrgPlan(_Plan):
    kind = "org-assessments"
    labels = "org"
    columns = ORG_COLUMNS
    code_header = ORG_CODE
    fields = {"code": (Organization, "code")}

    def _resolve(self) -> None:
        """Each organisation, graded by its direct upper level: that level must be in scope."""
        codes = sorted({p.code for p in self.planned})
        orgs: dict[str, Organization] = {}
        for chunk in chunks(codes):
            for org in Organization.unscoped.filter(code__in=chunk).only(
                "id", "code", "name", "path", "parent_id", "founded_on", "ended_on"
            ):
                orgs[org.code] = org
        for planned in self.planned:
            org = orgs.get(planned.code)
            if org is None or not self.manages(org.path):
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"không tìm thấy tổ chức mã {planned.code} trong phạm vi quản lý.",
                )
            elif org.parent_id is None:
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"{org.name} là tổ chức cấp cao nhất: không được xếp loại trong hệ thống này.",
                )
            elif not self.manages(_prefixes(org.path)[1]):
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"{org.name} do cấp ủy cấp trên trực tiếp xếp loại, "
                    "ngoài phạm vi quản lý của bạn.",
                )
            elif org.founded_on and org.founded_on > datetime.date(planned.year, 12, 31):
                self.problem(
                    planned.row,
                    YEAR,
                    f"{org.name} thành lập ngày {org.founded_on:%d/%m/%Y}, sau năm {planned.year}.",
                )
            elif org.ended_on and org.ended_on < datetime.date(planned.year, 1, 1):
                self.problem(
                    planned.row,
                    YEAR,
                    f"{org.name} đã giải thể ngày {org.ended_on:%d/%m/%Y}, trước năm "
                    f"{planned.year}.",
                )
            else:
                planned.name, planned.target_id, planned.path = org.name, org.pk, org.path

    def _match_existing(self) -> None:
        wanted = {(p.target_id, p.year): p for p in self.planned}
        years = sorted({p.year for p in self.planned})
        for chunk in chunks(sorted({p.target_id for p in self.planned})):
            for assessment in OrgAssessment.unscoped.filter(
                organization_id__in=chunk, year__in=years
            ):
                planned = wanted.get((assessment.organization_id, assessment.year))
                if planned is not None:
                    planned.existing = assessment


def _outcome_fields(planned: PlannedGrade, model) -> dict:
    note = "" if planned.grade else NOT_GRADED_LABEL
    fields = {"grade": planned.grade, "not_graded": planned.not_graded, "not_graded_note": note}
    if planned.score is not None:
        fields["score"] = planned.score
    return fields


OUTCOME_FIELDS = ["grade", "not_graded", "not_graded_note", "decided_by", "decided_at", "imported"]


def _write(plan: _Plan, actor, filename: str, model, target, action: str, extra) -> None:
    """Create and update the planned rows in batches, with one audit entry each.

    `target` is the assessed model (Member, Organization), named by the audit entries."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    decided = {"decided_by_id": actor_id, "decided_at": now, "imported": True}
    creates, updates, audits = [], [], []
    for planned in plan.planned:
        if not planned.changed:
            plan.report.unchanged += 1
            continue
        existing = planned.existing
        old = (existing.grade or existing.not_graded) if existing is not None else ""
        if existing is None:
            creates.append(
                model(
                    **{f"{target._meta.model_name}_id": planned.target_id, "year": planned.year},
                    **extra(planned),
                    **_outcome_fields(planned, model),
                    **decided,
                )
            )
        else:
            for key, value in {**_outcome_fields(planned, model), **decided}.items():
                setattr(existing, key, value)
            updates.append(existing)
        audits.append(
            AuditEntry(
                actor_id=actor_id,
                action=action,
                target_type=target._meta.label_lower,
                target_id=planned.target_id,
                target_label=planned.name[:300],
                org_path=planned.path,
                changes={
                    f"grade_{planned.year}": [outcome_label(old), outcome_label(planned.outcome)]
                },
                reason=reason,
            )
        )
    if model is MemberAssessment:  # bulk writes send no signals: the unit counts are stale
        records_changed(paths=[a.branch_path for a in [*creates, *updates]], membership=False)
    model.unscoped.bulk_create(creates, batch_size=BATCH)
    model.unscoped.bulk_update(updates, [*OUTCOME_FIELDS, "score"], batch_size=BATCH)
    AuditEntry.unscoped.bulk_create(audits, batch_size=BATCH)
    plan.report.created += len(creates)
    plan.report.updated += len(updates)


def _apply_members(plan: _MemberPlan, actor, filename: str) -> None:
    def branch(planned: PlannedGrade) -> dict:
        return {"branch_id": planned.branch[0], "branch_path": planned.branch[1]}

    _write(plan, actor, filename, MemberAssessment, Member, "assessment.import", branch)


def _apply_orgs(plan: _OrgPlan, actor, filename: str) -> None:
    def path(planned: PlannedGrade) -> dict:
        return {"org_path": planned.path}

    _write(plan, actor, filename, OrgAssessment, Organization, "assessment.org_import", path)


def import_assessments(content: bytes, filename: str = "", *, actor=None, dry_run: bool = False):
    """Members' grades of past years: every row valid, then all written, or nothing.

    `actor` None is the command line, acting on all organisations; a web user imports only
    members whose branch in that year lies in a subtree where they manage organisations.
    """
    plan = _MemberPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply_members, actor=actor, filename=filename, dry_run=dry_run
    )


def import_org_assessments(
    content: bytes, filename: str = "", *, actor=None, dry_run: bool = False
):
    """Organisations' grades, decided by their direct upper level (which the user manages)."""
    plan = _OrgPlan(content, filename, actor)
    return validate_then_write(plan, _apply_orgs, actor=actor, filename=filename, dry_run=dry_run)
