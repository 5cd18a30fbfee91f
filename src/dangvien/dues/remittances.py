"""What each level keeps of the dues and remits upward (R5.5; QĐ 09-QĐ/TW, HD 724 for the
shares, [U] for 2026): per month, what an organisation collected or receives from below, the
share it keeps, what it must remit and what it recorded as remitted."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from dangvien.core.paths import path_ids
from dangvien.core.rules import RuleBook
from dangvien.dues.models import DuesMonthTally, DuesRemittance
from dangvien.dues.rates import DuesRules, months_of
from dangvien.dues.tally import ensure_year
from dangvien.organizations.models import BASE_KINDS, Organization, OrgKind, Sector

COMMUNE_SECTORS = (Sector.XA, Sector.PHUONG, Sector.DAC_KHU)


def base_of(org: Organization) -> Organization | None:
    """The base committee on `org`'s path (itself, or one above it), None if none."""
    if org.kind == OrgKind.BASE_COMMITTEE:
        return org
    ids = path_ids(org.path)
    return Organization.unscoped.filter(kind=OrgKind.BASE_COMMITTEE, pk__in=ids).first()


_NO_BASE = object()


def keep_percent(org: Organization, rules: DuesRules, base=_NO_BASE) -> int:
    """The share of dues `org` keeps (QĐ 09-QĐ/TW, HD 724; R5.5): a sub-branch by its base
    organisation's sector (`base`, when the caller knows it), a base organisation by its own."""
    if org.kind == OrgKind.SUB_BRANCH:
        base = base_of(org) if base is _NO_BASE else base
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


def _collected_by_branch(org: Organization, year: int) -> dict:
    """month → (the organisation as it stood, {branch id: collected}): the stored summary
    (dues/tally.py) placed in the tree of each month, one grouped query for the year while
    nothing reshaped the tree below `org` since (dues/report.placings)."""
    from dangvien.dues.report import placings

    found = {}
    for stood, months, placed in placings(org, months_of(year)):
        for month in months:
            found[month] = (stood, {})
        rows = (
            placed(DuesMonthTally.objects.filter(collected__gt=0))
            .values("month", "branch_id")
            .order_by()
            .annotate(total=Sum("collected"))
        )
        for row in rows:
            found[row["month"]][1][row["branch_id"]] = row["total"]
    return found


def remittances(org: Organization, year: int) -> list[RemitRow]:
    """By month of `year`: what `org` collected or received, keeps, has to remit upward and
    remitted, in the tree as it stood that month (a later move changes no past month). A few
    queries for the year, none per branch or month."""
    ensure_year(year)
    book = RuleBook.load()
    collected = _collected_by_branch(org, year)
    branch_ids = {pk for _stood, by_branch in collected.values() for pk in by_branch}
    branches = Organization.unscoped.in_bulk(list(branch_ids))
    remitted = dict(
        DuesRemittance.unscoped.filter(organization=org, month__year=year, annulled_at__isnull=True)
        .values("month")
        .order_by()
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    bases = {}
    rows = []
    for month in months_of(year):
        rules = DuesRules.on(month, book)
        stood, by_branch = collected.get(month, (org, {}))
        total = sum(by_branch.values())
        if stood.kind in (OrgKind.SUB_BRANCH, OrgKind.BASE_BRANCH):
            received = total
        elif stood.kind in (OrgKind.BASE_COMMITTEE, OrgKind.PARTIAL_COMMITTEE):
            if stood.path not in bases:
                bases[stood.path] = base_of(stood)
            base = bases[stood.path]
            received = sum(
                amount - _share(amount, keep_percent(branches[pk], rules, base))
                for pk, amount in by_branch.items()
            )
        else:
            received = total  # [U] upper levels: shown, the split above the base is not set
        keep = 0 if stood.kind == OrgKind.PARTIAL_COMMITTEE else keep_percent(stood, rules)
        to_remit = received - _share(received, keep) if keep < 100 else 0
        rows.append(RemitRow(month, total, received, keep, to_remit, remitted.get(month, 0)))
    return rows


def remittance_records(org: Organization, year: int) -> QuerySet[DuesRemittance]:
    return DuesRemittance.unscoped.filter(
        organization=org, month__year=year, annulled_at__isnull=True
    ).order_by("month", "id")
