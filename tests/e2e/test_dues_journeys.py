"""Browser journey of party dues: the branch's treasurer collects a month's dues on a phone
(issue 17's acceptance): the sheet fits the screen, the portal's transaction reference is asked
for, the member's card then says what was paid."""

import datetime

import pytest

from dangvien.core.roles import Role
from dangvien.dues.models import Category, DuesBasis, DuesPayment
from tests.conftest import build_world
from tests.e2e.conftest import shot
from tests.e2e.test_assessment_journeys import _phone
from tests.factories import user_with_role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MONTH = (2026, 5)


def test_the_treasurer_collects_a_month_on_a_phone(browser, live_server, transactional_db):
    world = build_world()
    user_with_role(Role.TREASURER, world.branch, "thuquy")
    DuesBasis.unscoped.create(
        member=world.member,
        from_month=datetime.date(2025, 1, 1),
        category=Category.SALARY,
        base_amount=8_500_000,
    )
    context, phone = _phone(browser, live_server, "thuquy")
    phone.goto(f"{phone.base}/dues/branch/{world.branch.code}/{MONTH[0]}-{MONTH[1]:02d}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the sheet is {width}px wide on a 390px phone"
    card = phone.locator(f"#row-{world.member.pk}")
    assert "phải đóng 85.000" in card.inner_text()
    submit = card.locator("button[type=submit]")
    assert submit.bounding_box()["height"] >= 44  # a thumb's target

    card.locator("text=Cổng Dịch vụ công quốc gia").click()
    with phone.expect_navigation():
        submit.click()
    assert "ghi mã giao dịch" in phone.locator(f"#row-{world.member.pk}").inner_text()
    phone.locator(f"#row-{world.member.pk} input[name$='-reference']").fill("DVC-2026-05-0001")
    with phone.expect_navigation():
        phone.locator(f"#row-{world.member.pk} button[type=submit]").click()
    assert "Đã nộp 85.000 đồng" in phone.locator(f"#row-{world.member.pk}").inner_text()
    shot(phone, "dues-sheet-phone")
    context.close()
    payment = DuesPayment.unscoped.get(member=world.member)
    assert (payment.amount, payment.channel, payment.reference) == (
        85_000,
        "cong_dvc",
        "DVC-2026-05-0001",
    )
