"""What each level keeps of the dues and remits upward (R5.5; QĐ 09-QĐ/TW, HD 724 for the
shares, [U] for 2026): per month, what an organisation collected or receives from below, the
share it keeps, what it must remit and what it recorded as remitted."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from dangvien.core.rules import RuleBook
from dangvien.dues.models import DuesPayment, DuesRemittance
from dangvien.dues.rates import DuesRules, months_of
from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind, Sector

COMMUNE_SECTORS = (Sector.XA, Sector.PHUONG, Sector.DAC_KHU)


def keep_percent(org: Organization, rules: DuesRules) -> int:
    """The share of dues `org` keeps (QĐ 09-QĐ/TW, HD 724; R5.5): a sub-branch by its base
    organisation's sector, a base organisation by its own."""
    if org.kind == OrgKind.SUB_BRANCH:
        base = (
            Organization.unscoped.filter(
                kind=OrgKind.BASE_COMMITTEE,
            )
            .filter(pk__in=[int(p) for p in org.path.strip("/").split("/")])
            .first()
        )
        commune = base is not None and base.sector in COMMUNE_SECTORS
        return rules[
            "dues_keep_branch_commune_percent" if commune else "dues_keep_branch_other_percent"
        ]
    if org.kind in BASE_KINDS:
        commune = org.sector in COMMUNE_SECTORS
        return rules[
            "dues_keep_base_commune_percent" if commune else "dues_keep_base_other_percent"
        ]
    return 100


def _share(amount: int, percent: int) -> int:
    return (amount * percent + 50) // 100


@dataclass
class RemitRow:
    month: datetime.date
    collected: int  # collected by the organisation's own branches in its subtree
    received: int  # due to reach it from the levels below
    keep_percent: int
    to_remit: int
    remitted: int

    @property
    def difference(self) -> int:
        return self.to_remit - self.remitted


def _collected_by_branch(org: Organization, month: datetime.date) -> dict[int, int]:
    rows = (
        DuesPayment.unscoped.filter(
            branch_path__startswith=org.path, month=month, annulled_at__isnull=True
        )
        .values("branch_id")
        .order_by()
        .annotate(total=Sum("amount"))
    )
    return {row["branch_id"]: row["total"] for row in rows}


def remittance_row(org: Organization, month: datetime.date, book: RuleBook) -> RemitRow:
    """What `org` collected or received for `month`, keeps, has to remit upward and remitted."""
    rules = DuesRules.on(month, book)
    by_branch = _collected_by_branch(org, month)
    collected = sum(by_branch.values())
    if org.kind == OrgKind.SUB_BRANCH or org.kind == OrgKind.BASE_BRANCH:
        received = collected
    elif org.kind == OrgKind.BASE_COMMITTEE or org.kind == OrgKind.PARTIAL_COMMITTEE:
        branches = Organization.unscoped.in_bulk(list(by_branch))
        received = sum(
            amount - _share(amount, keep_percent(branches[pk], rules))
            for pk, amount in by_branch.items()
        )
    else:
        received = collected  # [U] upper levels: shown, the split above the base is not set
    keep = 0 if org.kind == OrgKind.PARTIAL_COMMITTEE else keep_percent(org, rules)
    to_remit = received - _share(received, keep) if keep < 100 else 0
    remitted = DuesRemittance.unscoped.filter(
        organization=org, month=month, annulled_at__isnull=True
    ).aggregate(s=Coalesce(Sum("amount"), 0))["s"]
    return RemitRow(month, collected, received, keep, to_remit, remitted)


def remittances(org: Organization, year: int) -> list[RemitRow]:
    book = RuleBook.load()
    return [remittance_row(org, month, book) for month in months_of(year)]


def remittance_records(org: Organization, year: int) -> QuerySet[DuesRemittance]:
    return DuesRemittance.unscoped.filter(
        organization=org, month__year=year, annulled_at__isnull=True
    ).order_by("month", "id")
