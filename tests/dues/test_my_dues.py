"""The member's own dues (issue 17 point 7), and the rule sets page shows the dues family."""

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from tests.dues.helpers import MAY, declare, figure, pay


def test_the_member_sees_their_months_paid_and_owed(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member, from_month="04/2026")
    pay(secretary, world.branch, world.member, *MAY, channel="cong_dvc", reference="DVC-778")
    page = world.client(Role.MEMBER).get(f"/dues/my/?year={MAY[0]}").content.decode()
    assert "Hưởng lương, đóng BHXH bắt buộc" in figure(page, "my-category")
    assert figure(page, "my-paid") == "100.000 đồng"
    assert "DVC-778" in page
    # Owed: every month shown from April (the record's start) but May, at 100.000 each.
    today = timezone.localdate()
    last = 12 if today.year > MAY[0] else today.month
    owed = 100_000 * (last - 4)
    assert figure(page, "my-owed") == f"{owed:,} đồng".replace(",", ".")
    assert "Chưa nộp" in page


def test_a_basis_declared_for_next_month_is_not_shown_as_the_one_in_force(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member, from_month="04/2026")
    following = add_months(timezone.localdate().replace(day=1), 1)
    declare(secretary, world.member, from_month=f"{following:%m/%Y}", category="huu_tri")
    page = world.client(Role.MEMBER).get("/dues/my/").content.decode()
    assert "Hưởng lương, đóng BHXH bắt buộc (từ tháng 04/2026)" in figure(page, "my-category")
    record = secretary.get(f"/members/{world.member.pk}/").content.decode()
    assert "Hưởng lương, đóng BHXH bắt buộc, mức căn cứ" in record


def test_the_rules_page_shows_the_dues_family(world):
    page = world.client(Role.ADMIN).get("/rules/").content.decode()
    assert "Đảng phí" in page
    assert "QĐ 342-QĐ/TW" in page and "QĐ 01-QĐ/TW" in page
    assert "Đảng phí của học sinh, sinh viên" in page
    form = world.client(Role.ADMIN).get("/rules/new/?family=dang_phi")
    assert form.status_code == 200
    assert "Đảng phí theo tiền lương đóng BHXH" in form.content.decode()


def test_the_member_page_has_a_dues_section(world):
    secretary = world.client(Role.SECRETARY)
    declare(secretary, world.member, from_month="01/2025")
    page = secretary.get(f"/members/{world.member.pk}/").content.decode()
    section = page.split('id="dues"', 1)[1].split("</section>", 1)[0]
    assert "Hưởng lương, đóng BHXH bắt buộc" in section and "10.000.000" in section
    assert f"/dues/member/{world.member.pk}/" in section
