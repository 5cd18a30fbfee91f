"""Who must have a residence comment in a year, who has none, and the figures of a subtree,
each computed in the database (QĐ 213-QĐ/TW, HD 33-HD/BTCTW; domain-rules §8).

Who is covered in year Y (QĐ 213 Điều 1: "đảng viên đang công tác"):
- a member of the party on 31/12 of Y (admitted by then; active, or left only after it) and not
  exempt from party work and activity by then (Điều lệ Đảng, miễn công tác và sinh hoạt);
- a *working* member: the sector of the unit their base organisation leads (loại hình,
  formats.md `orgs`) is an agency, a public-service unit, an enterprise, the army or the
  police (WORKPLACE_SECTORS), read from the branch itself when it names one, else from the
  base organisation above it. A member of a branch of a commune, a ward or a special zone
  lives where they are active: no comment. The record's free-text occupation is not read (it
  is often empty or stale); a sector «Khác» (a cooperative …) or none says nothing either way,
  and the link below decides;
- or, whatever the sector, a member whose link in force on 31/12 of Y is «Phải nhận xét»;
- unless the link in force on 31/12 of Y exempts them (HD 33 §1: introduced but not commented
  on each year, or not introduced at all).
A comment counts for the year it is for (`year`), not the year of its date: one dated January
for the year before counts for the year before.
"""

import datetime

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from dangvien.assessments.services import covering_round
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import OrgKind, Sector
from dangvien.residence.models import (
    EXEMPT_CATEGORIES,
    Category,
    Channel,
    ResidenceComment,
    ResidenceLink,
    Result,
)

# QĐ 213-QĐ/TW Điều 1: members working in agencies, enterprises, public-service units and the
# armed forces.
WORKPLACE_SECTORS = (
    Sector.CO_QUAN_DANG,
    Sector.CO_QUAN_NHA_NUOC,
    Sector.MAT_TRAN_DOAN_THE,
    Sector.DON_VI_SU_NGHIEP,
    Sector.DOANH_NGHIEP_NHA_NUOC,
    Sector.DOANH_NGHIEP_TU_NHAN,
    Sector.DOANH_NGHIEP_FDI,
    Sector.QUAN_DOI,
    Sector.CONG_AN,
)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def _unit_sector() -> Case:
    """The sector of the unit a member's branch works in: the branch's own, else (a branch
    under a base or partial committee) its parent's, else (under a partial committee) the base
    committee's. Members are only in branches, whose base organisation is at most two up."""
    return Case(
        When(~Q(branch__sector=""), then=F("branch__sector")),
        When(
            Q(branch__kind=OrgKind.SUB_BRANCH) & ~Q(branch__parent__sector=""),
            then=F("branch__parent__sector"),
        ),
        When(
            branch__kind=OrgKind.SUB_BRANCH,
            branch__parent__kind=OrgKind.PARTIAL_COMMITTEE,
            then=F("branch__parent__parent__sector"),
        ),
        default=Value(""),
    )


def links_in_force(day: datetime.date) -> QuerySet[ResidenceLink]:
    return ResidenceLink.unscoped.filter(introduced_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def members_in(org_path: str, year: int) -> QuerySet[Member]:
    """The members of the subtree `org_path` (their branch today) who are party members on
    31/12 of `year` and not exempt from party work and activity then."""
    end = year_end(year)
    return (
        Member.unscoped.filter(branch_path__startswith=org_path, admitted_on__lte=end)
        .filter(Q(status__in=ACTIVE_STATUSES) | Q(left_on__gt=end))
        .filter(Q(exempt_since__isnull=True) | Q(exempt_since__gt=end))
    )


def _link_category(year: int, categories) -> Exists:
    return Exists(
        links_in_force(year_end(year)).filter(member=OuterRef("pk"), category__in=categories)
    )


def _comment_of(year: int) -> Exists:
    return Exists(
        ResidenceComment.unscoped.filter(member=OuterRef("pk"), year=year, annulled_at__isnull=True)
    )


def covered_members(org_path: str, year: int) -> QuerySet[Member]:
    """The members of the subtree who must have a residence comment for `year` (module doc)."""
    return (
        members_in(org_path, year)
        .alias(
            unit_sector=_unit_sector(),
            required=_link_category(year, [Category.REQUIRED]),
            exempt=_link_category(year, EXEMPT_CATEGORIES),
        )
        .filter(Q(unit_sector__in=WORKPLACE_SECTORS) | Q(required=True))
        .filter(exempt=False)
    )


def missing_comments(org_path: str, year: int) -> QuerySet[Member]:
    """The members of the subtree `org_path` covered in `year` whose comment for that year is
    missing (none, or only withdrawn ones), in name order: `.count()` and slices query the
    database. Unscoped: the caller has checked that the user sees `org_path`."""
    return (
        covered_members(org_path, year)
        .alias(has_comment=_comment_of(year))
        .filter(has_comment=False)
        .order_by("sort_key", "id")
    )


def comment_statistics(org_path: str, year: int) -> dict:
    """The figures of the subtree `org_path` for `year` (a few aggregate queries):

    covered, received (covered members with their comment), missing, percent_received (None
    when no one is covered); comments (every comment in force of the year on a member of the
    subtree, those of exempt members taken when needed included) and their split by_result and
    by_channel (value → count, every choice present); exempt (category → members of the
    subtree whose link in force on 31/12 exempts them)."""
    covered = covered_members(org_path, year).alias(has_comment=_comment_of(year))
    counts = covered.aggregate(
        covered=Count("pk"), received=Count("pk", filter=Q(has_comment=True))
    )
    comments = ResidenceComment.unscoped.filter(
        year=year,
        annulled_at__isnull=True,
        member__in=members_in(org_path, year).values("pk"),
    )
    by_result = dict.fromkeys(Result.values, 0)
    by_channel = dict.fromkeys(Channel.values, 0)
    for row in comments.values("result", "channel").annotate(n=Count("pk")).order_by():
        by_result[row["result"]] += row["n"]
        by_channel[row["channel"]] += row["n"]
    exempt = dict.fromkeys(EXEMPT_CATEGORIES, 0)
    in_force = links_in_force(year_end(year)).filter(
        category__in=EXEMPT_CATEGORIES, member__in=members_in(org_path, year).values("pk")
    )
    for row in in_force.values("category").annotate(n=Count("pk")).order_by():
        exempt[row["category"]] = row["n"]
    covered_count, received = counts["covered"], counts["received"]
    return {
        "year": year,
        "covered": covered_count,
        "received": received,
        "missing": covered_count - received,
        "percent_received": round(100 * received / covered_count, 1) if covered_count else None,
        "comments": sum(by_result.values()),
        "by_result": by_result,
        "by_channel": by_channel,
        "exempt": {str(category): n for category, n in exempt.items()},
    }


def link_in_force(member: Member, day: datetime.date) -> ResidenceLink | None:
    return links_in_force(day).filter(member=member).select_related("residence_org").first()


def is_covered(member: Member, year: int) -> bool:
    return covered_members(member.branch_path, year).filter(pk=member.pk).exists()


def member_section(member: Member, today: datetime.date) -> dict:
    """What the member's page shows (the caller may already see the member): the links, the
    comments by year, and whether this year's (and, before the review of the year past ends,
    last year's) comment is missing."""
    links = list(member.residence_links.select_related("residence_org"))
    comments = list(
        member.residence_comments.select_related("link__residence_org", "created_by").order_by(
            "-year", F("annulled_at").asc(nulls_first=True), "-id"
        )
    )
    in_force = {c.year for c in comments if c.annulled_at is None}
    # The comment is due before the year's review: this year's once a round covering the member
    # is opened, last year's until that year's round is closed.
    this_round = covering_round(member.branch_path, today.year)
    last_round = covering_round(member.branch_path, today.year - 1)
    due = [
        year
        for year, wanted in (
            (today.year, this_round is not None),
            (today.year - 1, last_round is None or last_round.is_open),
        )
        if wanted
    ]
    missing = [
        year
        for year in due
        if year not in in_force and year >= member.admitted_on.year and is_covered(member, year)
    ]
    return {
        "links": links,
        "link": next((link for link in links if link.ended_on is None), None),
        "comments": comments,
        "missing_years": missing,
    }
