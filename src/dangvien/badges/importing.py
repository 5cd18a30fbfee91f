"""`dangvien import badges`: party badges awarded before the system (their history), all or
nothing, keyed by (Mã đảng viên, Mốc (năm)). Each row goes through `services.record_awarded`
inside the write transaction (the same checks of party age, milestones and numbers): a refusal
is the problem of its row and nothing is written. The same file again changes nothing."""

from dataclasses import dataclass

from django.db import transaction

from dangvien.badges import services
from dangvien.badges.models import Badge
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.members.models import Member

CODE, MILESTONE, NUMBER, DECIDED = "Mã đảng viên", "Mốc (năm)", "Số quyết định", "Ngày quyết định"
BADGE, CERTIFICATE, AWARDED, POSTHUMOUS = (
    "Số huy hiệu",
    "Số giấy chứng nhận",
    "Ngày trao",
    "Truy tặng",
)
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(MILESTONE, "milestone", required=True),
    Column(NUMBER, "number", required=True),
    Column(DECIDED, "decided", required=True),
    Column(BADGE, "badge", required=True),
    Column(CERTIFICATE, "certificate", required=True),
    Column(AWARDED, "awarded", required=True),
    Column(POSTHUMOUS, "posthumous"),
]
YES, NO = ("co", "x", "1"), ("", "khong", "0")  # folded: no diacritics, lower case
POSTHUMOUS_VALUES = ["Có", "Không"]


@dataclass
class PlannedBadge:
    row: int
    code: str
    milestone: int
    values: dict
    member: Member | None = None
    existing: Badge | None = None

    @property
    def action(self) -> str:
        return "create" if self.existing is None else "unchanged"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member is not None else ""

    @property
    def detail(self) -> str:
        return f"Huy hiệu {self.milestone} năm tuổi Đảng, số {self.values['badge_number']}"


class BadgesPlan(ImportPlan):
    kind = "badges"
    columns = COLUMNS
    fields = {
        "code": (Member, "code"),
        "number": (Badge, "decision_number"),
        "badge": (Badge, "badge_number"),
        "certificate": (Badge, "certificate_number"),
    }

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        text = cell_text(raw["milestone"])
        milestone = int(text) if text.isascii() and text.isdigit() else None
        if milestone is None:
            self.problem(number, MILESTONE, f"“{text}” không phải số năm (ví dụ 30).")
        values = {
            "decision_number": cell_text(raw["number"]),
            "badge_number": cell_text(raw["badge"]),
            "certificate_number": cell_text(raw["certificate"]),
        }
        for header, key in ((NUMBER, "decision_number"), (BADGE, "badge_number"),
                            (CERTIFICATE, "certificate_number")):  # fmt: skip
            if not values[key]:
                self.problem(number, header, "không được để trống.")
        decided = self.past_day(number, DECIDED, raw["decided"])
        awarded = self.past_day(number, AWARDED, raw["awarded"])
        flag = fold(cell_text(raw["posthumous"]))
        if flag not in YES and flag not in NO:
            self.problem(number, POSTHUMOUS, "chỉ ghi «Có» hoặc để trống.")
        if code and milestone and decided and awarded and all(values.values()):
            values.update(decision_on=decided, awarded_on=awarded, posthumous=flag in YES)
            self.planned.append(PlannedBadge(number, code, milestone, values))

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.milestone)
            if key in first:
                self.problem(planned.row, MILESTONE, f"trùng với dòng {first[key]}.")
            else:
                first[key] = planned.row
        self.resolve_members(CODE)

    def _match_existing(self) -> None:
        found: dict[tuple, Badge] = {}
        for chunk in chunks(sorted({p.member.pk for p in self.planned})):
            for badge in Badge.unscoped.filter(member_id__in=chunk, annulled_at__isnull=True):
                found[(badge.member_id, badge.milestone)] = badge
        for planned in self.planned:
            planned.existing = found.get((planned.member.pk, planned.milestone))


_HEADERS = {
    "milestone": MILESTONE,
    "decision_on": DECIDED,
    "awarded_on": AWARDED,
    "badge_number": BADGE,
    "posthumous": POSTHUMOUS,
}


def _apply(plan: BadgesPlan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in plan.planned:
        if planned.existing is not None:
            old = planned.existing
            if (old.badge_number, old.decision_number) != (
                planned.values["badge_number"],
                planned.values["decision_number"],
            ):
                plan.problem(
                    planned.row,
                    BADGE,
                    f"đã có Huy hiệu {planned.milestone} năm với số {old.badge_number}, quyết "
                    f"định {old.decision_number}: sửa trên trang của huy hiệu.",
                )
                continue
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                services.record_awarded(
                    actor, planned.member, milestone=planned.milestone, reason=reason,
                    **planned.values,
                )  # fmt: skip
        except DomainError as error:
            plan.problem(planned.row, _HEADERS.get(error.field, CODE), error.message)
            continue
        plan.report.created += 1


def import_badges(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Badges awarded: every row valid and applied, then all kept, or nothing."""
    plan = BadgesPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
