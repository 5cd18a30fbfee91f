"""An award of a member is filed, listed and counted under the branch they were in on the
decision's date (members.selectors.branch_on), not the branch they moved to later; the upper
level is named as it was on that date (no district level since 01/07/2025, QĐ 294-QĐ/TW)."""

import datetime

import pytest

from dangvien.awards.models import Award
from dangvien.core import versions
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.members.services import transfer_member
from tests.awards.steps import AWARD_POST

pytestmark = pytest.mark.django_db
OLD_LEVEL = "Cấp huyện, khối (cấp trên trực tiếp cơ sở)"
NEW_LEVEL = "Cấp xã, phường, đặc khu, đảng bộ trực thuộc tỉnh (cấp trên trực tiếp cơ sở)"


def _listed(client, org) -> tuple[str, str]:
    page = client.get(f"/awards/org/{org.code}/").content.decode()
    total = page[page.index('id="awards-total">') + len('id="awards-total">') :]
    return page, total[: total.index("<")]


def test_an_award_of_2023_stays_with_the_branch_the_member_left_in_2025(world):
    admin, officer = world.users[Role.ADMIN], world.client(Role.OFFICER)
    transfer_member(
        admin,
        Member.unscoped.get(pk=world.member.pk),
        world.other_branch,
        Decision(datetime.date(2025, 3, 1), reason="Chuyển công tác"),
    )
    url = f"/awards/member/{world.member.pk}/new/"
    old = {
        **AWARD_POST,
        "level": "cap_tren_co_so",
        "title": "Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu năm 2022",
        "year_from": "2022",
        "year_to": "2022",
        "decision_number": "40-QĐ/HU",
        "decided_on": "10/05/2023",
        "deciding_body": "Ban Thường vụ Huyện ủy",
    }
    assert officer.post(url, old).status_code == 302
    new = {**old, "decision_number": "41-QĐ/ĐU", "decided_on": "10/03/2026"}
    new["deciding_body"] = "Ban Thường vụ Đảng ủy phường"
    assert officer.post(url, new).status_code == 302
    first = Award.unscoped.get(decision_number="40-QĐ/HU")
    second = Award.unscoped.get(decision_number="41-QĐ/ĐU")
    assert (first.unit, first.subject_path) == (world.branch, world.branch.path)
    assert (second.unit, second.subject_path) == (world.other_branch, world.other_branch.path)

    page, total = _listed(officer, world.branch)
    assert f'id="award-{first.pk}"' in page and f'id="award-{second.pk}"' not in page
    assert total == "1" and OLD_LEVEL in page and NEW_LEVEL not in page
    page, total = _listed(officer, world.other_branch)
    assert f'id="award-{second.pk}"' in page and f'id="award-{first.pk}"' not in page
    assert total == "1" and NEW_LEVEL in page and OLD_LEVEL not in page
    # The secretary of the branch the member left still finds the award of 2023.
    page, total = _listed(world.client(Role.SECRETARY), world.branch)
    assert f'id="award-{first.pk}"' in page and total == "1"
    # The member's record shows both, each level named as it was then.
    record = officer.get(f"/members/{world.member.pk}/").content.decode()
    assert OLD_LEVEL.lower() in record.lower() and NEW_LEVEL.lower() in record.lower()

    # Correcting the date of the 2026 decision to 2024 files it back under the old branch.
    response = officer.post(
        f"/awards/{second.pk}/correct/",
        {
            **new,
            "decided_on": "10/03/2024",
            "version": versions.token(second),
            "correction_reason": "Ghi nhầm ngày quyết định",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.unit, second.subject_path) == (world.branch, world.branch.path)
    assert _listed(officer, world.branch)[1] == "2"
    assert _listed(officer, world.other_branch)[1] == "0"
