"""Lifecycle actions: transfer, exemption, leaving; nothing is ever deleted. Recognition as an
official member goes through the probation review (tests/admissions/test_recognition.py)."""

import datetime

from dangvien.core.roles import Role
from dangvien.members.models import Member, Placement, Status
from dangvien.members.selectors import branch_on


def fresh(member) -> Member:
    return Member.unscoped.get(pk=member.pk)


def test_transfer_keeps_where_the_member_was(world):
    client = world.client(Role.OFFICER)
    response = client.post(
        f"/members/{world.member.pk}/transfer/",
        {
            "branch_code": world.other_branch.code,
            "effective_on": "01/09/2024",
            "decision_number": "12-QĐ",
        },
    )
    assert response.status_code == 302
    member = fresh(world.member)
    assert member.branch == world.other_branch and member.branch_path == world.other_branch.path
    assert branch_on(member, datetime.date(2024, 8, 31)) == world.branch
    assert branch_on(member, datetime.date(2024, 9, 1)) == world.other_branch
    assert branch_on(member, datetime.date(2009, 1, 1)) is None
    assert Placement.objects.filter(member=member).count() == 2
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert "Chuyển sinh hoạt đảng" in page and "12-QĐ" in page
    # The secretary of the old branch no longer sees the member.
    assert world.client(Role.SECRETARY).get(f"/members/{member.pk}/").status_code == 404


def test_transfer_outside_scope_is_refused(world):
    response = world.client(Role.SECRETARY).post(
        f"/members/{world.member.pk}/transfer/",
        {"branch_code": world.other_branch.code, "effective_on": "01/09/2024"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert page.index('id="refused-banner"') < page.index('<form method="post" class="card form"')
    assert "Không tìm thấy tổ chức có mã này trong phạm vi" in page
    assert 'value="01/09/2024"' in page  # what was typed stays
    assert fresh(world.member).branch == world.branch


def test_leaving_keeps_the_record_searchable(world):
    client = world.client(Role.OFFICER)
    client.post(
        f"/members/{world.other_member.pk}/leave/",
        {"status": Status.DECEASED, "effective_on": "10/10/2024", "reason": "Giấy báo tử"},
    )
    member = fresh(world.other_member)
    assert member.status == Status.DECEASED and member.left_on == datetime.date(2024, 10, 10)
    listing = client.get("/members/", {"q": "binh"}).content.decode()
    assert "Trần Thị Bình" not in listing.split('id="members"')[1]
    former = client.get("/members/", {"q": "binh", "status": "left"}).content.decode()
    assert "Trần Thị Bình" in former.split('id="members"')[1]
    assert branch_on(member, datetime.date(2024, 10, 11)) is None


def test_exemption_and_return(world):
    client = world.client(Role.SECRETARY)
    client.post(f"/members/{world.member.pk}/exempt/", {"effective_on": "01/03/2024"})
    assert fresh(world.member).exempt_since == datetime.date(2024, 3, 1)
    client.post(f"/members/{world.member.pk}/end-exemption/", {"effective_on": "01/03/2025"})
    assert fresh(world.member).exempt_since is None


def test_inspector_cannot_act(world):
    client = world.client(Role.INSPECTOR)
    assert client.get(f"/members/{world.member.pk}/").status_code == 200
    response = client.post(
        f"/members/{world.member.pk}/leave/",
        {"status": Status.REMOVED, "effective_on": "01/01/2024"},
    )
    assert response.status_code == 403  # a record the inspector reads: told it is read-only
    assert fresh(world.member).status == Status.OFFICIAL
