"""Shared steps of the dues tests: declaring a basis and paying through the pages."""

import re

from dangvien.accounts.models import User

MAY = (2026, 5)  # a month over on every clock day of the suite, under QĐ 01-QĐ/TW (2026)
SALARY = 10_000_000  # the BHXH salary of the previous month: 1% = 100.000 đồng


def sheet_url(branch, year: int, month: int) -> str:
    return f"/dues/branch/{branch.code}/{year}-{month:02d}/"


def declare(client, member, *, from_month="01/2025", category="luong_bhxh", base=SALARY, **extra):
    data = {"action": "basis", "from_month": from_month, "category": category}
    if base is not None:
        data["base_amount"] = str(base)
    data.update(extra)
    return client.post(f"/dues/member/{member.pk}/", data)


def pay(client, branch, member, year: int, month: int, **fields):
    prefix = f"m{member.pk}"
    data = {
        "row": str(member.pk),
        f"{prefix}-member": str(member.pk),
        f"{prefix}-months": "1",
        f"{prefix}-channel": "tien_mat",
        f"{prefix}-paid_on": f"10/{month:02d}/{year}",
    }
    data.update({f"{prefix}-{name}": value for name, value in fields.items()})
    return client.post(sheet_url(branch, year, month), data)


def figure(page: str, name: str) -> str:
    return re.search(rf'id="{name}"[^>]*>([^<]*)<', page)[1].strip()


def login(client, user: User):
    client.force_login(user)
    return client
