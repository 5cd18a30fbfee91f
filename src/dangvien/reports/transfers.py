"""Transfers of party activity in and out of an organisation's subtree over a period, for the
structure report (7-HSĐV columns 10–11: chuyển đến, chuyển đi; domain-briefs §7).

Only permanent transfers count: a temporary one (or one for study) leaves the member counted
at home (domain-rules §2.7), and a restructuring move is not a transfer (organisation events,
not `Transfer` rows). A transfer counts on the day the member arrived, when their placement
changed: "in" when the receiving branch is in the subtree and the sending one is not (or is
outside the system), "out" the other way round. Both branches are placed by the tree as it
stood on the report's date, as every report reads it (formats.md, "Report JSON"); one
aggregate query, however many transfers.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from dangvien.organizations import dated
from dangvien.organizations.dated import state_as_it_stood
from dangvien.organizations.models import Organization
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus

LABELS = {
    "chuyen_den": "Chuyển đến trong kỳ",
    "chuyen_den_tu_ngoai_he_thong": "Trong đó từ ngoài hệ thống",
    "chuyen_di": "Chuyển đi trong kỳ",
    "chuyen_di_ra_ngoai_he_thong": "Trong đó ra ngoài hệ thống",
    "chua_den_sinh_hoat": "Đã cấp giấy giới thiệu, chưa đến nơi sinh hoạt mới",
    "sinh_hoat_tam_thoi": "Đang sinh hoạt tạm thời ở đây (không tính vào đảng số)",
}


@dataclass(frozen=True)
class TransferFigures:
    start: datetime.date
    end: datetime.date
    counts: dict[str, int]  # keyed as LABELS

    def as_json(self) -> dict:
        return {"tu_ngay": self.start.isoformat(), "den_ngay": self.end.isoformat(), **self.counts}

    def rows(self) -> list[tuple[str, int]]:
        return [(LABELS[key], self.counts[key]) for key in LABELS]


def placed_transfers(
    transfers: QuerySet[Transfer], start: datetime.date, day: datetime.date, within: str
) -> QuerySet:
    """`to_at` and `from_at`: the paths the receiving and the sending branch had on `day`, or
    their last ones for a branch that ended within the period (`state_as_it_stood`, as the
    admissions report places its branches); today's indexed paths while nothing reshaped the
    subtree since the period began."""
    if not dated.reshaped_since(start, within):
        return transfers.alias(to_at=F("to_branch__path"), from_at=F("from_branch__path"))
    return transfers.annotate(
        to_state=state_as_it_stood("to_branch", start, day),
        from_state=state_as_it_stood("from_branch", start, day),
    ).alias(to_at=F("to_state__path"), from_at=F("from_state__path"))


def transfer_figures(org: Organization, end: datetime.date) -> TransferFigures:
    """Transfers arrived from 01/01 of `end`'s year to `end` in and out of the subtree of
    `org` (as it stood on `end`: `org.path` is its path then), the letters still waiting for
    the member on `end`, and the members hosted temporarily in the subtree on `end`."""
    start = datetime.date(end.year, 1, 1)
    path = org.path
    transfers = placed_transfers(Transfer.unscoped.all(), start, end, path)
    inside_to = Q(to_at__startswith=path)
    inside_from = Q(from_at__startswith=path)
    outside_to = Q(to_branch__isnull=True) | ~Q(to_at__startswith=path) | Q(to_at__isnull=True)
    outside_from = (
        Q(from_branch__isnull=True) | ~Q(from_at__startswith=path) | Q(from_at__isnull=True)
    )
    arrived = Q(
        kind=TransferKind.PERMANENT,
        status=TransferStatus.ARRIVED,
        arrived_on__gte=start,
        arrived_on__lte=end,
    )
    waiting = (
        Q(kind=TransferKind.PERMANENT, letter_issued_on__lte=end)
        & ~Q(status=TransferStatus.CANCELLED, cancelled_at__date__lte=end)
        & (Q(arrived_on__isnull=True) | Q(arrived_on__gt=end))
    )
    hosted = Q(
        kind__in=(TransferKind.TEMPORARY, TransferKind.STUDY),
        status__in=(TransferStatus.ARRIVED, TransferStatus.RETURNED),
        arrived_on__lte=end,
    ) & (Q(returned_on__isnull=True) | Q(returned_on__gt=end))
    came = arrived & inside_to & outside_from
    went = arrived & inside_from & outside_to
    counts = transfers.filter(inside_to | inside_from).aggregate(
        chuyen_den=Count("pk", filter=came),
        chuyen_den_tu_ngoai_he_thong=Count("pk", filter=came & Q(direction=Direction.IN)),
        chuyen_di=Count("pk", filter=went),
        chuyen_di_ra_ngoai_he_thong=Count("pk", filter=went & Q(direction=Direction.OUT)),
        chua_den_sinh_hoat=Count("pk", filter=waiting & inside_from),
        sinh_hoat_tam_thoi=Count("pk", filter=hosted & inside_to & outside_from),
    )
    return TransferFigures(start=start, end=end, counts={key: counts[key] for key in LABELS})
