"""`dangvien import residence-comments`: the residence branches' yearly comments (QĐ 213-QĐ/TW,
HD 33-HD/BTCTW) from a spreadsheet, all or nothing, keyed by (Mã đảng viên, Năm).

The member must already be introduced to the residence branch the row names (its code or name
in the system, or the name of a branch outside it, as the link has it) on the comment's day.
Each row goes through the same service as a comment recorded by hand
(`services.record_comment`; a comment already in force for the year is corrected with
`services.correct_comment`, the file named as the reason), inside the write transaction: a
refusal is the problem of its row and nothing is written. The same file again changes nothing."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from dangvien.admissions.targets.importing import parse_year
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.spreadsheets import Column, cell_text
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.residence import services
from dangvien.residence.models import Channel, ResidenceComment, ResidenceLink, Result

CODE, YEAR, BRANCH, RESULT = "Mã đảng viên", "Năm", "Chi bộ nơi cư trú", "Kết quả"
DAY, CHANNEL, REFERENCE = "Ngày nhận xét", "Hình thức", "Mã hồ sơ trên Cổng"
CONTENT, RECEIVED = "Nội dung", "Ngày nhận"
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(YEAR, "year", required=True),
    Column(BRANCH, "branch", required=True),
    Column(RESULT, "result", required=True),
    Column(DAY, "day", required=True),
    Column(CHANNEL, "channel"),
    Column(REFERENCE, "reference"),
    Column(CONTENT, "content"),
    Column(RECEIVED, "received"),
]
RESULTS = {fold(result.label): result.value for result in Result}
PORTAL_SHORT = "Cổng dịch vụ công"
CHANNELS = {fold(channel.label): channel.value for channel in Channel} | {
    fold(PORTAL_SHORT): Channel.PORTAL
}
CHANNEL_LABELS = [Channel.PAPER.label, f"{Channel.PORTAL.label} (hoặc «{PORTAL_SHORT}»)"]


@dataclass
class PlannedComment:
    """One row: the comment of `year` on the member `code`."""

    row: int
    code: str
    branch: str
    comment: services.Comment
    member: Member | None = None
    existing: ResidenceComment | None = None
    links: list[ResidenceLink] = field(default_factory=list)  # the member's, to match the branch

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        old = self.existing
        same = (
            old.result,
            old.content,
            old.commented_on,
            old.received_on,
            old.channel,
            old.portal_reference,
        ) == (
            self.comment.result,
            self.comment.content.strip(),
            self.comment.commented_on,
            self.comment.received_on,
            self.comment.channel,
            self.comment.portal_reference.strip(),
        )
        return "unchanged" if same else "update"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member is not None else ""

    @property
    def detail(self) -> str:
        return f"Năm {self.comment.year}: {Result(self.comment.result).label}"


def _names(link: ResidenceLink) -> set[str]:
    """What a file may write for the link's residence branch: its code or name in the system,
    or its name outside it."""
    if link.residence_org_id:
        return {fold(link.residence_org.code), fold(link.residence_org.name)}
    return {fold(link.outside_name)}


class CommentsPlan(ImportPlan):
    kind = "residence-comments"
    columns = COLUMNS
    fields = {
        "code": (Member, "code"),
        "branch": (ResidenceLink, "outside_name"),
        "reference": (ResidenceComment, "portal_reference"),
        "content": (ResidenceComment, "content"),
    }

    def _day(self, number: int, header: str, value, *, required: bool) -> datetime.date | None:
        if cell_text(value) == "" and not required:
            return None
        return self.past_day(number, header, value)

    def _parse_row(self, number: int, raw: dict) -> None:
        code, branch = cell_text(raw["code"]), cell_text(raw["branch"])
        for value, header in ((code, CODE), (branch, BRANCH)):
            if not value:
                self.problem(number, header, "không được để trống.")
        year, message = parse_year(raw["year"])
        if message:
            self.problem(number, YEAR, message)
        result = RESULTS.get(fold(cell_text(raw["result"])))
        if result is None:
            allowed = ", ".join(f"«{r.label}»" for r in Result)
            self.problem(number, RESULT, f"“{cell_text(raw['result'])}” không phải {allowed}.")
        channel_text = cell_text(raw["channel"])
        channel = CHANNELS.get(fold(channel_text)) if channel_text else Channel.PAPER
        if channel is None:
            self.problem(number, CHANNEL, f"“{channel_text}” không phải «Giấy» hay «Cổng …».")
        day = self.past_day(number, DAY, raw["day"])
        received = self._day(number, RECEIVED, raw["received"], required=False)
        if code and branch and year and result and channel and day:
            comment = services.Comment(
                year=year,
                result=result,
                commented_on=day,
                received_on=received or day,
                channel=channel,
                portal_reference=cell_text(raw["reference"]),
                content=cell_text(raw["content"]),
            )
            self.planned.append(PlannedComment(number, code, branch, comment))

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.comment.year)
            if key in first:
                self.problem(
                    planned.row, YEAR, f"nhận xét năm {key[1]} bị trùng với dòng {first[key]}."
                )
            else:
                first[key] = planned.row
        self.resolve_members(CODE)

    def _match_existing(self) -> None:
        ids = sorted({p.member.pk for p in self.planned})
        found: dict[tuple, ResidenceComment] = {}
        links: dict[int, list[ResidenceLink]] = {}
        for chunk in chunks(ids):
            for record in ResidenceComment.unscoped.filter(
                member_id__in=chunk, annulled_at__isnull=True
            ):
                found[(record.member_id, record.year)] = record
            for link in ResidenceLink.unscoped.filter(member_id__in=chunk).select_related(
                "residence_org"
            ):
                links.setdefault(link.member_id, []).append(link)
        for planned in self.planned:
            planned.existing = found.get((planned.member.pk, planned.comment.year))
            planned.links = links.get(planned.member.pk, [])


def _branch_problem(planned: PlannedComment) -> str:
    """Why the row's residence branch is not the one the member was introduced to on the
    comment's day ("" when it is; the service says what else is wrong)."""
    day = planned.comment.commented_on

    def in_force(on: datetime.date) -> ResidenceLink | None:
        return next(
            (
                link
                for link in planned.links
                if link.introduced_on <= on and (link.ended_on is None or link.ended_on > on)
            ),
            None,
        )

    # As the service reads it: the link in the year commented on, else on the comment's day.
    link = in_force(min(day, datetime.date(planned.comment.year, 12, 31))) or in_force(day)
    if link is None or fold(planned.branch) in _names(link):
        return ""
    return (
        f"ngày {day:%d/%m/%Y} đảng viên được giới thiệu về {link.residence_label}, "
        f"không phải “{planned.branch}”."
    )


_HEADERS = {
    "year": YEAR,
    "result": RESULT,
    "commented_on": DAY,
    "received_on": RECEIVED,
    "channel": CHANNEL,
    "portal_reference": REFERENCE,
    "content": CONTENT,
}


def _apply(plan: CommentsPlan, actor, filename: str) -> None:
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    for planned in plan.planned:
        if problem := _branch_problem(planned):
            plan.problem(planned.row, BRANCH, problem)
            continue
        action = planned.action
        if action == "unchanged":
            plan.report.unchanged += 1
            continue
        try:
            with transaction.atomic():
                if action == "create":
                    services.record_comment(actor, planned.member, planned.comment, reason=reason)
                else:
                    services.correct_comment(
                        actor, planned.existing, planned.comment, reason=reason
                    )
        except DomainError as error:
            plan.problem(planned.row, _HEADERS.get(error.field, CODE), error.message)
            continue
        if action == "create":
            plan.report.created += 1
        else:
            plan.report.updated += 1


def import_residence_comments(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Residence comments: every row valid and applied, then all kept, or nothing. `actor`
    None is the command line, acting on all organisations; a web user imports the comments of
    members they manage."""
    plan = CommentsPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
