"""Exits from the Party by form and by ground, for a subtree and a period (thống kê đảng viên ra
khỏi Đảng: xóa tên, khai trừ, xin ra, từ trần, chuyển đi; domain-rules §2.9).

Counted in the database over the timeline (`MemberEvent`): an exit counts in the subtree that
held the member's branch on its day (the placement covering the day, not the member's branch
today), so a later move never changes a past figure; an exit undone on the same day (recorded by
mistake, `reinstate_member`) is not one. Transfers out are permanent transfers whose branch of
origin (`from_path`, copied when the letter was issued) is in the subtree and whose destination
is not. The grounds of a removal come from the decided cases (`Case.exit_event`); a removal with
no case (imported, or on probation's strike-off) is counted as without a recorded ground."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from dangvien.members.models import EventKind, MemberEvent, Placement
from dangvien.organizations.models import Organization
from dangvien.screening.models import GROUNDS, Case, CaseKind

EXIT_FORMS = {
    EventKind.REMOVED: "Xóa tên",
    EventKind.EXPELLED: "Khai trừ",
    EventKind.RESIGNED: "Xin ra khỏi Đảng",
    EventKind.DECEASED: "Từ trần",
}
TRANSFERRED_OUT = "Chuyển sinh hoạt đảng ra khỏi đảng bộ"
NO_GROUND = "Xóa tên không ghi căn cứ (khi xét công nhận chính thức, dữ liệu nhập)"


@dataclass
class ExitStatistics:
    org: Organization
    start: datetime.date
    end: datetime.date
    by_form: list[tuple[str, int]] = field(default_factory=list)
    by_ground: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.by_form)

    @property
    def period_label(self) -> str:
        return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"


def exit_events(org: Organization, start: datetime.date, end: datetime.date) -> QuerySet:
    """The timeline's exits of `start`..`end` of members then placed in `org`'s subtree: the
    branch of the member's latest placement begun by the exit's day (a return on a later day
    begins a new placement, so the exit stays with the branch the member left)."""
    placed = (
        Placement.objects.filter(member_id=OuterRef("member_id"), start__lte=OuterRef("on"))
        .order_by("-start", "-id")
        .values("branch__path")[:1]
    )
    undone = MemberEvent.objects.filter(
        member_id=OuterRef("member_id"), kind=EventKind.REINSTATED, on=OuterRef("on")
    )
    return (
        MemberEvent.objects.filter(kind__in=list(EXIT_FORMS), on__range=(start, end))
        .annotate(placed_path=Subquery(placed))
        .filter(placed_path__startswith=org.path)
        .exclude(Exists(undone))
    )


def _transferred_out(org: Organization, start: datetime.date, end: datetime.date) -> int:
    from dangvien.transfers.models import Transfer, TransferKind, TransferStatus

    return (
        Transfer.unscoped.filter(
            kind=TransferKind.PERMANENT,
            status=TransferStatus.ARRIVED,
            arrived_on__range=(start, end),
            from_path__startswith=org.path,
        )
        .exclude(to_path__startswith=org.path)
        .count()
    )


def exit_statistics(org: Organization, start: datetime.date, end: datetime.date) -> ExitStatistics:
    """The exits of `org`'s subtree from `start` to `end` by form, and the removals and
    resignations decided on a case by ground (a case may name several grounds): three
    queries."""
    events = exit_events(org, start, end)
    counts = dict(events.values_list("kind").order_by().annotate(n=Count("id")))
    result = ExitStatistics(org, start, end)
    result.by_form = [(label, counts.get(kind, 0)) for kind, label in EXIT_FORMS.items()]
    result.by_form.append((TRANSFERRED_OUT, _transferred_out(org, start, end)))
    cases = Case.unscoped.filter(exit_event__in=events.values("id"))
    aggregates = {ground: Count("id", filter=Q(**{ground: True})) for ground in GROUNDS}
    aggregates["resigned"] = Count("id", filter=Q(kind=CaseKind.RESIGNATION))
    aggregates["removed"] = Count("id", filter=Q(kind=CaseKind.STRIKE_OFF))
    grounds = cases.aggregate(**aggregates)
    result.by_ground = [(label, grounds[ground]) for ground, label in GROUNDS.items()]
    result.by_ground.append((NO_GROUND, counts.get(EventKind.REMOVED, 0) - grounds["removed"]))
    return result
