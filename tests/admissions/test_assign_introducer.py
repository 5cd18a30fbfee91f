"""The awareness class and the members who help a candidate: assigned by member code, official
members only, and their introduction letters after 12 months beside the applicant."""

import datetime

from dangvien.admissions.models import Introducer, Stage
from dangvien.core.roles import Role
from dangvien.members.models import Status
from tests.admissions.workflow import new_candidate, today, years_ago
from tests.factories import MemberFactory


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def page_of(client, candidate) -> str:
    return client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()


def assign(client, candidate, member, *, together_since=None):
    return client.post(
        f"/admissions/candidates/{candidate.pk}/introducers/",
        {
            "member_code": member.code,
            "assigned_on": d(today() - datetime.timedelta(days=10)),
            "together_since": d(together_since or years_ago(2)),
        },
    )


def test_secretary_records_the_awareness_class(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    url = f"/admissions/candidates/{candidate.pk}/class/"
    future = d(today() + datetime.timedelta(days=1))
    refused = client.post(url, {"attended_on": future})
    assert refused.status_code == 400
    assert "Ngày cấp giấy chứng nhận không thể ở tương lai." in refused.content.decode()
    attended = today() - datetime.timedelta(days=30)
    response = client.post(
        url,
        {"attended_on": d(attended), "certificate_number": "125/GCN", "organiser": "TTCT phường"},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.class_attended_on, candidate.class_certificate_number) == (
        attended,
        "125/GCN",
    )
    assert candidate.stage == Stage.SYMPATHISER
    page = page_of(client, candidate)
    assert "Đã ghi nhận giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng." in page
    assert d(attended) in page and "125/GCN" in page
    assert world.client(Role.INSPECTOR).post(url, {"attended_on": d(attended)}).status_code == 403


def test_an_official_member_of_the_branch_is_assigned_by_code(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    page = page_of(client, candidate)
    # The picker offers the official members of the candidate's branch.
    assert f'<option value="{world.member.code}">{world.member.full_name}' in page
    response = assign(client, candidate, world.member)
    assert response.status_code == 302
    introducer = Introducer.objects.get(candidate=candidate)
    assert introducer.member == world.member
    page = page_of(client, candidate)
    assert f"Đã phân công {world.member.full_name} giúp đỡ {candidate.full_name}." in page
    assert f"({world.member.code})" in page


def test_a_probationary_member_is_refused_with_the_reason(world):
    candidate = new_candidate(world)
    probationary = MemberFactory(
        branch=world.branch,
        full_name="Đỗ Văn Dự Bị",
        admitted_on=today() - datetime.timedelta(days=100),
        official_on=None,
        status=Status.PROBATIONARY,
    )
    response = assign(world.client(Role.SECRETARY), candidate, probationary)
    assert response.status_code == 400
    assert (
        "Đỗ Văn Dự Bị là dự bị, không phải đảng viên chính thức: chỉ đảng viên chính thức được "
        "phân công giúp đỡ và giới thiệu người vào Đảng." in response.content.decode()
    )
    # The reason stands beside the member code the secretary typed, not above the form.
    assert (
        "chỉ đảng viên chính thức" in response.context["introducer_form"].errors["member_code"][0]
    )
    assert not Introducer.objects.exists()


def test_a_member_outside_the_users_scope_cannot_be_picked(world):
    candidate = new_candidate(world)
    secretary = world.client(Role.SECRETARY)
    for member in (world.other_member, world.outside_member):
        response = assign(secretary, candidate, member)
        assert "Không tìm thấy đảng viên có mã này trong phạm vi của bạn." in (
            response.content.decode()
        )
    assert not Introducer.objects.exists()


def test_the_introduction_letter_needs_12_months_beside_the_applicant(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    assign(client, candidate, world.member, together_since=today() - datetime.timedelta(days=200))
    introducer = Introducer.objects.get()
    url = f"/admissions/introducers/{introducer.pk}/introduction/"
    refused = client.post(url, {"introduced_on": d(today())})
    assert refused.status_code == 400
    assert "người giới thiệu phải cùng công tác, học tập hoặc cư trú ít nhất 12 tháng" in (
        refused.content.decode()
    )
    introducer.refresh_from_db()
    assert introducer.introduced_on is None


def test_the_introduction_letter_moves_the_file_on(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    assign(client, candidate, world.member)
    introducer = Introducer.objects.get()
    letter_on = today() - datetime.timedelta(days=2)
    response = client.post(
        f"/admissions/introducers/{introducer.pk}/introduction/", {"introduced_on": d(letter_on)}
    )
    assert response.status_code == 302
    introducer.refresh_from_db()
    candidate.refresh_from_db()
    assert (introducer.introduced_on, candidate.stage) == (letter_on, Stage.FILE)
    page = page_of(client, candidate)
    assert f"Đã ghi nhận giấy giới thiệu của {world.member.full_name}." in page
    assert f"Ngày {d(letter_on)}" in page
    history = page.split("<h2>Lịch sử thay đổi</h2>")[1]
    assert "Giấy giới thiệu (mẫu 3-KNĐ)" in history
    assert f"{world.member.full_name}: {d(letter_on)}" in history
    assert "Đảng viên giúp đỡ" in history


def test_two_introducers_at_most(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    helpers = [MemberFactory(branch=world.branch) for _ in range(3)]
    assign(client, candidate, helpers[0])
    assign(client, candidate, helpers[1])
    assert "Phân công đảng viên giúp đỡ</summary>" not in page_of(client, candidate)
    response = assign(client, candidate, helpers[2])
    assert "Mỗi người vào Đảng có hai đảng viên giới thiệu." in response.content.decode()
    assert Introducer.objects.count() == 2
