"""A step of an admission file or of a probation review recorded again (a correction) from two
pages opened at once: the first save wins, the second is refused with the change named, and
nothing is overwritten."""

import datetime

from dangvien.admissions.models import (
    AdmissionStep,
    AdmissionStepKind,
    RecognitionStep,
    StepOutcome,
)
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.admissions.probation_steps import months_ago, probationary, text, today
from tests.admissions.workflow import complete_file, new_candidate, seat_voters

Kind = AdmissionStepKind
ON = today() - datetime.timedelta(days=3)


def candidate_page(candidate) -> str:
    return f"/admissions/candidates/{candidate.pk}/"


def opened(client, candidate, kind) -> str:
    """The version the step's form carries when the candidate's page is opened."""
    rows = client.get(candidate_page(candidate)).context["rows"]
    return next(form for row, form in rows if row.kind == kind)["version"].value()


def save_step(client, candidate, kind, version, number):
    data = {"kind": kind, "done_on": text(ON), "document_number": number, "version": version}
    return client.post(f"{candidate_page(candidate)}step/", data)


def history(action: str) -> list[dict]:
    entries = AuditEntry.unscoped.filter(action=action).order_by("id")
    return [entry.changes for entry in entries]


def test_the_second_page_cannot_overwrite_a_document_of_the_file(world):
    candidate = new_candidate(world)
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    first = opened(secretary, candidate, Kind.APPLICATION)
    second = opened(officer, candidate, Kind.APPLICATION)
    assert save_step(secretary, candidate, Kind.APPLICATION, first, "01/ĐXVĐ").status_code == 302

    response = save_step(officer, candidate, Kind.APPLICATION, second, "09/ĐXVĐ")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Hồ sơ kết nạp đã được" in page and "sau khi bạn mở trang" in page
    assert world.users[Role.SECRETARY].full_name in page
    assert f"Đơn xin vào Đảng (mẫu 1-KNĐ): — → Đã xong ngày {text(ON)}, số 01/ĐXVĐ" in page
    assert AdmissionStep.objects.get(candidate=candidate).document_number == "01/ĐXVĐ"
    summary = f"Đã xong ngày {text(ON)}, số 01/ĐXVĐ"
    assert history("candidate.step") == [{"step_application": [None, summary]}]

    # The refused form now carries what the officer has seen: saving again corrects knowingly.
    form = next(form for row, form in response.context["rows"] if row.kind == Kind.APPLICATION)
    assert (
        save_step(officer, candidate, Kind.APPLICATION, form.data["version"], "09/ĐXVĐ").status_code
        == 302
    )
    assert AdmissionStep.objects.get(candidate=candidate).document_number == "09/ĐXVĐ"
    assert history("candidate.step")[-1] == {
        "step_application": [summary, f"Đã xong ngày {text(ON)}, số 09/ĐXVĐ"]
    }


def test_a_correction_over_a_correction_is_refused(world):
    candidate = new_candidate(world)
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    version = opened(secretary, candidate, Kind.PERSONAL_HISTORY)
    assert (
        save_step(secretary, candidate, Kind.PERSONAL_HISTORY, version, "LL-1").status_code == 302
    )
    first = opened(secretary, candidate, Kind.PERSONAL_HISTORY)
    second = opened(officer, candidate, Kind.PERSONAL_HISTORY)
    assert save_step(secretary, candidate, Kind.PERSONAL_HISTORY, first, "LL-2").status_code == 302

    page = save_step(officer, candidate, Kind.PERSONAL_HISTORY, second, "LL-3").content.decode()
    assert f"số LL-1 → Đã xong ngày {text(ON)}, số LL-2" in page
    assert AdmissionStep.objects.get(candidate=candidate).document_number == "LL-2"
    assert len(history("candidate.step")) == 2


def test_another_step_recorded_meanwhile_does_not_refuse(world):
    candidate = new_candidate(world)
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    first = opened(secretary, candidate, Kind.APPLICATION)
    second = opened(officer, candidate, Kind.PERSONAL_HISTORY)
    assert save_step(secretary, candidate, Kind.APPLICATION, first, "01").status_code == 302
    assert save_step(officer, candidate, Kind.PERSONAL_HISTORY, second, "02").status_code == 302
    assert AdmissionStep.objects.filter(candidate=candidate).count() == 2


def test_a_step_saved_without_the_version_is_refused(world):
    candidate = new_candidate(world)
    response = world.client(Role.SECRETARY).post(
        f"{candidate_page(candidate)}step/", {"kind": Kind.APPLICATION, "done_on": text(ON)}
    )
    assert "Trang bạn dùng đã cũ" in response.content.decode()
    assert not AdmissionStep.objects.filter(candidate=candidate).exists()


def save_vote(client, candidate, version, votes_for, on=None):
    data = {
        "kind": Kind.BRANCH_VOTE,
        "done_on": text(on or today()),
        "votes_for": votes_for,
        "votes_total": 10,
        "version": version,
    }
    return client.post(f"{candidate_page(candidate)}step/", data)


def test_a_vote_taken_again_from_a_page_opened_before_another_attempt_is_refused(world):
    """After a failed vote, two pages record the new attempt: the second neither counts as a
    third attempt (the three-failure rule counts attempts) nor overwrites the second."""
    yesterday = today() - datetime.timedelta(days=1)
    candidate = complete_file(world, new_candidate(world), on=yesterday)
    seat_voters(world.branch, 10, yesterday)
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    version = opened(secretary, candidate, Kind.BRANCH_VOTE)
    assert save_vote(secretary, candidate, version, 5, on=yesterday).status_code == 302
    first = opened(secretary, candidate, Kind.BRANCH_VOTE)
    second = opened(officer, candidate, Kind.BRANCH_VOTE)
    assert save_vote(secretary, candidate, first, 6).status_code == 302

    response = save_vote(officer, candidate, second, 9)
    assert response.status_code == 400
    assert "sau khi bạn mở trang" in response.content.decode()
    vote = AdmissionStep.objects.get(candidate=candidate, kind=Kind.BRANCH_VOTE)
    assert (vote.outcome, vote.attempts, vote.votes_for) == (StepOutcome.FAILED, 2, 6)
    votes = [change for change in history("candidate.step") if "step_branch_vote" in change]
    assert len(votes) == 2


# The probation review


def review_page(member) -> str:
    return f"/admissions/probation/{member.pk}/"


def opened_review(client, member, kind) -> str:
    page = client.get(review_page(member))
    row = next(row for row in page.context["review"].recognition if row.kind == kind)
    return row.form["version"].value()


def save_review_step(client, member, kind, version, number):
    data = {
        "kind": kind,
        f"{kind}-done_on": text(today()),
        f"{kind}-document_number": number,
        f"{kind}-version": version,
    }
    return client.post(f"{review_page(member)}step/", data)


def test_the_second_page_cannot_overwrite_a_document_of_the_review(world):
    member = probationary(world, months_ago(13))
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    first = opened_review(secretary, member, "self_review")
    second = opened_review(officer, member, "self_review")
    assert save_review_step(secretary, member, "self_review", first, "TKĐ-1").status_code == 302

    response = save_review_step(officer, member, "self_review", second, "TKĐ-9")
    page = response.content.decode()
    assert response.status_code == 400  # refused, said at the top, the input kept
    assert 'id="refused-banner"' in page
    assert "Hồ sơ xét công nhận chính thức đã được" in page and "sau khi bạn mở trang" in page
    assert world.users[Role.SECRETARY].full_name in page
    summary = f"Đã xong ngày {text(today())}, số TKĐ-1"
    assert f"Bản tự kiểm điểm của đảng viên dự bị: — → {summary}" in page
    assert RecognitionStep.objects.get(member=member).document_number == "TKĐ-1"
    assert history("probation.step") == [{"review_self_review": [None, summary]}]

    # The refused form carries the version now shown, under its prefix: saving again applies.
    row = next(r for r in response.context["review"].recognition if r.kind == "self_review")
    version = row.form.data["self_review-version"]
    assert save_review_step(officer, member, "self_review", version, "TKĐ-9").status_code == 302
    assert RecognitionStep.objects.get(member=member).document_number == "TKĐ-9"


def test_a_review_step_saved_without_the_version_is_refused(world):
    member = probationary(world, months_ago(13))
    data = {"kind": "self_review", "self_review-done_on": text(today())}
    response = world.client(Role.SECRETARY).post(f"{review_page(member)}step/", data)
    assert "Trang bạn dùng đã cũ" in response.content.decode()
    assert not RecognitionStep.objects.filter(member=member).exists()


def test_a_review_vote_from_a_page_opened_before_another_attempt_is_told_what_changed(world):
    """The probation review, like the admission file: the stale page hears of the change
    first, not of a rule the new figures break."""
    member = probationary(world, months_ago(14))
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    seat_voters(member.branch, 6, today())
    data = {
        "kind": "branch_vote",
        "branch_vote-done_on": text(today()),
        "branch_vote-votes_for": "2",
        "branch_vote-votes_total": "6",
    }
    for kind in ("self_review", "introducer_opinion", "mass_org_comment"):
        save_review_step(secretary, member, kind, opened_review(secretary, member, kind), "X")
    first = opened_review(secretary, member, "branch_vote")
    stale = opened_review(officer, member, "branch_vote")
    response = secretary.post(f"{review_page(member)}step/", {**data, "branch_vote-version": first})
    assert response.status_code == 302
    refused = officer.post(
        f"{review_page(member)}step/",
        {**data, "branch_vote-votes_total": "60", "branch_vote-version": stale},
    ).content.decode()
    assert "sau khi bạn mở trang" in refused
    vote = RecognitionStep.objects.get(member=member, kind="branch_vote")
    assert (vote.attempts, vote.votes_total) == (1, 6)
