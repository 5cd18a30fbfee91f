"""An officer records an award of a member and of an organisation, corrects one and annuls one
with a reason; the member's page (their own included), the organisation's page and the list of
the subtree with its filters and its workbook show them; nothing is deleted."""

import io

from openpyxl import load_workbook

from dangvien.awards.models import Award
from dangvien.core import versions
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.awards.steps import AWARD_POST


def _version(client, url):
    page = client.get(url).content.decode()
    start = page.index('name="version" value="') + len('name="version" value="')
    return page[start : page.index('"', start)]


def test_an_officer_records_corrects_and_annuls_awards(world):
    officer = world.client(Role.OFFICER)
    response = officer.post(f"/awards/member/{world.member.pk}/new/", AWARD_POST)
    assert response.status_code == 302
    award = Award.unscoped.get(member=world.member)
    assert (award.subject_path, award.unit, award.created_by) == (
        world.branch.path,
        world.branch,
        world.users[Role.OFFICER],
    )
    response = officer.post(
        f"/awards/org/{world.base.code}/new/",
        {
            **AWARD_POST,
            "form": "khac",
            "form_other": "Cờ truyền thống",
            "year_from": "2025",
            "year_to": "",
            "title": "Tổ chức đảng trong sạch, vững mạnh tiêu biểu năm 2025",
            "decision_number": "151-QĐ/TU",
        },
    )
    assert response.status_code == 302
    org_award = Award.unscoped.get(organization=world.base)
    assert (org_award.form_label, org_award.years_label) == ("Cờ truyền thống", "năm 2025")

    # The member reads their own award on their record page; the organisation's page shows its own.
    own = world.client(Role.MEMBER).get(f"/members/{world.member.pk}/").content.decode()
    assert 'id="awards"' in own and "Bằng khen" in own and "2021–2025" in own
    assert f"awards/{award.pk}/correct" not in own  # a member changes nothing
    assert "Cờ truyền thống" in officer.get(f"/orgs/{world.base.code}/").content.decode()

    # A correction needs its reason and the version read; it is in the award's history.
    url = f"/awards/{award.pk}/correct/"
    token = _version(officer, url)
    changed = {**AWARD_POST, "level": "trung_uong", "version": token}
    assert officer.post(url, changed).status_code == 400  # no reason
    response = officer.post(url, {**changed, "correction_reason": "Ghi nhầm cấp khen"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.level == "trung_uong"
    entry = AuditEntry.unscoped.filter(action="awards.correct", target_id=award.pk).get()
    assert entry.reason == "Ghi nhầm cấp khen" and entry.changes["level"] == ["tinh", "trung_uong"]
    page = officer.get(f"/members/{world.member.pk}/").content.decode()
    assert "Sửa khen thưởng" in page and "Ghi nhầm cấp khen" in page  # the award's history
    # The page read before the correction is stale.
    response = officer.post(url, {**changed, "level": "tinh", "correction_reason": "Lại"})
    assert response.status_code == 400  # refused, nothing saved
    award.refresh_from_db()
    assert award.level == "trung_uong"

    # Annulling asks for confirmation and a reason; the award stays, marked.
    url = f"/awards/{award.pk}/annul/"
    page = officer.get(url).content.decode()
    assert "không còn được tính" in page
    token = versions.token(award)
    assert officer.post(url, {"version": token, "reason": ""}).status_code == 400
    assert (
        officer.post(url, {"version": token, "reason": "Quyết định bị thu hồi"}).status_code == 302
    )
    award.refresh_from_db()
    assert award.annulled_at is not None and award.annul_reason == "Quyết định bị thu hồi"
    assert Award.unscoped.count() == 2


def test_refusals_name_what_is_wrong(world):
    officer = world.client(Role.OFFICER)
    url = f"/awards/member/{world.member.pk}/new/"
    cases = [
        ({"year_from": "2005", "year_to": "2006"}, "vào Đảng năm 2010"),
        ({"year_to": "2027"}, "năm khen không thể sau năm quyết định"),
        ({"form": "khac"}, "ghi tên hình thức"),
        ({"decided_on": "01/01/2099"}, "ở tương lai"),
    ]
    for change, said in cases:
        response = officer.post(url, {**AWARD_POST, **change})
        assert response.status_code == 400 and said in response.content.decode(), change
    assert officer.post(url, AWARD_POST).status_code == 302
    response = officer.post(url, AWARD_POST)
    assert response.status_code == 400 and "Đã ghi khen thưởng theo quyết định số" in (
        response.content.decode()
    )
    # A secretary proposes but does not record awards; a member records nothing.
    assert world.client(Role.SECRETARY).post(url, AWARD_POST).status_code == 403
    assert world.client(Role.MEMBER).post(url, AWARD_POST).status_code in (403, 404)
    assert Award.unscoped.count() == 1


def test_the_list_filters_and_exports_the_subtree(world):
    officer = world.client(Role.OFFICER)
    officer.post(f"/awards/member/{world.member.pk}/new/", AWARD_POST)
    officer.post(
        f"/awards/member/{world.other_member.pk}/new/",
        {
            **AWARD_POST,
            "form": "giay_khen",
            "level": "co_so",
            "year_from": "2019",
            "year_to": "2019",
            "title": "Đảng viên hoàn thành xuất sắc nhiệm vụ năm 2019",
            "decision_number": "=HYPERLINK(1)",
        },
    )
    base = f"/awards/org/{world.upper.code}/"
    page = officer.get(base).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" in page
    page = officer.get(base, {"year": "2022"}).content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page
    page = officer.get(base, {"form": "giay_khen", "level": "co_so"}).content.decode()
    assert "Nguyễn Văn An" not in page and "Trần Thị Bình" in page
    # The secretary's subtree is their branch only.
    page = world.client(Role.SECRETARY).get(f"/awards/org/{world.branch.code}/").content.decode()
    assert "Nguyễn Văn An" in page and "Trần Thị Bình" not in page

    response = officer.get(f"{base}export.xlsx", {"year": "2019"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][0] == "Mã đảng viên" and len(rows) == 2
    assert rows[1][2] == "Trần Thị Bình" and rows[1][9] == "'=HYPERLINK(1)"
