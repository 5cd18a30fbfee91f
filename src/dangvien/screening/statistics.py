"""Exits from the Party by form and by ground, for a subtree and a period (thống kê đảng viên ra
khỏi Đảng: xóa tên, khai trừ, xin ra, từ trần, chuyển đi; domain-rules §2.9).

Counted in the database over the timeline (`MemberEvent`): an exit counts in the subtree that
held the member's branch on its day (the placement covering the day, not the member's branch
today); the subtree is the tree as it stood at the period's end (the organisation's path then,
each branch placed by its state then, `organizations.dated`, as the reports read it), so a later
move of the member or of a branch never changes a past figure; an exit undone on the same day
(recorded by mistake, `reinstate_member`) is not one. Transfers out are permanent transfers
whose sending branch stood in the subtree and whose receiving one did not (placed the same
way as the structure report's, `reports.transfers.placed_transfers`). The grounds of a removal
come from the decided cases (`Case.exit_event`); a removal with no case (imported, or on
probation's strike-off) is counted as without a recorded ground."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dangvien.members.models import EventKind, MemberEvent, Placement
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgState
from dangvien.screening.flags import ground_labels
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


def _stood(org: Organization, end: datetime.date) -> Organization:
    """`org` as it stood at the period's end (its path then); as it is when it did not exist
    on that day (ended within the period, or founded since)."""
    return dated.as_of(org, min(end, timezone.localdate())) or org


def _branch_path_then(start: datetime.date, end: datetime.date, within: str) -> Subquery:
    """The path, as it stood on `end`, of the branch of the member's latest placement begun by
    the exit's day (a return on a later day begins a new placement, so the exit stays with the
    branch the member left): today's indexed path while nothing reshaped the subtree since
    `start`, else the branch's state then (or its last one, for a branch ended within the
    period: `dated.stood_in`)."""
    placements = Placement.objects.filter(
        member_id=OuterRef("member_id"), start__lte=OuterRef("on")
    ).order_by("-start", "-id")
    if not dated.reshaped_since(start, within):
        return Subquery(placements.values("branch__path")[:1])
    day = min(end, timezone.localdate())
    state = OrgState.unscoped.filter(
        dated.stood_in(start, day), org_id=OuterRef("branch_id")
    ).values("path")[:1]
    return Subquery(placements.annotate(then=Subquery(state)).values("then")[:1])


def exit_events(org: Organization, start: datetime.date, end: datetime.date) -> QuerySet:
    """The timeline's exits of `start`..`end` of members then placed in `org`'s subtree as it
    stood on `end` (`org.path` is its path then: `_stood`)."""
    undone = MemberEvent.objects.filter(
        member_id=OuterRef("member_id"), kind=EventKind.REINSTATED, on=OuterRef("on")
    )
    return (
        MemberEvent.objects.filter(kind__in=list(EXIT_FORMS), on__range=(start, end))
        .annotate(placed_path=_branch_path_then(start, end, org.path))
        .filter(placed_path__startswith=org.path)
        .exclude(Exists(undone))
    )


def _transferred_out(org: Organization, start: datetime.date, end: datetime.date) -> int:
    from dangvien.reports.transfers import placed_transfers
    from dangvien.transfers.models import Transfer, TransferKind, TransferStatus

    arrived = Transfer.unscoped.filter(
        kind=TransferKind.PERMANENT, status=TransferStatus.ARRIVED, arrived_on__range=(start, end)
    )
    day = min(end, timezone.localdate())
    return (
        placed_transfers(arrived, start, day, org.path)
        .filter(from_at__startswith=org.path)
        .exclude(Q(to_branch__isnull=False) & Q(to_at__startswith=org.path))
        .count()
    )


def exit_statistics(org: Organization, start: datetime.date, end: datetime.date) -> ExitStatistics:
    """The exits of `org`'s subtree from `start` to `end` by form, and the removals and
    resignations decided on a case by ground (a case may name several grounds): three
    queries. The subtree is `org`'s as it stood on `end`."""
    org = _stood(org, end)
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
    labels = ground_labels(end.year)  # worded by the rule set of the period's year
    result.by_ground = [(labels[ground], grounds[ground]) for ground in GROUNDS]
    result.by_ground.append((NO_GROUND, counts.get(EventKind.REMOVED, 0) - grounds["removed"]))
    return result
