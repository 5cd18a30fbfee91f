"""The screening flags of a subtree and a year: the members the branch should consider striking
off (Điều lệ Đảng Điều 8; QĐ 24-QĐ/TW §8.1; domain-rules §2.9, R2.12), one source per ground.

A source is one function `(user, org, year, limit) -> list[Flag]` registered under its ground
(the `Case` field it proposes): absence from meetings (a), dues unpaid (a), «Không hoàn thành»
years in a row (d).

Grounds (b), (c) and (e) are facts the branch records on the case, not computed."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from dangvien.core.rules import RuleBook
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization
from dangvien.screening.models import GROUND_TEXTS, GROUNDS

FLAGS_SHOWN = 500  # per ground; the page says when a list was cut


@dataclass(frozen=True)
class Flag:
    member: Member
    ground: str  # a `Case` ground field
    detail: str
    label: str = ""  # the ground as the rule set of the year words it (`ground_labels`)

    @property
    def ground_label(self) -> str:
        return self.label or GROUNDS[self.ground]


Source = Callable[[object, Organization, int, int], list[Flag]]
SOURCES: dict[str, Source] = {}


def register(ground: str, source: Source) -> None:
    """Add (or replace) the source of `ground`."""
    if ground not in GROUNDS:
        raise ValueError(ground)
    SOURCES[ground] = source


def thresholds(year: int) -> dict[str, int]:
    """The rule values of `year` that raise a flag, for the texts that explain them: months of
    unexcused absence and of unpaid dues in the year (Điều lệ Đảng Điều 8), years «Không hoàn
    thành nhiệm vụ» in a row (the assessment rule set)."""
    from dangvien.assessments.grading import YearRules

    rules, end = RuleBook.load(), datetime.date(year, 12, 31)
    return {
        "absence_months": rules.value("meeting_absence_months_flag", end),
        "dues_months": rules.value("dues_unpaid_months_flag", end),
        "not_completed_years": YearRules.of(year).not_completed_years_flag,
    }


def ground_labels(year: int) -> dict[str, str]:
    """The grounds (GROUNDS) as the rule set of `year` words them: the months and years of
    `thresholds`."""
    values = thresholds(year)
    return {**GROUNDS, **{field: text.format(**values) for field, text in GROUND_TEXTS.items()}}


def _absence(user, org: Organization, year: int, limit: int) -> list[Flag]:
    """(a) Absent from members' meetings without a reason in the rule set's months of the year
    (`meeting_absence_months_flag`; the meetings app counts them)."""
    from dangvien.meetings.compliance import absence_flags

    months = RuleBook.load().value("meeting_absence_months_flag", datetime.date(year, 12, 31))
    label = ground_labels(year)["ground_absence"]
    return [
        Flag(
            row.member,
            "ground_absence",
            f"Vắng sinh hoạt không lý do {row.months} tháng",
            label,
        )
        for row in absence_flags(org, year, months, limit=limit)
    ]


def _not_completed(user, org: Organization, year: int, limit: int) -> list[Flag]:
    """(d) «Không hoàn thành nhiệm vụ» the year and the years before, as many in a row as the
    assessment rule set says (`not_completed_years_flag`; assessments.history)."""
    from dangvien.assessments.history import not_completed_twice

    rows = not_completed_twice(user, org, year)[:limit]
    years = thresholds(year)["not_completed_years"]
    label = ground_labels(year)["ground_not_completed"]
    listed = ", ".join(str(y) for y in range(year - years + 1, year + 1))
    return [
        Flag(row.member, "ground_not_completed", f"Không hoàn thành nhiệm vụ năm {listed}", label)
        for row in rows
    ]


def _unpaid_dues(user, org: Organization, year: int, limit: int) -> list[Flag]:
    """(a) Dues unpaid in the rule set's months of the year without a valid reason
    (`dues_unpaid_months_flag`: Điều lệ Đảng Điều 8; QĐ 01-QĐ/TW 2026; the dues app counts
    them in SQL)."""
    from dangvien.dues.selectors import unpaid_flags

    label = ground_labels(year)["ground_dues"]
    return [
        Flag(row.member, "ground_dues", f"{row.months_unpaid} tháng chưa đóng đảng phí", label)
        for row in unpaid_flags(org, year, limit=limit)
    ]


register("ground_absence", _absence)
register("ground_dues", _unpaid_dues)
register("ground_not_completed", _not_completed)


@dataclass
class MemberFlags:
    """One member's flags of the year (several grounds merge into one row)."""

    member: Member
    flags: list[Flag] = field(default_factory=list)

    @property
    def grounds(self) -> list[str]:
        return [flag.ground for flag in self.flags]


def screening_flags(user, org: Organization, year: int, limit: int = FLAGS_SHOWN):
    """The members of `org`'s subtree flagged in `year`, still members, one row each with their
    grounds, in name order; and the grounds whose list reached `limit`."""
    rows: dict[int, MemberFlags] = {}
    cut = []
    for ground, source in SOURCES.items():
        found = source(user, org, year, limit)
        if len(found) >= limit:
            cut.append(ground)
        for flag in found:
            if flag.member.status not in ACTIVE_STATUSES:
                continue
            rows.setdefault(flag.member.pk, MemberFlags(flag.member)).flags.append(flag)
    ordered = sorted(rows.values(), key=lambda row: (bytes(row.member.sort_key), row.member.pk))
    return ordered, cut
