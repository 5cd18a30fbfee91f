"""`dangvien import committees`: the seats of committees by term (docs/interchange.md,
«Cấp ủy, chức vụ theo nhiệm kỳ»), all or nothing, one row a seat, keyed by (Mã tổ chức, Nhiệm
kỳ, Mã đảng viên, Cơ quan, Chức vụ, Ngày bầu).

A term the organisation does not have yet is opened, its congress on the earliest election
day of its rows; terms are taken in the order of their congresses. Each row goes through the
same services as the committee page (`terms.open_term`, `services.add_seat`, `correct_seat`,
`end_seat`), so every rule of the page holds. The same file again changes nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from dangvien.committees import services, terms
from dangvien.committees.models import Body, Chosen, Post, Seat, Term
from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, chunks, validate_then_write
from dangvien.core.scope import sees
from dangvien.core.spreadsheets import Column, cell_text, parse_date
from dangvien.core.vntext import fold
from dangvien.members.models import Member
from dangvien.organizations.models import Organization

ORG_CODE, TERM, MEMBER_CODE, BODY, POST = (
    "Mã tổ chức",
    "Nhiệm kỳ",
    "Mã đảng viên",
    "Cơ quan",
    "Chức vụ",
)
ELECTED, APPROVED, NUMBER, ENDED, CHOSEN = (
    "Ngày bầu",
    "Ngày chuẩn y",
    "Số quyết định chuẩn y",
    "Ngày thôi",
    "Hình thức",
)
COLUMNS = [
    Column(ORG_CODE, "code", required=True),
    Column(TERM, "term", required=True),
    Column(MEMBER_CODE, "member", required=True),
    Column(BODY, "body", required=True),
    Column(POST, "post", required=True),
    Column(ELECTED, "elected_on", required=True),
    Column(APPROVED, "approved_on"),
    Column(NUMBER, "approval_number"),
    Column(ENDED, "ended_on"),
    # Not in the contract's list: «Bầu tại đại hội» when the column is absent or empty.
    Column(CHOSEN, "chosen", in_template=False),
]
HEADERS = {
    "member": MEMBER_CODE,
    "body": BODY,
    "post": POST,
    "elected_on": ELECTED,
    "approved_on": APPROVED,
    "ended_on": ENDED,
    "label": TERM,
    "congress_on": TERM,
    "starts_on": TERM,
}


def _choices(choices) -> dict[str, str]:
    """Label (diacritics and case kept apart only by folding) or value → value."""
    return {fold(label): value for value, label in choices} | {value: value for value, _ in choices}


BODIES, POSTS, WAYS = _choices(Body.choices), _choices(Post.choices), _choices(Chosen.choices)


@dataclass
class PlannedSeat:
    row: int
    code: str
    label: str
    member_code: str
    plan: services.SeatPlan
    ended_on: datetime.date | None
    org: Organization | None = None
    member: Member | None = None
    term: Term | None = None
    existing: Seat | None = None

    @property
    def key(self) -> tuple:
        p = self.plan
        return (self.code, self.label, self.member_code, p.body, p.post, p.elected_on)

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        seat, p = self.existing, self.plan
        # An empty «Ngày thôi» changes nothing: a seat of an ended term ended with it.
        same = (seat.approved_on, seat.approval_number) == (p.approved_on, p.approval_number)
        return "unchanged" if same and self.ended_on in (None, seat.ended_on) else "update"

    @property
    def name(self) -> str:
        return self.org.name if self.org is not None else ""

    @property
    def detail(self) -> str:
        who = self.member.full_name if self.member is not None else self.member_code
        text = f"Nhiệm kỳ {self.label}: {who}, {Post(self.plan.post).label.lower()}"
        return text + (f", thôi ngày {self.ended_on:%d/%m/%Y}" if self.ended_on else "")


class CommitteePlan(ImportPlan):
    kind = "committees"
    columns = COLUMNS
    fields = {
        "code": (Organization, "code"),
        "term": (Term, "label"),
        "member": (Member, "code"),
        "approval_number": (Seat, "approval_number"),
    }

    def __init__(self, content: bytes, filename: str, actor) -> None:
        self.actor = actor  # before the rows are checked: whose members a row may name
        super().__init__(content, filename, actor)

    def _choice(self, number: int, header: str, value, choices: dict) -> str | None:
        found = choices.get(fold(cell_text(value)))
        if found is None:
            self.problem(number, header, f"«{cell_text(value)}» không có trong danh sách.")
        return found

    def _optional_day(self, number: int, header: str, value) -> tuple[datetime.date | None, bool]:
        if not cell_text(value):
            return None, True
        try:
            return parse_date(value), True
        except ValueError as exc:
            self.problem(number, header, str(exc))
            return None, False

    def _parse_row(self, number: int, raw: dict) -> None:
        texts = {key: cell_text(raw.get(key)) for key in ("code", "term", "member")}
        for key, header in (("code", ORG_CODE), ("term", TERM), ("member", MEMBER_CODE)):
            if not texts[key]:
                self.problem(number, header, "không được để trống.")
        body = self._choice(number, BODY, raw["body"], BODIES)
        post = self._choice(number, POST, raw["post"], POSTS)
        chosen = Chosen.CONGRESS
        if cell_text(raw.get("chosen")):
            chosen = self._choice(number, CHOSEN, raw["chosen"], WAYS)
        elected = self.past_day(number, ELECTED, raw["elected_on"])
        approved, approved_ok = self._optional_day(number, APPROVED, raw.get("approved_on"))
        ended, ended_ok = self._optional_day(number, ENDED, raw.get("ended_on"))
        if not (all(texts.values()) and body and post and chosen and elected):
            return
        if approved_ok and ended_ok:
            plan = services.SeatPlan(
                body=body,
                post=post,
                chosen=chosen,
                elected_on=elected,
                approved_on=approved,
                approval_number=cell_text(raw.get("approval_number")),
            )
            self.planned.append(
                PlannedSeat(number, texts["code"], texts["term"], texts["member"], plan, ended)
            )

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            if planned.key in first:
                self.problem(planned.row, MEMBER_CODE, f"trùng với dòng {first[planned.key]}.")
            else:
                first[planned.key] = planned.row
        orgs: dict[str, Organization] = {}
        for chunk in chunks(sorted({p.code for p in self.planned})):
            orgs.update((o.code, o) for o in Organization.unscoped.filter(code__in=chunk))
        members: dict[str, Member] = {}
        for chunk in chunks(sorted({p.member_code for p in self.planned})):
            members.update((m.code, m) for m in Member.unscoped.filter(code__in=chunk))
        actor = self.actor
        for planned in self.planned:
            org = orgs.get(planned.code)
            member = members.get(planned.member_code)
            if org is None or not self.manages(org.path):
                self.problem(
                    planned.row,
                    ORG_CODE,
                    f"không tìm thấy tổ chức mã {planned.code} trong phạm vi quản lý.",
                )
            elif member is None or not sees(actor, member.branch_path):
                self.problem(
                    planned.row,
                    MEMBER_CODE,
                    f"không tìm thấy đảng viên mã {planned.member_code} trong phạm vi quản lý.",
                )
            else:
                planned.org, planned.member = org, member

    def _match_existing(self) -> None:
        org_ids = sorted({p.org.pk for p in self.planned})
        found: dict[tuple, Term] = {}
        for chunk in chunks(org_ids):
            for term in Term.unscoped.filter(organization_id__in=chunk):
                found[(term.organization_id, term.label)] = term
        seats: dict[tuple, Seat] = {}
        for chunk in chunks([t.pk for t in found.values()]):
            for seat in Seat.unscoped.filter(term_id__in=chunk, annulled_at__isnull=True):
                seats[(seat.term_id, seat.member_id, seat.body, seat.post, seat.elected_on)] = seat
        for planned in self.planned:
            planned.term = found.get((planned.org.pk, planned.label))
            if planned.term is not None:
                p = planned.plan
                key = (planned.term.pk, planned.member.pk, p.body, p.post, p.elected_on)
                planned.existing = seats.get(key)


def _apply_row(actor, planned: PlannedSeat, term: Term, reason: str) -> None:
    seat = planned.existing
    if seat is None:
        ended, why = planned.ended_on, reason if planned.ended_on else ""
        services.add_seat(actor, term, planned.member, planned.plan, ended_on=ended, end_reason=why)
        return
    if planned.action == "unchanged":
        return
    if planned.ended_on and seat.ended_on not in (None, planned.ended_on):
        raise DomainError(
            f"đã thôi giữ chức vụ ngày {seat.ended_on:%d/%m/%Y}; sửa trên trang cấp ủy.",
            field="ended_on",
        )
    seat = services.correct_seat(actor, seat, planned.plan, reason)
    if planned.ended_on is not None and seat.ended_on is None:
        services.end_seat(actor, seat, planned.ended_on, reason)


def _apply(plan: CommitteePlan, actor, filename: str) -> None:
    """The terms in the order of their congresses, each opened when missing, then its rows in
    the order of their election days."""
    reason = f"Nhập từ tệp {filename}" if filename else "Nhập từ tệp"
    groups: dict[tuple, list[PlannedSeat]] = {}
    for planned in plan.planned:
        groups.setdefault((planned.org.pk, planned.label), []).append(planned)
    ordered = sorted(groups.values(), key=lambda rows: min(p.plan.elected_on for p in rows))
    for rows in ordered:
        rows.sort(key=lambda p: (p.plan.elected_on, p.row))
        term = rows[0].term
        if term is None:
            congress = rows[0].plan.elected_on
            try:
                term = terms.open_term(actor, rows[0].org, terms.TermPlan(rows[0].label, congress))
            except DomainError as error:
                for planned in rows:
                    plan.problem(planned.row, HEADERS.get(error.field, TERM), error.message)
                continue
        for planned in rows:
            try:
                with transaction.atomic():
                    _apply_row(actor, planned, term, reason)
            except DomainError as error:
                plan.problem(planned.row, HEADERS.get(error.field, POST), error.message)
                continue
            action = planned.action
            if action == "create":
                plan.report.created += 1
            elif action == "update":
                plan.report.updated += 1
            else:
                plan.report.unchanged += 1


def import_committees(content, filename: str = "", *, actor=None, dry_run: bool = False):
    """Committee seats: every row valid and applied, then all kept, or nothing. `actor` None is
    the command line, acting on all organisations; a web user records the committees of the
    organisations they manage."""
    plan = CommitteePlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
