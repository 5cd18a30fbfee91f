"""Who is on a meeting's roll and how it is called: members exempted from activities are listed
but not expected, a member hosted for a while attends where hosted (and is away at home), two
phones calling one roll never overwrite each other unseen; who may meet as what."""

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.meetings.models import Meeting
from dangvien.members.services import end_exemption
from dangvien.transfers.models import Direction, Transfer, TransferKind, TransferStatus
from tests.factories import MemberFactory
from tests.meetings.steps import call_roll, prepare
from tests.transfers.steps import ONE_DAY, today


def test_exempt_and_hosted_members_on_the_roll(world):
    secretary = world.client(Role.SECRETARY)
    elder = MemberFactory(
        code="DV-GIA",
        full_name="Vũ Văn Già",
        branch=world.branch,
        exempt_since=today() - ONE_DAY * 400,
    )
    Transfer.unscoped.create(
        member=world.other_member,
        kind=TransferKind.TEMPORARY,
        direction=Direction.WITHIN,
        from_branch=world.other_branch,
        from_path=world.other_branch.path,
        to_branch=world.branch,
        to_path=world.branch.path,
        trigger_on=today() - ONE_DAY * 40,
        letter_issued_on=today() - ONE_DAY * 35,
        arrived_on=today() - ONE_DAY * 30,
        temporary_until=today() + ONE_DAY * 90,
        status=TransferStatus.ARRIVED,
    )
    prepare(secretary, world.branch.code, today())
    meeting = Meeting.unscoped.get()
    page = secretary.get(f"/meetings/{meeting.pk}/attendance/").content.decode()
    assert "Trần Thị Bình" in page and "sinh hoạt tạm thời" in page
    assert "Được miễn sinh hoạt" in page

    refused = call_roll(secretary, meeting, {world.member: "mien"})
    assert refused.status_code == 400 and "không được miễn sinh hoạt" in refused.content.decode()
    done = call_roll(
        secretary, meeting, {world.member: "co_mat", world.other_member: "vang_khong_ly_do"}
    )
    assert done.status_code == 302
    meeting.refresh_from_db()
    # The exempt member is not expected: two of the three listed are.
    assert (meeting.expected_count, meeting.present_count) == (2, 1)
    # The roll keeps the exemption of that day: ending it later does not change the roll.
    assert list(elder.attendance.values_list("status", flat=True)) == ["mien"]
    end_exemption(world.users[Role.OFFICER], elder, Decision(today(), "3-QĐ/CB", body="Chi bộ"))
    again = secretary.get(f"/meetings/{meeting.pk}/attendance/").content.decode()
    assert "Được miễn sinh hoạt" in again and "chưa điểm danh" not in again

    # At home, the hosted member is away that day.
    officer = world.client(Role.OFFICER)
    prepare(officer, world.other_branch.code, today())
    home = Meeting.unscoped.get(organization=world.other_branch)
    home_page = officer.get(f"/meetings/{home.pk}/attendance/").content.decode()
    assert "Sinh hoạt tạm thời nơi khác" in home_page
    assert call_roll(officer, home, {world.other_member: "co_mat"}).status_code == 302


def test_two_phones_calling_one_roll(world):
    second = MemberFactory(code="DV-TRONG-9", full_name="Đỗ Thị Mai", branch=world.branch)
    prepare(world.client(Role.SECRETARY), world.branch.code, today())
    meeting = Meeting.unscoped.get()
    first_phone, second_phone = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    url = f"/meetings/{meeting.pk}/attendance/"
    shown = {f"shown-{m.pk}": "" for m in (world.member, second)}
    shown |= {f"shown-reason-{m.pk}": "" for m in (world.member, second)}
    ok = second_phone.post(url, {**shown, f"status-{world.member.pk}": "co_mat"})
    assert ok.status_code == 302
    # The first phone still shows the roll as it was: in one save, its mark of the member the
    # other phone marked is left as the other phone marked it, and named; its mark of another
    # member is saved.
    clash = first_phone.post(
        url,
        {
            **shown,
            f"status-{world.member.pk}": "vang_khong_ly_do",
            f"status-{second.pk}": "co_mat",
        },
        follow=True,
    )
    page = clash.content.decode()
    assert "người khác đã điểm danh Nguyễn Văn An" in page
    assert "Đã lưu điểm danh (1 đảng viên thay đổi)." in page
    statuses = dict(meeting.attendance.values_list("member__code", "status"))
    assert statuses == {"DV-TRONG-1": "co_mat", "DV-TRONG-9": "co_mat"}


def test_who_may_meet_as_what(world):
    officer = world.client(Role.OFFICER)
    # A branch of fewer than 9 official members elects no committee (Điều lệ Đảng Điều 21).
    committee = prepare(officer, world.branch.code, today(), body="cap_uy")
    assert committee.status_code == 400 and "không bầu chi ủy" in committee.content.decode()
    # Above a base organisation the members do not meet as a whole, not even in congress (one
    # of delegates); its committee meets.
    for kind in ("dinh_ky", "dai_hoi"):
        whole = prepare(officer, world.upper.code, today(), kind=kind)
        assert whole.status_code == 400 and "không họp toàn thể" in whole.content.decode()
    assert prepare(officer, world.upper.code, today(), body="cap_uy").status_code == 302
    # Who chairs is a member of the branch that day.
    outsider = prepare(officer, world.branch.code, today(), chair=str(world.other_member.pk))
    assert outsider.status_code == 400
    # The base organisation's plenary: the members of its branches are on its roll.
    assert prepare(officer, world.base.code, today()).status_code == 302
    plenary = Meeting.unscoped.get(organization=world.base)
    page = officer.get(f"/meetings/{plenary.pk}/attendance/").content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
