"""A branch collects a month's dues on its sheet (QĐ 01-QĐ/TW 2026; R5.1, R5.4): the amount due
by the rule set, cash or the portal with its reference, several months at once, no overwrite
between two collectors, corrections with a reason and the version read."""

import re

from dangvien.core.roles import Role
from dangvien.dues.models import DuesPayment
from tests.dues.helpers import MAY, declare, figure, pay, sheet_url


def _payments(member):
    return DuesPayment.unscoped.filter(member=member, annulled_at__isnull=True).order_by("month")


def test_the_secretary_collects_a_month_on_a_phone_sized_sheet(world):
    client = world.client(Role.SECRETARY)
    assert declare(client, world.member).status_code == 302
    page = client.get(sheet_url(world.branch, *MAY)).content.decode()
    # One card a member, big numeric inputs, the amount due by the rule set (1% of 10.000.000).
    assert 'name="viewport"' in page
    assert f'id="row-{world.member.pk}"' in page and 'inputmode="numeric"' in page
    assert figure(page, "sheet-due") == "100.000 đồng"
    assert "QĐ 01-QĐ/TW" in page

    response = pay(client, world.branch, world.member, *MAY)
    assert response.status_code == 302
    payment = _payments(world.member).get()
    assert (payment.amount, payment.channel, payment.branch_path) == (
        100_000,
        "tien_mat",
        world.branch.path,
    )
    page = client.get(sheet_url(world.branch, *MAY)).content.decode()
    assert figure(page, "sheet-paid") == "100.000 đồng"
    assert "Đã nộp 100.000 đồng" in page


def test_the_portal_needs_its_transaction_reference(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member)
    response = pay(client, world.branch, world.member, *MAY, channel="cong_dvc")
    assert response.status_code == 400
    assert "ghi mã giao dịch" in response.content.decode()
    assert not _payments(world.member).exists()
    response = pay(client, world.branch, world.member, *MAY, channel="cong_dvc", reference="DVC-1")
    assert response.status_code == 302
    assert _payments(world.member).get().reference == "DVC-1"


def test_a_month_paid_is_never_overwritten_by_a_second_collector(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member)
    pay(client, world.branch, world.member, *MAY)
    response = pay(client, world.branch, world.member, *MAY, amount="50000")
    assert response.status_code == 400
    assert "đã nộp tháng 05/2026" in response.content.decode()
    assert [p.amount for p in _payments(world.member)] == [100_000]


def test_several_months_at_once_early_or_late(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member, category="huu_tri", base=6_000_000)
    response = pay(client, world.branch, world.member, 2026, 2, months="3")
    assert response.status_code == 302
    # February under QĐ 342 (0,5% of the pension), March and April under QĐ 01 (the same 0,5%).
    assert [(p.month.month, p.amount) for p in _payments(world.member)] == [
        (2, 30_000),
        (3, 30_000),
        (4, 30_000),
    ]


def test_a_correction_needs_a_reason_and_the_version_read(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member)
    pay(client, world.branch, world.member, *MAY)
    payment = _payments(world.member).get()
    url = f"/dues/payment/{payment.pk}/correct/"
    page = client.get(url).content.decode()
    token = re.search(r'name="version" value="([^"]+)"', page)[1]
    data = {"amount": "120000", "channel": "tien_mat", "paid_on": "10/05/2026", "version": token}
    assert client.post(url, data).status_code == 400  # no reason
    assert client.post(url, {**data, "reason": "Ghi nhầm số tiền"}).status_code == 302
    payment.refresh_from_db()
    assert payment.amount == 120_000 and payment.version == 2
    # A second page opened before the correction carries the old version: refused.
    response = client.post(url, {**data, "amount": "90000", "reason": "Sửa lại"})
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.amount == 120_000


def test_annulling_a_month_makes_it_unpaid_again_and_keeps_it(world):
    client = world.client(Role.SECRETARY)
    declare(client, world.member)
    pay(client, world.branch, world.member, *MAY)
    payment = _payments(world.member).get()
    page = client.get(f"/dues/payment/{payment.pk}/annul/").content.decode()
    token = re.search(r'name="version" value="([^"]+)"', page)[1]
    url = f"/dues/payment/{payment.pk}/annul/"
    assert client.post(url, {"version": token}).status_code == 400
    assert client.post(url, {"version": token, "reason": "Ghi nhầm người"}).status_code == 302
    payment.refresh_from_db()
    assert payment.annulled_at is not None and payment.annul_reason == "Ghi nhầm người"
    page = client.get(sheet_url(world.branch, *MAY)).content.decode()
    assert f'id="collect-{world.member.pk}"' in page


def test_a_voluntary_higher_amount_needs_the_upper_committees_approval(world):
    client = world.client(Role.SECRETARY)
    response = declare(client, world.member, voluntary_amount="200000")
    assert response.status_code == 400
    assert "cấp ủy cấp trên trực tiếp" in response.content.decode()
    response = declare(
        client,
        world.member,
        voluntary_amount="200.000",
        approval_number="125-CV/ĐU",
        approval_body="Đảng ủy Trường Tiểu học Hòa Bình",
        approved_on="05/01/2025",
    )
    assert response.status_code == 302
    page = client.get(sheet_url(world.branch, *MAY)).content.decode()
    assert figure(page, "sheet-due") == "200.000 đồng"  # above the 1% (100.000)
