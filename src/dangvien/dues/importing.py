"""`dangvien import dues-payments`: months of dues paid (the branches' collection books, or the
national public-service portal's statement), all or nothing, keyed by (Mã đảng viên, Tháng).

Each row goes through the same service as a payment recorded on the sheet
(`services.collect`, by the branch the member was placed in that month; a month already paid
with other values is corrected with `services.correct_payment`, the file named as the reason).
The same file again changes nothing, and a month an officer corrected by hand since is left as
corrected: the row is a conflict, skipped, and said so in the preview and the report."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangvien.core.errors import DomainError
from dangvien.core.importing import ImportPlan, ImportReport, chunks, validate_then_write
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Capability
from dangvien.core.spreadsheets import Column, Problem, cell_text
from dangvien.core.vntext import fold
from dangvien.dues import services
from dangvien.dues.cells import parse_money, parse_month
from dangvien.dues.models import Channel, DuesPayment
from dangvien.dues.rates import month_end
from dangvien.members.models import Member, Placement

CODE, MONTH, AMOUNT, CHANNEL, REFERENCE, PAID_ON = (
    "Mã đảng viên",
    "Tháng",
    "Số tiền",
    "Hình thức",
    "Mã giao dịch",
    "Ngày nộp",
)
COLUMNS = [
    Column(CODE, "code", required=True),
    Column(MONTH, "month", required=True),
    Column(AMOUNT, "amount", required=True),
    Column(CHANNEL, "channel"),
    Column(REFERENCE, "reference"),
    Column(PAID_ON, "paid_on", required=True),
]
PORTAL_SHORT = "Cổng dịch vụ công"
CHANNELS = {fold(channel.label): channel.value for channel in Channel} | {
    fold(PORTAL_SHORT): Channel.PORTAL
}
CHANNEL_LABELS = [Channel.CASH.label, f"{Channel.PORTAL.label} (hoặc «{PORTAL_SHORT}»)"]


@dataclass
class PlannedPayment:
    row: int
    code: str
    collection: services.Collection
    member: Member | None = None
    branch: object = None
    existing: DuesPayment | None = None
    corrected_by_hand: AuditEntry | None = None  # the officer's correction the file would undo

    @property
    def action(self) -> str:
        if self.existing is None:
            return "create"
        old, new = self.existing, self.collection
        same = (old.amount, old.channel, old.reference, old.paid_on) == (
            new.amount,
            new.channel,
            new.reference.strip(),
            new.paid_on,
        )
        if same:
            return "unchanged"
        return "conflict" if self.corrected_by_hand is not None else "update"

    @property
    def name(self) -> str:
        return self.member.full_name if self.member is not None else ""

    @property
    def detail(self) -> str:
        amount = f"{self.collection.amount:,}".replace(",", ".")
        return f"Tháng {self.collection.month:%m/%Y}: {amount} đồng"

    def conflict(self) -> str:
        """Why the row is skipped: who corrected the month by hand, when, and to what."""
        entry, existing = self.corrected_by_hand, self.existing
        actor = entry.actor
        who = (actor.get_full_name() or actor.username) if actor else "dòng lệnh"
        when = timezone.localtime(entry.at)
        amount = f"{existing.amount:,}".replace(",", ".")
        return (
            f"tháng {existing.month:%m/%Y} của {self.name} đã được {who} sửa lúc "
            f"{when:%H:%M %d/%m/%Y} ({amount} đồng, lý do: {entry.reason}); tệp không ghi đè "
            "khoản đã sửa: bỏ qua dòng này. Muốn thay thì sửa trên sổ thu của chi bộ."
        )


class PaymentsPlan(ImportPlan):
    kind = "dues-payments"
    columns = COLUMNS
    fields = {"code": (Member, "code"), "reference": (DuesPayment, "reference")}

    def _parse_row(self, number: int, raw: dict) -> None:
        code = cell_text(raw["code"])
        if not code:
            self.problem(number, CODE, "không được để trống.")
        month = amount = None
        try:
            month = parse_month(raw["month"])
        except ValueError as exc:
            self.problem(number, MONTH, str(exc))
        try:
            amount = parse_money(raw["amount"])
        except ValueError as exc:
            self.problem(number, AMOUNT, str(exc))
        channel_text = cell_text(raw["channel"])
        channel = CHANNELS.get(fold(channel_text)) if channel_text else Channel.CASH
        if channel is None:
            self.problem(number, CHANNEL, f"“{channel_text}” không phải «Tiền mặt» hay «Cổng …».")
        paid_on = self.past_day(number, PAID_ON, raw["paid_on"])
        if code and month and amount is not None and channel and paid_on:
            collection = services.Collection(
                month=month,
                channel=channel,
                paid_on=paid_on,
                reference=cell_text(raw["reference"]),
                amount=amount,
            )
            self.planned.append(PlannedPayment(number, code, collection))

    def _check(self) -> None:
        first: dict[tuple, int] = {}
        for planned in self.planned:
            key = (planned.code, planned.collection.month)
            if key in first:
                self.problem(planned.row, MONTH, f"tháng bị trùng với dòng {first[key]}.")
            else:
                first[key] = planned.row
        members: dict[str, Member] = {}
        for chunk in chunks(sorted({p.code for p in self.planned})):
            members.update(
                (m.code, m) for m in Member.unscoped.filter(code__in=chunk).select_related("branch")
            )
        placements = _placements_of([member.pk for member in members.values()])
        for planned in self.planned:
            member = members.get(planned.code)
            branch = member and _branch_in(member, planned.collection.month, placements)
            # One message whether the code does not exist or lies outside the actor's scope: the
            # import tells no one which codes exist elsewhere.
            if member is None or not (
                self.scope is None or self.scope.allows(Capability.COLLECT_DUES, branch.path)
            ):
                self.problem(
                    planned.row,
                    CODE,
                    f"không tìm thấy đảng viên mã {planned.code} trong phạm vi thu đảng phí.",
                )
                continue
            planned.member, planned.branch = member, branch

    def _match_existing(self) -> None:
        ids = sorted({p.member.pk for p in self.planned})
        found = {}
        for chunk in chunks(ids):
            for payment in DuesPayment.unscoped.filter(
                member_id__in=chunk, annulled_at__isnull=True
            ):
                found[(payment.member_id, payment.month)] = payment
        for planned in self.planned:
            planned.existing = found.get((planned.member.pk, planned.collection.month))
        self._find_hand_corrections()

    def _find_hand_corrections(self) -> None:
        """The months this file would change whose latest correction was made by hand (on the
        sheet, not by a file): reported as conflicts, skipped (issue 17 point 4)."""
        differing = {
            p.existing.pk: p
            for p in self.planned
            if p.existing is not None and p.existing.version > 1 and p.action == "update"
        }
        latest: dict[int, AuditEntry] = {}
        for chunk in chunks(sorted(differing)):
            for entry in (
                AuditEntry.unscoped.filter(
                    target_type=DuesPayment._meta.label_lower,
                    target_id__in=chunk,
                    action="dues.pay_correct",
                )
                .select_related("actor")
                .order_by("at", "id")
            ):
                latest[entry.target_id] = entry
        for pk, entry in latest.items():
            if not entry.reason.startswith(FROM_FILE):
                planned = differing[pk]
                planned.corrected_by_hand = entry
                self.report.warnings.append(Problem(planned.row, AMOUNT, planned.conflict()))


FROM_FILE = "Nhập từ tệp"


def _placements_of(member_ids: list[int]) -> dict[int, list[Placement]]:
    """Every placement of these members with its branch, a query per chunk of members."""
    found: dict[int, list[Placement]] = {}
    for chunk in chunks(sorted(member_ids)):
        for placement in (
            Placement.objects.filter(member_id__in=chunk)
            .select_related("branch")
            .order_by("start", "id")
        ):
            found.setdefault(placement.member_id, []).append(placement)
    return found


def _branch_in(member: Member, month, placements: dict[int, list[Placement]]):
    """The branch the member was placed in during `month` (the latest placement), else the
    member's branch now."""
    during = [
        placement
        for placement in placements.get(member.pk, [])
        if placement.start <= month_end(month) and (placement.end is None or placement.end >= month)
    ]
    return during[-1].branch if during else member.branch


_HEADERS = {
    "month": MONTH,
    "amount": AMOUNT,
    "channel": CHANNEL,
    "reference": REFERENCE,
    "paid_on": PAID_ON,
}


def _apply(plan: PaymentsPlan, actor, filename: str) -> None:
    reason = f"{FROM_FILE} {filename}" if filename else FROM_FILE
    for planned in plan.planned:
        action = planned.action
        if action == "unchanged":
            plan.report.unchanged += 1
            continue
        if action == "conflict":  # said in the report's warnings; the correction stays
            continue
        new = planned.collection
        try:
            with transaction.atomic():
                if action == "create":
                    services.collect(actor, planned.branch, planned.member, new)
                else:
                    services.correct_payment(
                        actor,
                        planned.existing,
                        amount=new.amount,
                        channel=new.channel,
                        reference=new.reference,
                        paid_on=new.paid_on,
                        reason=reason,
                    )
        except DomainError as error:
            plan.problem(planned.row, _HEADERS.get(error.field, CODE), error.message)
            continue
        if action == "create":
            plan.report.created += 1
        else:
            plan.report.updated += 1


def import_dues_payments(
    content, filename: str = "", *, actor=None, dry_run: bool = False
) -> ImportReport:
    """Dues payments: every row valid and applied, then all kept, or nothing."""
    plan = PaymentsPlan(content, filename, actor)
    return validate_then_write(
        plan, _apply, actor=actor, filename=filename, dry_run=dry_run, checked_by_writing=True
    )
