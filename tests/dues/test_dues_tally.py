"""The dues report and the reconciliation read a stored branch-month summary (dues/tally.py):
its figures are those of counting the records each time (tests/dues/reference.py), on varied
data written after the summary was built (a move mid-month, a leaving, an annulled and a
corrected payment, a basis changing mid-year, the exempt category, a valid reason), and equal
to the summary built afresh; a past year's report and reconciliation stay as they were after a
base organisation moves; a remittance recorded twice for one month is refused."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.roles import Role
from dangvien.core.scope import unscoped
from dangvien.dues import services, tally
from dangvien.dues.models import (
    Category,
    Channel,
    DuesMonthMover,
    DuesMonthTally,
    DuesOwedMonth,
    DuesOwedYear,
    DuesYearTally,
)
from dangvien.dues.remittances import remittances
from dangvien.dues.report import dues_report
from dangvien.dues.selectors import _active_below, _unpaid_counts, flag_threshold, unpaid_flags
from dangvien.members.models import Status
from dangvien.members.services import end_membership, transfer_member
from dangvien.organizations.models import whole_party
from dangvien.organizations.services import move_organization
from tests.dues.helpers import figure
from tests.dues.reference import reference_remittances, reference_report
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
JAN = datetime.date(YEAR, 1, 1)


def _month(number: int) -> datetime.date:
    return datetime.date(YEAR, number, 1)


def _figures(report) -> dict:
    rows = {
        row.org.pk if row.org else None: (
            row.members,
            row.undeclared,
            row.due,
            row.collected,
            row.payments,
            row.flagged,
        )
        for row in report.rows
    }
    total = report.total
    rows["total"] = (
        total.members,
        total.undeclared,
        total.due,
        total.collected,
        total.payments,
        total.flagged,
    )
    return rows


def _remit_figures(rows) -> list:
    return [
        (r.month, r.collected, r.received, r.keep_percent, r.to_remit, r.remitted) for r in rows
    ]


def _summary() -> tuple:
    """Every row of the summary, as comparable tuples."""
    return (
        sorted(
            DuesMonthTally.objects.values_list(
                "branch_id",
                "branch_path",
                "month",
                "members",
                "undeclared",
                "due",
                "collected",
                "payments",
            )
        ),
        sorted(
            DuesMonthMover.objects.values_list(
                "member_id", "branch_id", "branch_path", "month", "undeclared"
            )
        ),
        sorted(DuesOwedMonth.objects.values_list("member_id", "branch_id", "branch_path", "month")),
        sorted(
            tuple(row.values())
            for row in DuesYearTally.objects.values(
                *(f.name for f in DuesYearTally._meta.fields if f.name not in ("id", "branch"))
            )
        ),
        sorted(
            DuesOwedYear.objects.values_list(
                "member_id", "branch_id", "branch_path", "year", "months"
            )
        ),
    )


def _pay(branch, member, first: int, months: int, amount: int | None = None):
    return services.collect(
        None,
        branch,
        member,
        services.Collection(
            _month(first),
            Channel.CASH,
            datetime.date(YEAR, first, 10),
            amount=amount,
            months=months,
        ),
    )


def _varied(world) -> dict:
    """Members of the test world paying, not paying, moving and leaving through 2025."""
    branch, other = world.branch, world.other_branch
    people = {name: MemberFactory(branch=branch) for name in ("m1", "m2", "m3", "m4", "m5", "m6")}
    salary = services.Basis(JAN, Category.SALARY, 10_000_000)
    services.declare_basis(None, world.member, salary)
    services.declare_basis(
        None, world.other_member, services.Basis(JAN, Category.SALARY, 12_345_678)
    )
    services.declare_basis(None, world.outside_member, services.Basis(JAN, Category.STUDENT))
    # A basis changing mid-year: a salary until June, a pension from July.
    services.declare_basis(None, people["m1"], services.Basis(JAN, Category.SALARY, 8_000_000))
    services.declare_basis(
        None, people["m1"], services.Basis(_month(7), Category.PENSION, 6_000_001)
    )
    # A student until February, exempt from March (with the reason).
    services.declare_basis(None, people["m2"], services.Basis(JAN, Category.STUDENT))
    services.declare_basis(
        None, people["m2"], services.Basis(_month(3), Category.EXEMPT, note="Hoàn cảnh khó khăn")
    )
    # m3 never declared; m4 pays a voluntary higher amount approved above.
    services.declare_basis(
        None,
        people["m4"],
        services.Basis(
            JAN,
            Category.OTHER,
            voluntary_amount=50_000,
            approval_number="12-QĐ/ĐU",
            approved_on=datetime.date(2024, 12, 20),
        ),
    )
    services.declare_basis(None, people["m5"], services.Basis(JAN, Category.SALARY, 9_000_000))
    services.declare_basis(
        None, people["m6"], services.Basis(_month(2), Category.ALLOWANCE, 7_000_000)
    )
    # A basis declared by mistake and annulled.
    wrong = services.declare_basis(None, people["m6"], services.Basis(_month(5), Category.OTHER))
    services.annul_basis(None, wrong, reason="Khai nhầm")

    _pay(branch, world.member, 1, 12)
    _pay(other, world.other_member, 1, 6)
    _pay(world.outside_branch, world.outside_member, 1, 3)
    _pay(branch, people["m1"], 1, 5)
    services.excuse_month(None, people["m1"], _month(8), "Ốm dài ngày")
    paid = _pay(branch, people["m4"], 1, 4)
    services.annul_payment(None, paid[1], reason="Ghi nhầm tháng")
    services.correct_payment(
        None,
        paid[2],
        amount=60_000,
        channel=Channel.CASH,
        reference="",
        paid_on=paid[2].paid_on,
        reason="Nộp thêm",
    )
    _pay(branch, people["m3"], 2, 1, amount=3_000)  # undeclared: the amount typed
    # m5 moves to the other branch mid-April (on both sheets in April), pays there.
    transfer_member(
        world.users[Role.ADMIN],
        people["m5"],
        other,
        Decision(datetime.date(YEAR, 4, 15), "7-QĐ/ĐU", reason="Chuyển tổ"),
    )
    _pay(other, people["m5"], 4, 2)
    # m6 moves out of the upper committee in September, then m3 dies in October.
    transfer_member(
        world.users[Role.ADMIN],
        people["m6"],
        world.outside_branch,
        Decision(datetime.date(YEAR, 9, 10), "8-QĐ/ĐU", reason="Chuyển công tác"),
    )
    end_membership(
        world.users[Role.ADMIN],
        people["m3"],
        Status.DECEASED,
        Decision(datetime.date(YEAR, 10, 20), reason="Từ trần"),
    )
    return people


def _orgs(world) -> list:
    return [
        whole_party(),
        world.province,
        world.upper,
        world.base,
        world.branch,
        world.other_branch,
    ]


def test_the_summary_gives_the_figures_of_counting_the_records(world):
    this_year = timezone.localdate().year
    with unscoped():
        # Both years built before the writes: every figure below was kept by the writes.
        for year in (YEAR, this_year):
            dues_report(world.province, year)
        assert tally.built_years() == {YEAR, this_year}
        _varied(world)
        for org in _orgs(world):
            for year in (YEAR, this_year):
                for month in (None, *range(1, 13)):
                    expected = _figures(reference_report(org, year, month))
                    assert _figures(dues_report(org, year, month)) == expected, (org, year, month)
            for year in (YEAR, this_year):
                stored = [(f.member.pk, f.months_unpaid) for f in unpaid_flags(org, year)]
                where, params = _active_below(org)
                live = _unpaid_counts(where, params, year, at_least=flag_threshold(year))
                assert stored == [(pk, n) for pk, _path, n in live]
            for org_ in (world.base, world.branch, world.upper, world.other_branch):
                assert _remit_figures(remittances(org_, YEAR)) == _remit_figures(
                    reference_remittances(org_, YEAR)
                )
        report = dues_report(world.base, YEAR)
        assert report.total.due > 0 and report.total.flagged >= 2
        assert DuesMonthMover.objects.filter(month=_month(4)).count() == 2  # m5 in April
        # Kept by every write: the same rows as the summary built afresh.
        kept = _summary()
        for year in (YEAR, this_year):
            tally.build_year(year)
        assert _summary() == kept


def test_a_past_year_stays_as_it_was_after_a_base_organisation_moves(world):
    admin = world.users[Role.ADMIN]
    with unscoped():
        _varied(world)
        orgs = [whole_party(), world.province, world.upper, world.outside_upper, world.base]
        before = {
            (org.code, month): _figures(dues_report(org, YEAR, month))
            for org in orgs
            for month in (None, 4, 12)
        }
        remitted = {
            org.code: _remit_figures(remittances(org, YEAR))
            for org in (world.base, world.upper, world.outside_base, world.branch)
        }
        assert before[(world.upper.code, None)][world.base.pk][2] > 0  # the base's dues, 2025
    client = world.client(Role.ADMIN)
    url = f"/dues/report/{world.province.code}/?year={YEAR}"
    page = client.get(url).content.decode()
    upper_row = page.split(f'id="unit-{world.upper.code}"', 1)[1].split("</tr>", 1)[0]

    # The base organisation moves under the other upper committee (today, by the service).
    move_organization(admin, world.base, world.outside_upper, Decision(reason="Sắp xếp lại"))
    with unscoped():
        for org in orgs[1:]:  # the whole Party is no row
            org.refresh_from_db()
        after = {
            (org.code, month): _figures(dues_report(org, YEAR, month))
            for org in orgs
            for month in (None, 4, 12)
        }
        assert after == before
        # Counting by today's paths, as the report did, would have moved the base's 2025.
        assert _figures(reference_report(world.upper, YEAR)) != before[(world.upper.code, None)]
        assert {
            org.code: _remit_figures(remittances(org, YEAR))
            for org in (world.base, world.upper, world.outside_base, world.branch)
        } == remitted
        # This month's report follows the move: the base's members count under the other
        # committee (the months before it, under the one they were in then).
        today = timezone.localdate()
        now = dues_report(world.province, today.year, today.month)
        moved = {row.org.pk: row.members for row in now.rows}
        assert moved[world.upper.pk] == 0 and moved[world.outside_upper.pk] > 0
    again = client.get(url).content.decode()
    assert again.split(f'id="unit-{world.upper.code}"', 1)[1].split("</tr>", 1)[0] == upper_row


def test_a_remittance_is_recorded_once_a_month(world):
    secretary = world.client(Role.SECRETARY)
    url = f"/dues/remit/{world.branch.code}/?year=2026"
    data = {"month": "05/2026", "amount": "70000", "remitted_on": "20/05/2026", "reference": "PT"}
    assert secretary.post(url, data).status_code == 302
    response = secretary.post(url, data)  # the form sent twice
    assert response.status_code == 400
    assert "đã ghi khoản nộp cấp trên tháng 05/2026" in response.content.decode()
    page = secretary.get(url).content.decode()
    assert figure(page, "total-remitted") == "70.000"
    with pytest.raises(DomainError):
        services.record_remittance(
            None,
            world.branch,
            month=datetime.date(2026, 5, 9),
            amount=1,
            remitted_on=datetime.date(2026, 5, 20),
        )
