"""The probation review's page after a vote: a refused vote is said at the top of the page with
the figures kept, and a mistyped vote corrected with its reason shows the corrected figures, the
same attempt, and the reason in the review's history."""

import datetime

from dangvien.admissions.models import RecognitionStep, StepOutcome
from dangvien.core.roles import Role
from tests.admissions.probation_steps import (
    months_ago,
    probationary,
    record_step,
    shown,
    text,
    today,
)
from tests.admissions.workflow import seat_voters

BANNER = 'id="refused-banner"'


def test_a_vote_over_the_branch_is_refused_at_the_top_with_the_figures_kept(world):
    member = probationary(world, months_ago(13))
    seat_voters(world.branch, 6, today())
    client = world.client(Role.SECRETARY)
    day = today() - datetime.timedelta(days=2)
    # Posted by hand: record_step would seat 50 voters in the branch.
    response = client.post(
        f"/admissions/probation/{member.pk}/step/",
        {
            "kind": "branch_vote",
            "branch_vote-done_on": text(day),
            "branch_vote-version": shown(client, member, "branch_vote"),
            "branch_vote-votes_for": "40",
            "branch_vote-votes_total": "50",
        },
    )
    page = response.content.decode()
    reason = (
        "Tổng số có quyền biểu quyết (50) nhiều hơn số đảng viên chính thức của Chi bộ Tổ Toán "
        f"ngày {text(day)} (6)."
    )
    assert BANNER in page
    banner = page.split(BANNER)[1].split("</div>")[0]
    assert "Chưa lưu." in banner and reason in banner
    assert page.index(BANNER) < page.index('id="step-branch_vote"')
    assert 'name="branch_vote-votes_total" value="50"' in page
    assert not RecognitionStep.objects.filter(member=member).exists()


def test_a_corrected_vote_shows_its_figures_and_reason_and_stays_one_attempt(world):
    member = probationary(world, months_ago(13))
    client = world.client(Role.SECRETARY)
    day = today() - datetime.timedelta(days=2)
    record_step(client, member, "branch_vote", day, votes_for=3, votes_total=6)
    again = record_step(client, member, "branch_vote", day, votes_for=2, votes_total=6)
    assert BANNER in again.content.decode()
    assert "hãy ghi lý do sửa để sửa chính lần đó" in again.content.decode()

    reason = "Biên bản ghi 2/6 tán thành; nhập nhầm thành 3."
    page = record_step(
        client, member, "branch_vote", day, votes_for=2, votes_total=6, correction_reason=reason
    ).content.decode()
    vote = RecognitionStep.objects.get(member=member, kind="branch_vote")
    assert (vote.outcome, vote.attempts, vote.votes_for) == (StepOutcome.FAILED, 1, 2)
    assert "Lần 1 chưa đạt 2/3" in page and "2/6 tán thành" in page
    history = page.split('id="review-history"')[1]
    assert reason in history
    assert (
        f"Chưa đạt tỷ lệ biểu quyết ngày {text(day)}, 3/6 tán thành (lần 1) → "
        f"Chưa đạt tỷ lệ biểu quyết ngày {text(day)}, 2/6 tán thành (lần 1)" in history
    )
