"""Demo data of the residence contact (QĐ 213-QĐ/TW), so the pages are filled: five members of
the demo secretary's branch (a school's, SH.HB.01.01, whose members work there) introduced to
their residence branches, three of them commented on last year (on paper, through the portal),
one exempt from the yearly comment (full-time study), one still without last year's comment
(the missing list); and the demo member account's record, given a link «Phải nhận xét» with
last year's comment so that the member sees one on their own page (a demo liberty: that record
is in a ward's branch). Bulk inserts: a dozen rows."""

import datetime

from django.db.models import Q

from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization
from dangvien.residence.models import (
    Category,
    Channel,
    ResidenceComment,
    ResidenceLink,
    Result,
)

SCHOOL_BRANCH = "SH.HB.01.01"
# Where the demo's members live: the ward's neighbourhood branches and a village of the commune.
HOME_BRANCHES = ("SH.HB.02", "SH.HB.03", "SH.TP.01")


def demo_members(today: datetime.date) -> list[Member]:
    """The school branch's first five members in office, not exempt, admitted before last
    year (in code order): those the demo links (the import template's examples name them)."""
    return list(
        Member.unscoped.filter(
            branch__code=SCHOOL_BRANCH,
            status__in=ACTIVE_STATUSES,
            admitted_on__lt=datetime.date(today.year - 1, 1, 1),
        )
        .filter(Q(exempt_since__isnull=True))
        .order_by("code")[:5]
    )


def _introduced(member: Member, today: datetime.date) -> datetime.date:
    return max(member.admitted_on, datetime.date(today.year - 3, 3, 1))


def load(today: datetime.date) -> None:
    homes = {org.code: org for org in Organization.unscoped.filter(code__in=HOME_BRANCHES)}
    members = demo_members(today)
    own = Member.unscoped.filter(user__username="dangvien").first()
    plans = [  # (member, category, residence org code, outside name, committee, reason)
        (members[0], Category.REQUIRED, "SH.HB.02", "", "", ""),
        (
            members[1],
            Category.REQUIRED,
            "",
            "Chi bộ Tổ dân phố 5",
            "Đảng ủy phường Bến Thủy, tỉnh Nghệ An",
            "",
        ),
        (members[2], Category.REQUIRED, "SH.TP.01", "", "", ""),
        (
            members[3],
            Category.NO_YEARLY_COMMENT,
            "SH.HB.03",
            "",
            "",
            "Đi học tập trung 12 tháng tại Học viện Chính trị khu vực",
        ),
        (members[4], Category.REQUIRED, "SH.HB.03", "", "", ""),
    ]
    if own is not None:
        plans.append((own, Category.REQUIRED, "SH.TP.01", "", "", ""))
    links = ResidenceLink.unscoped.bulk_create(
        [
            ResidenceLink(
                member=member,
                residence_org=homes.get(code),
                outside_name=outside,
                outside_committee=committee,
                introduced_on=_introduced(member, today),
                letter_number=f"{index + 12}-GGT/ĐU",
                category=category,
                reason=reason,
            )
            for index, (member, category, code, outside, committee, reason) in enumerate(plans)
        ]
    )
    by_member = {link.member_id: link for link in links}
    year = today.year - 1
    commented = [  # (member, result, channel, reference, content)
        (
            members[0],
            Result.GOOD,
            Channel.PAPER,
            "",
            "Gương mẫu, tham gia đầy đủ sinh hoạt khu phố.",
        ),
        (
            members[1],
            Result.DONE,
            Channel.PORTAL,
            "G22.113-251210-0042",
            "Tham gia họp tổ dân phố, chấp hành tốt quy định nơi cư trú.",
        ),
        (
            members[2],
            Result.GOOD,
            Channel.PAPER,
            "",
            "Tích cực vận động nhân dân xây dựng nông thôn mới.",
        ),
    ]
    if own is not None:
        commented.append((own, Result.GOOD, Channel.PAPER, "", "Gương mẫu, gần gũi nhân dân."))
    ResidenceComment.unscoped.bulk_create(
        [
            ResidenceComment(
                member=member,
                year=year,
                link=by_member[member.pk],
                result=result,
                content=content,
                commented_on=datetime.date(year, 12, 10),
                received_on=datetime.date(year, 12, 15),
                channel=channel,
                portal_reference=reference,
            )
            for member, result, channel, reference, content in commented
        ]
    )
