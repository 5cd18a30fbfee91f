"""The confirmations and explanations of badges and screening say the values of the rule set in
force, not numbers written into the text: a later rule set changes what they say."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import family_of

pytestmark = pytest.mark.django_db


def _rule_set(on: datetime.date, **values) -> None:
    families = {family_of(key) for key in values}
    for family in families:
        RuleSet.objects.create(
            name=f"Quy định thử nghiệm {family}",
            family=family,
            effective_from=on,
            values={k: v for k, v in values.items() if family_of(k) == family},
        )


def test_the_badge_proposal_says_the_ceremonies_and_the_early_award_of_the_rule_set(world):
    client = world.client(Role.SECRETARY)
    url = f"/badges/propose/{world.member.pk}/"
    page = client.get(url).content.decode()
    assert "trao vào ngày kỷ niệm 3/2, 19/5, 2/9 hoặc 7/11." in page
    assert "Trao sớm do ốm nặng: tối đa 12 tháng trước mốc (30–65 năm), 24 tháng (70–90 năm)" in (
        page
    )
    # A rule set in force from 01/01 of this year (so at the next ceremony, whichever it is):
    # every text follows it.
    first = datetime.date(timezone.localdate().year, 1, 1)
    _rule_set(
        first,
        badge_early_months_short=6,
        badge_early_short_until_years=50,
        badge_early_months_long=18,
        badge_ceremony_4_mmdd=1215,
    )
    page = client.get(url).content.decode()
    assert "trao vào ngày kỷ niệm 3/2, 19/5, 2/9 hoặc 15/12." in page
    assert "tối đa 6 tháng trước mốc (30–50 năm), 18 tháng (55–90 năm)" in page
    assert "12 tháng" not in page and "7/11" not in page


def test_the_screening_page_says_the_thresholds_of_the_year(world):
    client = world.client(Role.OFFICER)
    url = f"/screening/org/{world.upper.code}/?year=2025"
    page = client.get(url).content.decode()
    assert (
        "bỏ sinh hoạt đảng 3 tháng trong năm hoặc không đóng đảng phí 3 tháng trong năm không có "
        "lý do chính đáng; 2 năm liền không hoàn thành nhiệm vụ." in page
    )
    _rule_set(
        datetime.date(2025, 12, 1),
        meeting_absence_months_flag=4,
        dues_unpaid_months_flag=5,
        not_completed_years_flag=3,
    )
    page = client.get(url).content.decode()
    assert (
        "bỏ sinh hoạt đảng 4 tháng trong năm hoặc không đóng đảng phí 5 tháng trong năm không có "
        "lý do chính đáng; 3 năm liền không hoàn thành nhiệm vụ." in page
    )
    # The grounds in the exit statistics of 2025 are worded by the same rule set.
    exits = client.get(
        f"/screening/org/{world.upper.code}/exits/",
        {"year": 2025, "from_month": 1, "to_month": 12},
    ).content.decode()
    grounds = exits[exits.index('id="by-ground"') :]
    assert "(a) Bỏ sinh hoạt đảng 4 tháng trong năm không có lý do chính đáng" in grounds
    assert "(a) Không đóng đảng phí 5 tháng trong năm không có lý do chính đáng" in grounds
    assert "(d) 3 năm liền vi phạm tư cách đảng viên" in grounds
    # The year before keeps its own rule set.
    assert (
        "3 tháng trong năm"
        in client.get(f"/screening/org/{world.upper.code}/?year=2024").content.decode()
    )
