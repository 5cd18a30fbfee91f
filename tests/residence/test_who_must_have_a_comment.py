"""Who must have a residence comment (QĐ 213-QĐ/TW Điều 1, HD 33-HD/BTCTW), who is missing it,
and the figures of a subtree: the selectors the assessment round reads."""

import datetime

from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.residence import services
from dangvien.residence.models import Category, Channel, Result
from dangvien.residence.selectors import comment_statistics, missing_comments
from tests.factories import MemberFactory
from tests.residence.worlds import YEAR, comment, introduce, school


def _codes(queryset) -> list[str]:
    return sorted(queryset.values_list("code", flat=True))


def test_working_members_are_covered_and_residents_only_when_linked(world):
    quarter = school(world)
    officer = world.users[Role.OFFICER]
    path = world.upper.path
    assert _codes(missing_comments(path, YEAR)) == ["DV-TRONG-1", "DV-TRONG-2"]
    resident = quarter.members.get()
    introduce(officer, resident)  # «Phải nhận xét» covers a member whatever the sector
    assert _codes(missing_comments(path, YEAR)) == ["DV-KP-1", "DV-TRONG-1", "DV-TRONG-2"]
    assert world.outside_member.code not in _codes(missing_comments(world.province.path, YEAR))


def test_exempt_categories_are_not_missing_and_are_counted(world):
    school(world)
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member, Category.NO_YEARLY_COMMENT)
    introduce(officer, world.other_member, Category.NOT_INTRODUCED, reason="Nhiệm vụ đặc biệt")
    assert _codes(missing_comments(world.upper.path, YEAR)) == []
    figures = comment_statistics(world.upper.path, YEAR)
    assert (figures["covered"], figures["missing"]) == (0, 0)
    assert figures["exempt"] == {"mien_nhan_xet": 1, "mien_gioi_thieu": 1}


def test_the_missing_list_at_the_year_boundary(world):
    school(world)
    officer = world.users[Role.OFFICER]
    introduce(officer, world.member)
    # Dated in January, the comment counts for the year it is for, not the year of its date.
    comment(officer, world.member, YEAR, on=datetime.date(YEAR + 1, 1, 5))
    assert _codes(missing_comments(world.upper.path, YEAR)) == ["DV-TRONG-2"]
    assert _codes(missing_comments(world.upper.path, YEAR + 1)) == ["DV-TRONG-1", "DV-TRONG-2"]
    # An exemption from 1 January on changes the new year only; a member admitted then too.
    introduce(
        officer, world.other_member, Category.NO_YEARLY_COMMENT, on=datetime.date(YEAR + 1, 1, 1)
    )
    MemberFactory(
        code="DV-MOI",
        branch=world.branch,
        admitted_on=datetime.date(YEAR + 1, 1, 1),
        official_on=None,
        status=Status.PROBATIONARY,
    )
    assert _codes(missing_comments(world.upper.path, YEAR)) == ["DV-TRONG-2"]
    assert _codes(missing_comments(world.upper.path, YEAR + 1)) == ["DV-MOI", "DV-TRONG-1"]


def test_statistics_figures(world):
    school(world)
    officer = world.users[Role.OFFICER]
    third = MemberFactory(code="DV-TRONG-3", branch=world.branch)
    exempt = MemberFactory(code="DV-TRONG-4", branch=world.branch)
    for member in (world.member, world.other_member, third):
        introduce(officer, member)
    introduce(officer, exempt, Category.NO_YEARLY_COMMENT)
    comment(officer, world.member, result=Result.GOOD)
    comment(
        officer,
        world.other_member,
        result=Result.NOT_DONE,
        channel=Channel.PORTAL,
        portal_reference="G22.1",
    )
    comment(officer, exempt, result=Result.DONE)  # taken when needed: counted as received
    withdrawn = comment(officer, third, result=Result.GOOD)
    services.withdraw_comment(officer, withdrawn, reason="Gửi nhầm năm")

    figures = comment_statistics(world.upper.path, YEAR)
    assert {k: figures[k] for k in ("covered", "received", "missing", "comments")} == {
        "covered": 3,
        "received": 2,
        "missing": 1,
        "comments": 3,
    }
    assert figures["percent_received"] == 66.7
    assert figures["by_result"] == {"tot": 1, "hoan_thanh": 1, "chua_hoan_thanh": 1}
    assert figures["by_channel"] == {"giay": 2, "cong_dvc": 1}
    assert figures["exempt"] == {"mien_nhan_xet": 1, "mien_gioi_thieu": 0}
    missing = missing_comments(world.upper.path, YEAR)
    assert missing.count() == 1 and [m.code for m in missing[:5]] == ["DV-TRONG-3"]
    assert comment_statistics(world.outside_upper.path, YEAR)["covered"] == 0
