"""The candidate pool: a secretary adds outstanding non-members of the branch, the list filters
them by stage, class and name (without diacritics) in Vietnamese order, within the scope."""

import datetime

from dangvien.admissions.candidates import services
from dangvien.admissions.models import Candidate, Stage
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.admissions.workflow import new_candidate, today, years_ago
from tests.conftest import OUTSIDE_MARK
from tests.factories import MemberFactory

NEW = "/admissions/candidates/new/"


def d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def form(branch, **values) -> dict:
    return {
        "branch_code": branch.code,
        "selected_on": d(today()),
        "full_name": "Lò Thị Mai",
        "gender": "Nữ",
        "birth_date": "12/03/2001",
        "ethnicity": "Thái",
        "citizen_id": "014301000123",
        "general_education": "12/12",
        "workplace": "Trường Tiểu học Hòa Bình",
        **values,
    }


def names_on(page) -> list[str]:
    body = page.content.decode()
    table = body.split('id="candidates"')[1].split("</table>")[0]
    links = table.split('href="/admissions/candidates/')[1:]
    return [part.split("</a>")[0].split(">")[-1] for part in links]


def test_secretary_adds_a_candidate_to_the_branch(world):
    client = world.client(Role.SECRETARY)
    page = client.get(NEW).content.decode()
    assert f'value="{world.branch.code}"' in page  # the only branch, already chosen
    assert world.other_branch.code not in page
    response = client.post(NEW, form(world.branch))
    candidate = Candidate.unscoped.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admissions/candidates/{candidate.pk}/"
    assert (candidate.organization, candidate.org_path, candidate.stage) == (
        world.branch,
        world.branch.path,
        Stage.POOL,
    )
    assert (candidate.birth_date, candidate.ethnicity) == (datetime.date(2001, 3, 12), "Thái")
    detail = client.get(response["Location"]).content.decode()
    assert "Đã thêm Lò Thị Mai vào nguồn kết nạp." in detail
    assert "12/03/2001" in detail and "Quần chúng ưu tú" in detail
    assert AuditEntry.unscoped.filter(action="candidate.create", target_id=candidate.pk).exists()


def test_only_branches_the_user_manages(world):
    secretary = world.client(Role.SECRETARY)
    refused = secretary.post(NEW, form(world.other_branch)).content.decode()
    assert "Không tìm thấy chi bộ có mã này trong phạm vi quản lý của bạn." in refused
    officer = world.client(Role.OFFICER)
    outside = officer.post(NEW, form(world.outside_branch)).content.decode()
    assert "Không tìm thấy chi bộ có mã này trong phạm vi quản lý của bạn." in outside
    not_a_branch = officer.post(NEW, form(world.base)).content.decode()
    assert "không phải chi bộ đang hoạt động" in not_a_branch
    assert world.client(Role.INSPECTOR).get(NEW).status_code == 403
    assert not Candidate.unscoped.exists()


def test_the_candidates_data_is_checked(world):
    client = world.client(Role.SECRETARY)
    bad_id = client.post(NEW, form(world.branch, citizen_id="12345")).content.decode()
    assert "Số CCCD phải gồm đúng 12 chữ số." in bad_id
    future = d(today() + datetime.timedelta(days=3))
    unborn = client.post(NEW, form(world.branch, birth_date=future)).content.decode()
    assert "Ngày sinh không thể ở tương lai." in unborn
    MemberFactory(branch=world.branch, citizen_id="001085000111")
    member_id = client.post(NEW, form(world.branch, citizen_id="001085000111")).content.decode()
    assert "Số CCCD 001085000111 đã có trong hệ thống." in member_id
    assert not Candidate.unscoped.exists()


def test_list_in_vietnamese_order_with_filters(world):
    secretary = world.users[Role.SECRETARY]
    for index, name in enumerate(("Lê Văn Bình", "Đỗ Thị Ân", "Phạm An")):
        new_candidate(world, full_name=name, citizen_id=f"00120001000{index}")
    attended = Candidate.unscoped.get(full_name="Đỗ Thị Ân")
    services.record_awareness_class(secretary, attended, attended_on=today())
    client = world.client(Role.OFFICER)
    assert names_on(client.get("/admissions/candidates/")) == [
        "Phạm An",
        "Đỗ Thị Ân",
        "Lê Văn Bình",
    ]
    assert names_on(client.get("/admissions/candidates/", {"q": "DO THI AN"})) == ["Đỗ Thị Ân"]
    assert names_on(client.get("/admissions/candidates/", {"attended": "yes"})) == ["Đỗ Thị Ân"]
    assert names_on(client.get("/admissions/candidates/", {"attended": "no"})) == [
        "Phạm An",
        "Lê Văn Bình",
    ]
    sympathisers = client.get("/admissions/candidates/", {"stage": Stage.SYMPATHISER})
    assert names_on(sympathisers) == ["Đỗ Thị Ân"]
    by_org = client.get("/admissions/candidates/", {"org": world.other_branch.code})
    assert names_on(by_org) == []
    assert "3 quần chúng" in client.get("/admissions/candidates/").content.decode()


def test_withdrawn_candidates_leave_the_open_list(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    url = f"/admissions/candidates/{candidate.pk}/withdraw/"
    assert "Cần ghi lý do dừng xem xét." in client.post(url, {"reason": " "}).content.decode()
    response = client.post(url, {"reason": "Chuyển công tác ra ngoài tỉnh"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Stage.WITHDRAWN
    assert names_on(client.get("/admissions/candidates/")) == []
    assert names_on(client.get("/admissions/candidates/", {"stage": "withdrawn"})) == [
        candidate.full_name
    ]
    detail = client.get(f"/admissions/candidates/{candidate.pk}/").content.decode()
    assert "Chuyển công tác ra ngoài tỉnh" in detail and "Dừng xem xét" in detail


def test_scope_of_the_list(world):
    new_candidate(world)
    services.create_candidate(
        world.users["outside_officer"],
        organization=world.outside_branch,
        values={
            "full_name": f"Quần Chúng {OUTSIDE_MARK}",
            "gender": "Nam",
            "birth_date": years_ago(30),
        },
        selected_on=today(),
    )
    for role in (Role.OFFICER, Role.SECRETARY, Role.INSPECTOR):
        page = world.client(role).get("/admissions/candidates/")
        assert names_on(page) == ["Phạm Thị Quần Chúng"]
    assert world.client(Role.MEMBER).get("/admissions/candidates/").status_code == 403
    outside = Candidate.unscoped.get(org_path=world.outside_branch.path)
    assert (
        world.client(Role.OFFICER).get(f"/admissions/candidates/{outside.pk}/").status_code == 404
    )


def test_index_counts_candidates_by_stage(world):
    new_candidate(world)
    services.record_awareness_class(
        world.users[Role.SECRETARY],
        new_candidate(world, full_name="Vi Văn Hai", citizen_id="001200099999"),
        attended_on=today(),
    )
    page = world.client(Role.OFFICER).get("/admissions/").content.decode()
    assert "2 quần chúng đang được xem xét" in page
    assert 'href="/admissions/candidates/?stage=sympathiser"><span class="stat-value">1<' in page
    assert 'href="/admissions/candidates/?stage=pool"><span class="stat-value">1<' in page


def test_secretary_corrects_the_candidates_data(world):
    candidate = new_candidate(world)
    client = world.client(Role.SECRETARY)
    url = f"/admissions/candidates/{candidate.pk}/edit/"
    response = client.get(url)
    assert 'value="Phạm Thị Quần Chúng"' in response.content.decode()
    data = {
        "version": response.context["form"]["version"].value(),  # as the page sends it
        "full_name": "Phạm Thị Quần Chúng",
        "gender": "Nữ",
        "birth_date": d(candidate.birth_date),
        "ethnicity": "Nùng",
        "citizen_id": candidate.citizen_id,
        "general_education": "12/12",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.ethnicity == "Nùng"
    entry = AuditEntry.unscoped.get(action="candidate.update")
    assert entry.changes["ethnicity"] == ["Tày", "Nùng"]
    assert world.client(Role.INSPECTOR).get(url).status_code == 404


def test_the_list_pages_keep_the_filters(world):
    for n in range(51):
        Candidate(
            organization=world.branch,
            org_path=world.branch.path,
            full_name=f"Quần Chúng Số {n:02d}",
            gender="Nam",
            birth_date=datetime.date(2000, 1, 1),
            selected_on=datetime.date(2025, 1, 1),
        ).save()
    page = world.client(Role.SECRETARY).get("/admissions/candidates/", {"q": "quan chung"})
    html = page.content.decode()
    assert "Trang 1/2 · 51 mục" in html
    assert 'href="?q=quan+chung&amp;page=2"' in html
