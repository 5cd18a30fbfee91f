"""`dangvien import members`: an official date 12 months minus a day after admission is refused,
exactly 12 months is accepted; the length is the rule set's in force at admission."""

import datetime

from django.utils import timezone

from dangvien.core.roles import Role
from dangvien.core.rules import add_months, default_values
from dangvien.core.services import save_rule_set
from dangvien.members.models import Member
from tests.assessments.commands import run_import
from tests.members.test_import_members import row
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx

ONE_DAY = datetime.timedelta(days=1)


def dates(admitted: datetime.date, official: datetime.date) -> dict:
    return {"admitted": f"{admitted:%d/%m/%Y}", "official": f"{official:%d/%m/%Y}"}


def test_one_day_short_of_twelve_months_is_refused_and_twelve_months_accepted(world, tmp_path):
    admitted = add_months(timezone.localdate(), -24)
    due = add_months(admitted, 12)
    short = write_xlsx(
        tmp_path / "short.xlsx", MEMBER_HEADERS, [row("B1", **dates(admitted, due - ONE_DAY))]
    )
    status, out, _err = run_import("members", short)
    assert status == 1
    assert (f"ngày chính thức trước khi hết 12 tháng dự bị (sớm nhất {due:%d/%m/%Y})") in out
    assert not Member.unscoped.filter(code="B1").exists()

    exact = write_xlsx(tmp_path / "exact.xlsx", MEMBER_HEADERS, [row("B1", **dates(admitted, due))])
    assert run_import("members", exact)[0] == 0
    assert Member.unscoped.get(code="B1").official_on == due


def test_the_length_is_the_rule_sets_in_force_at_admission(world, tmp_path):
    admitted = add_months(timezone.localdate(), -30)
    save_rule_set(
        world.users[Role.ADMIN],
        None,
        name="Quy định thử: dự bị 18 tháng",
        effective_from=admitted - datetime.timedelta(days=30),
        values=default_values() | {"probation_months": 18},
    )
    twelve, eighteen = add_months(admitted, 12), add_months(admitted, 18)
    rows = [row("R1", **dates(admitted, twelve)), row("R2", **dates(admitted, eighteen))]
    status, out, _err = run_import("members", write_xlsx(tmp_path / "r.xlsx", MEMBER_HEADERS, rows))
    assert status == 1
    assert f"ngày chính thức trước khi hết 18 tháng dự bị (sớm nhất {eighteen:%d/%m/%Y})" in out
    assert out.count("tháng dự bị") == 1  # R2, exactly 18 months, is fine
