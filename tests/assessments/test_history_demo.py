"""The demo's assessments: five closed past years within the rules, this year's round under way,
and the multi-year pages showing the streaks and screening cases the demo was built with."""

import pytest
from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from dangvien.accounts import demo as accounts_demo
from dangvien.assessments import demo
from dangvien.assessments.models import Commitment, MemberAssessment, OrgAssessment, Round
from dangvien.assessments.services import excellent_cap
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import BASE_KINDS, BRANCH_KINDS, Organization


@pytest.fixture
def demo_world(demo_data):
    """The first and the last of the demo's five closed years (the demo is loaded once)."""
    today = timezone.localdate()
    return today.year - 5, today.year - 1


def _login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=accounts_demo.DEMO_PASSWORD)
    return client


def test_demo_grades_past_years_within_the_rules_and_this_year_is_under_way(demo_world):
    first, last = demo_world
    for year in range(first, last + 1):
        counts = MemberAssessment.unscoped.filter(year=year).aggregate(
            graded=Count("pk", filter=~Q(grade="")),
            excellent=Count("pk", filter=Q(grade="xuat_sac")),
            good=Count("pk", filter=Q(grade="tot")),
            not_completed=Count("pk", filter=Q(grade="khong_hoan_thanh")),
        )
        assert 0.05 < counts["excellent"] / counts["graded"] < 0.11
        assert 0.70 < counts["good"] / counts["graded"] < 0.85
        assert 0 < counts["not_completed"] / counts["graded"] < 0.03
        past_round = Round.unscoped.get(organization__code="SH", year=year)
        assert past_round.status == "closed"
        assert timezone.localtime(past_round.opened_at).year == year  # not the demo's load day
        for base in Organization.unscoped.filter(kind__in=BASE_KINDS):
            base_counts = MemberAssessment.unscoped.filter(
                year=year, branch_path__startswith=base.path
            ).aggregate(
                excellent=Count("pk", filter=Q(grade="xuat_sac")),
                good=Count("pk", filter=Q(grade="tot")),
            )
            assert base_counts["excellent"] <= excellent_cap(base_counts["good"], year)
        graded_orgs = OrgAssessment.unscoped.filter(year=year).count()
        assert (
            graded_orgs == Organization.unscoped.filter(kind__in=BASE_KINDS | BRANCH_KINDS).count()
        )
    exempt = Member.unscoped.filter(exempt_since__year__lt=last).first()
    assert exempt.assessments.get(year=last).not_graded == "exempt"
    assert not exempt.assessments.get(year=last).grade

    # This year: the round is open, with commitments, self-assessments and some proposals.
    year = last + 1
    assert Round.unscoped.get(organization__code="SH", year=year).is_open
    active = Member.unscoped.filter(status__in=ACTIVE_STATUSES).count()
    assert Commitment.unscoped.filter(year=year).count() > 0.75 * active
    this_year = MemberAssessment.unscoped.filter(year=year)
    assert this_year.filter(self_submitted_at__isnull=False).count() > 0.3 * active
    assert this_year.exclude(proposed_grade="").exists()
    assert not this_year.exclude(grade="").exists()
    secretary_branch = this_year.filter(branch__code=demo.SECRETARY_BRANCH)
    assert secretary_branch.exists() and not secretary_branch.exclude(proposed_grade="").exists()


def test_demo_streaks_screening_cases_and_grades_on_the_profile(demo_world):
    last = demo_world[1]
    page = _login("tinhuy").get(f"/assessments/streaks/?years=5&until={last}").content.decode()
    table = page[page.index('id="streaks"') : page.index("</table>")]
    shown = {row.split('href="/orgs/')[1].split("/")[0] for row in table.split("<tr")[2:]}
    assert shown == set(demo.STREAK_BRANCHES)
    page = _login("tinhuy").get(f"/assessments/streaks/?years=4&until={last}").content.decode()
    assert f"/orgs/{demo.NEAR_STREAK_BRANCH}/" in page

    province = _login("tinhuy").get(f"/assessments/screening/?year={last}").content.decode()
    ward = _login("hoabinh").get(f"/assessments/screening/?year={last}").content.decode()
    province_rows = province.count("Xem xét xóa tên")
    ward_rows = ward.count("Xem xét xóa tên")
    assert province_rows >= demo.TWICE_NOT_COMPLETED and 1 <= ward_rows < province_rows

    client = _login("dangvien")
    page = client.get(client.get("/members/me/")["Location"]).content.decode()
    card = page[page.index('id="member-grades"') :]
    record = Member.unscoped.get(user__username="dangvien")
    graded_years = list(record.assessments.filter(year__lte=last).values_list("year", flat=True))
    assert graded_years and all(f"<td>{year}</td>" in card for year in graded_years)
    assert f"Đăng ký năm {demo_world[1] + 1}" in card
