"""Three months unpaid in a year without a valid reason raise the art. 8 flag (Điều lệ Đảng
Điều 8; R5.2): on the sheet, on the report, and through the selectors the screening calls."""

import datetime
import re

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.dues.models import DuesPayment, UnpaidExcuse
from dangvien.dues.selectors import member_unpaid_months, unpaid_flags
from tests.dues.helpers import declare, pay, sheet_url

YEAR = 2025  # a year over on every clock day of the suite


def _annul(client, payment):
    url = f"/dues/payment/{payment.pk}/annul/"
    token = re.search(r'name="version" value="([^"]+)"', client.get(url).content.decode())[1]
    assert client.post(url, {"version": token, "reason": "Ghi nhầm"}).status_code == 302


def test_the_third_unpaid_month_raises_the_flag(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member, from_month="01/2025")
    # January to October paid at once: November and December unpaid, two months, no flag.
    assert pay(client, world.branch, world.member, YEAR, 1, months="10").status_code == 302
    assert member_unpaid_months(world.member, YEAR) == 2
    assert unpaid_flags(world.upper, YEAR) == []

    # October's payment was a mistake: the third unpaid month.
    _annul(client, DuesPayment.unscoped.get(member=world.member, month=datetime.date(YEAR, 10, 1)))
    assert member_unpaid_months(world.member, YEAR) == 3
    flags = unpaid_flags(world.upper, YEAR)
    assert [(flag.member, flag.months_unpaid) for flag in flags] == [(world.member, 3)]
    page = client.get(sheet_url(world.branch, YEAR, 12)).content.decode()
    assert "Cảnh báo Điều 8 Điều lệ Đảng: 3 tháng" in page
    officer = world.client(Role.OFFICER)
    report = officer.get(f"/dues/report/{world.upper.code}/?year={YEAR}").content.decode()
    assert f'id="flag-{world.member.code}"' in report

    # A valid reason for one month lifts it.
    response = client.post(
        f"/dues/member/{world.member.pk}/",
        {"action": "excuse", "excuse-month": "11/2025", "excuse-reason": "Ốm nằm viện"},
    )
    assert response.status_code == 302
    assert member_unpaid_months(world.member, YEAR) == 2
    assert unpaid_flags(world.upper, YEAR) == []

    # The reason was recorded by mistake: annulled after a confirmation, kept with why, and the
    # month counts again.
    excuse = UnpaidExcuse.unscoped.get(member=world.member, month=datetime.date(YEAR, 11, 1))
    url = f"/dues/excuse/{excuse.pk}/annul/"
    confirm = client.get(url).content.decode()
    assert "11/2025" in confirm and "Ốm nằm viện" in confirm and "Điều 8" in confirm
    assert client.post(url, {"reason": ""}).status_code == 400  # a reason is required
    assert client.post(url, {"reason": "Đã đi làm bình thường"}).status_code == 302
    assert member_unpaid_months(world.member, YEAR) == 3
    assert [flag.member for flag in unpaid_flags(world.upper, YEAR)] == [world.member]
    member_page = client.get(f"/dues/member/{world.member.pk}/").content.decode()
    row = member_page.split(f'id="excuse-{excuse.pk}"')[1].split("</tr>")[0]
    assert "Đã hủy: Đã đi làm bình thường" in row
    entry = AuditEntry.unscoped.get(action="dues.excuse_annul", target_id=world.member.pk)
    assert entry.reason == "Đã đi làm bình thường"


def test_months_before_the_dues_record_began_and_exempt_months_are_not_counted(world):
    client = world.client(Role.SECRETARY)
    # No basis: the record has not begun, nothing counted (the sheet says «Chưa khai báo»).
    assert member_unpaid_months(world.member, YEAR) == 0
    declare(client, world.member, from_month="07/2025")
    assert member_unpaid_months(world.member, YEAR) == 6
    declare(client, world.member, from_month="09/2025", category="mien", base=None, note="Khó khăn")
    assert member_unpaid_months(world.member, YEAR) == 2  # July and August
