"""Browser journeys of a branch's votes (Điều lệ Đảng, Điều 4 and 5): a total of voters larger
than the branch's official members and a second vote on one day are refused at the top of the
page with the figures kept; a mistyped vote is corrected with its reason, shown in the history,
and counts once towards the three failures after which the upper level decides."""

import datetime

import pytest
from django.utils import timezone

from dangvien.core.rules import add_months
from dangvien.members.models import Status
from tests.admissions.workflow import complete_file, new_candidate, seat_voters
from tests.conftest import build_world
from tests.e2e.conftest import login, shot
from tests.e2e.test_admission_journeys import _admission_step, _message, _recognition_step
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
BRANCH = "Chi bộ Tổ Toán"
OFFICIAL_MEMBERS = 6
CANDIDATE = "Phạm Thị Quần Chúng"
PROBATIONER = "Đỗ Minh Quân"


def text(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def vote_world(transactional_db):
    """The shared world with a candidate whose file is complete, a branch of 6 official members
    and a probationary member whose 12 months ended a month ago."""
    world = build_world()
    world.candidate = complete_file(world, new_candidate(world))
    seat_voters(world.branch, OFFICIAL_MEMBERS, TODAY)
    world.probationer = MemberFactory(
        code="DV-DB-1",
        full_name=PROBATIONER,
        branch=world.branch,
        admitted_on=add_months(TODAY, -13),
        official_on=None,
        status=Status.PROBATIONARY,
    )
    return world


def _over_the_branch(day: datetime.date) -> str:
    return (
        f"Tổng số có quyền biểu quyết (50) nhiều hơn số đảng viên chính thức của {BRANCH} ngày "
        f"{text(day)} ({OFFICIAL_MEMBERS})."
    )


def _same_day(day: datetime.date, attempt: int) -> str:
    return (
        f"Lần biểu quyết mới phải sau ngày {text(day)} (lần {attempt}): mỗi lần là một cuộc họp "
        "khác. Nếu lần đó ghi nhầm số liệu, hãy ghi lý do sửa để sửa chính lần đó."
    )


def _assert_refused_at_the_top(page, reason: str, steps: str) -> None:
    """The «Chưa lưu» banner names the reason, above the checklist (`steps`) and in view."""
    banner = page.locator("#refused-banner")
    assert "Chưa lưu." in banner.inner_text() and reason in banner.inner_text()
    assert banner.bounding_box()["y"] < page.locator(steps).bounding_box()["y"]
    assert banner.bounding_box()["y"] < page.viewport_size["height"]


def test_the_branch_vote_on_a_candidate_is_checked_and_corrected(page, vote_world):
    candidate = vote_world.candidate
    meeting = TODAY - datetime.timedelta(days=10)
    login(page, "bithu", PASSWORD)
    page.goto(f"{page.base}/admissions/candidates/{candidate.pk}/")
    assert page.locator("h1").inner_text() == CANDIDATE
    row = page.locator("#step-branch_vote")

    # 50 voters in a branch of 6 official members: a typing mistake, refused, the input kept.
    _admission_step(
        page, "branch_vote", meeting, document_number="07-NQ/CB", votes_for=40, votes_total=50
    )
    _assert_refused_at_the_top(page, _over_the_branch(meeting), "#checklist")
    assert row.locator(".error").inner_text() == _over_the_branch(meeting)
    assert page.locator("#id_branch_vote_votes_total").input_value() == "50"
    assert page.locator("#id_branch_vote_votes_for").input_value() == "40"
    assert page.locator("#id_branch_vote_document_number").input_value() == "07-NQ/CB"
    assert page.locator("#id_branch_vote_done_on").input_value() == text(meeting)
    assert "chưa có" in row.inner_text()  # nothing was saved
    shot(page, "vote-over-the-branch-refused")

    # The meeting's vote, typed 3 for the 5 of the minutes: short of two thirds, kept as failed
    # (the resolution's number typed before is still in the form).
    _admission_step(page, "branch_vote", meeting, votes_for=3, votes_total=6)
    assert (
        f"Biểu quyết chưa đạt 2/3: 3/6 tán thành. Đã ghi lần biểu quyết thứ 1; {CANDIDATE} chưa "
        "được đề nghị." in _message(page)
    )
    assert "Chưa đạt tỷ lệ biểu quyết" in row.inner_text()
    assert "3/6 tán thành · lần 1" in row.inner_text() and "Số 07-NQ/CB" in row.inner_text()

    # A second vote on the same day is not another meeting: refused with the reason.
    _admission_step(page, "branch_vote", meeting, votes_for=5, votes_total=6)
    _assert_refused_at_the_top(page, _same_day(meeting, 1), "#checklist")
    assert row.locator(".error").inner_text() == _same_day(meeting, 1)
    assert page.locator("#id_branch_vote_votes_for").input_value() == "5"
    assert "3/6 tán thành · lần 1" in row.inner_text()
    shot(page, "vote-same-day-refused")

    # The secretary corrects the mistyped vote with its reason: the same first attempt, passed.
    reason = "Biên bản họp chi bộ ghi 5/6 tán thành; đã nhập nhầm thành 3."
    _admission_step(
        page,
        "branch_vote",
        meeting,
        document_number="07-NQ/CB",
        votes_for=5,
        votes_total=6,
        correction_reason=reason,
    )
    assert "Đã ghi nhận: Nghị quyết chi bộ đề nghị kết nạp" in _message(page)
    assert page.locator("#refused-banner").count() == 0
    assert page.locator("#stage").inner_text() == "Chi bộ đã đề nghị kết nạp"
    assert "Đã có" in row.inner_text() and "5/6 tán thành · lần 1" in row.inner_text()
    assert "Số 07-NQ/CB" in row.inner_text()
    latest = page.locator("section:has(h2:text('Lịch sử thay đổi')) tbody tr").first.inner_text()
    assert reason in latest
    assert (
        f"Chưa đạt tỷ lệ biểu quyết ngày {text(meeting)}, số 07-NQ/CB, 3/6 tán thành (lần 1) → "
        f"Đã xong ngày {text(meeting)}, số 07-NQ/CB, 5/6 tán thành (lần 1)" in latest
    )
    shot(page, "vote-corrected")


def test_a_corrected_review_vote_counts_once_towards_three_failures(page, vote_world):
    member = vote_world.probationer
    end = add_months(member.admitted_on, 12)
    first, second, third = (end + datetime.timedelta(days=days) for days in (5, 12, 19))
    login(page, "bithu", PASSWORD)
    page.goto(f"{page.base}/admissions/probation/{member.pk}/")
    row = page.locator("#step-branch_vote")

    _recognition_step(page, "branch_vote", first, votes_for=40, votes_total=50)
    _assert_refused_at_the_top(page, _over_the_branch(first), "#recognition-steps")
    assert row.locator(".error").inner_text() == _over_the_branch(first)
    assert page.locator("#id_branch_vote-votes_total").input_value() == "50"
    assert page.locator("#id_branch_vote-votes_for").input_value() == "40"
    assert page.locator("#review-state").inner_text() == "Chưa xét"
    shot(page, "review-vote-over-the-branch-refused")

    # The first meeting: typed 3 for the 2 of the minutes, failed either way.
    _recognition_step(page, "branch_vote", first, votes_for=3, votes_total=6)
    assert (
        "biểu quyết lần 1 chưa đạt 2/3 (3/6 tán thành), kết quả được ghi là không đạt. Sau 3 lần "
        "không đạt, cấp trên xem xét, quyết định." in _message(page)
    )
    assert "Lần 1 chưa đạt 2/3" in row.locator(".step-head").inner_text()

    _recognition_step(page, "branch_vote", first, votes_for=2, votes_total=6)
    _assert_refused_at_the_top(page, _same_day(first, 1), "#recognition-steps")
    assert row.locator(".error").inner_text() == _same_day(first, 1)
    assert page.locator("#id_branch_vote-votes_for").input_value() == "2"

    reason = "Biên bản họp chi bộ ghi 2/6 tán thành; đã nhập nhầm thành 3."
    _recognition_step(
        page, "branch_vote", first, votes_for=2, votes_total=6, correction_reason=reason
    )
    assert "biểu quyết lần 1 chưa đạt 2/3 (2/6 tán thành)" in _message(page)
    assert "Lần 1 chưa đạt 2/3" in row.locator(".step-head").inner_text()
    assert f"Ngày {text(first)} · 2/6 tán thành" in row.locator(".step-record").inner_text()
    assert page.locator("#review-state").inner_text() == "Biểu quyết 1 lần chưa đạt 2/3"
    latest = page.locator("#review-history tbody tr").first.inner_text()
    assert reason in latest
    assert (
        f"Chưa đạt tỷ lệ biểu quyết ngày {text(first)}, 3/6 tán thành (lần 1) → "
        f"Chưa đạt tỷ lệ biểu quyết ngày {text(first)}, 2/6 tán thành (lần 1)" in latest
    )
    shot(page, "review-vote-corrected")

    # Two more meetings fail: the third failure, not the fourth entry, goes to the upper level.
    _recognition_step(page, "branch_vote", second, votes_for=3, votes_total=6)
    assert "Lần 2 chưa đạt 2/3" in row.locator(".step-head").inner_text()
    assert "Sau 3 lần không đạt, cấp trên xem xét, quyết định." in _message(page)
    _recognition_step(page, "branch_vote", third, votes_for=3, votes_total=6)
    assert "Cấp trên quyết định sau 3 lần không đạt" in row.locator(".step-head").inner_text()
    assert (
        "Đã 3 lần biểu quyết không đạt 2/3: chi bộ báo cáo cấp trên xem xét, quyết định"
        in row.locator(".step-warning").inner_text()
    )
    assert len(page.locator("#review-history tbody tr").all()) == 4  # four entries, 3 meetings
    shot(page, "review-vote-upper-level")
