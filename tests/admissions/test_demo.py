"""The demo's party development: candidates at every stage, quotas that were (nearly) met,
probation reviews due, overdue and failed, cards waiting, and the demo secretary's branch ready
for the browser journeys (admission and recognition), checked through the selectors the pages
use and the services the journeys will call."""

import datetime

from django.utils import timezone

from dangvien.accounts.models import User
from dangvien.admissions.candidates.selectors import stage_counts, visible_candidates
from dangvien.admissions.cards.selectors import CardFilters, waiting_for_card
from dangvien.admissions.demo import (
    JOURNEY_CANDIDATE,
    JOURNEY_NEWCOMER,
    JOURNEY_PROBATIONER,
    OFFICER,
    SECRETARY,
    SECRETARY_BRANCH,
    WARD_OFFICER,
)
from dangvien.admissions.models import (
    AdmissionStepKind,
    AdmissionTarget,
    CardEnd,
    CardSeries,
    Introducer,
    PartyCard,
    RecognitionStep,
    RecognitionStepKind,
    Stage,
    StepOutcome,
)
from dangvien.admissions.probation.selectors import (
    ProbationFilters,
    probation_review,
    probation_summary,
    probationary_members,
)
from dangvien.admissions.probation.services import recognise, record_recognition_step
from dangvien.admissions.procedure.selectors import checklist
from dangvien.admissions.procedure.services import admit_candidate, record_admission_step
from dangvien.admissions.targets.selectors import quota_rows
from dangvien.core.decisions import Decision
from dangvien.core.rules import add_months, months_between
from dangvien.core.scope import unscoped
from dangvien.members.models import Member, Status
from dangvien.organizations.models import Organization, OrgKind


def today() -> datetime.date:
    return timezone.localdate()


def test_demo_party_development(demo_data):
    """The demo as loaded (shared: it takes seconds), then each part in turn; the journeys
    last, as they change what the earlier checks read."""
    demo = {user.username: user for user in User.objects.all()}
    candidates_at_every_stage(demo)
    quotas_for_three_years_and_two_terms(demo)
    cards_waiting_and_card_history(demo)
    probation_reviews_due_overdue_and_failed(demo)
    the_secretary_takes_the_candidate_to_admission(demo)
    the_probationer_is_ready_for_recognition(demo)


def candidates_at_every_stage(demo):
    counts = {stage: count for stage, _label, count in stage_counts(demo[OFFICER])}
    assert all(counts[stage] > 0 for stage in Stage.values), counts
    assert 130 <= sum(counts.values()) <= 170
    candidates = list(visible_candidates(demo[OFFICER]))
    assert len({candidate.org_path for candidate in candidates}) >= 30  # most branches
    ages = [months_between(c.birth_date, today()) // 12 for c in candidates if c.is_open]
    assert sum(18 <= age <= 35 for age in ages) / len(ages) > 0.8
    assert any(age < 18 for age in ages) and any(age > 60 for age in ages)
    assert {c.gender for c in candidates} == {"Nam", "Nữ"}
    assert all(c.workplace and c.general_education for c in candidates)
    attended = [c.class_attended_on for c in candidates if c.class_attended_on]
    assert any(add_months(day, 60) < today() for day in attended)
    assert sum(add_months(day, 60) >= today() for day in attended) > 50
    withdrawn = [c for c in candidates if c.stage == Stage.WITHDRAWN]
    assert withdrawn and all(c.withdrawn_reason for c in withdrawn)
    admitted = [c for c in candidates if c.stage == Stage.ADMITTED]
    assert all(c.member.admitted_on == checklist(c).decision.done_on for c in admitted)
    assert any(c.member.admitted_on.year == today().year for c in admitted)
    assert any(checklist(c).ceremony for c in admitted)
    with unscoped():
        for introducer in Introducer.objects.exclude(introduced_on=None).select_related(
            "member", "candidate"
        ):
            assert introducer.member.branch_id == introducer.candidate.organization_id
            assert introducer.member.official_on <= introducer.introduced_on
            assert add_months(introducer.together_since, 12) <= introducer.introduced_on


def quotas_for_three_years_and_two_terms(demo):
    officer, year = demo[OFFICER], today().year
    with unscoped():
        uppers = set(Organization.objects.filter(kind=OrgKind.UPPER).values_list("pk", flat=True))
        bases = Organization.objects.filter(kind__in=[OrgKind.BASE_COMMITTEE, OrgKind.BASE_BRANCH])
        bases = set(bases.values_list("pk", flat=True))
        province = Organization.objects.get(kind=OrgKind.PROVINCE)
    for each in range(year - 2, year + 1):
        rows = list(quota_rows(officer, year=each))
        assert {row.organization_id for row in rows} == uppers | bases
        if each < year:  # a finished year: each upper-level committee (nearly) met its quota
            for row in rows:
                if row.organization_id in uppers:
                    assert 0.75 <= row.admitted / row.quota <= 1.15, (row, row.admitted)
    for term in ((2020, 2025), (2025, 2030)):
        rows = list(quota_rows(officer, term=term))
        assert {row.organization_id for row in rows} == uppers | {province.pk}
    achieved = next(r for r in quota_rows(officer, org=province, term=(2020, 2025)))
    assert achieved.organization_id == province.pk
    assert 0.85 <= achieved.admitted / achieved.quota <= 1.15
    assert AdmissionTarget.unscoped.filter(year__isnull=False, quota__lt=1).count() == 0


def officials_of_the_secretary_branch() -> int:
    with unscoped():
        return Member.objects.filter(branch__code=SECRETARY_BRANCH, status=Status.OFFICIAL).count()


def the_secretary_takes_the_candidate_to_admission(demo):
    secretary, ward_officer = demo[SECRETARY], demo[WARD_OFFICER]
    mine = visible_candidates(secretary)
    assert {c.organization.code for c in mine.select_related("organization")} == {SECRETARY_BRANCH}
    newcomer = mine.get(full_name=JOURNEY_NEWCOMER)
    assert newcomer.stage == Stage.POOL and newcomer.class_attended_on is None
    assert not newcomer.steps.exists() and not newcomer.introducers.exists()

    candidate = mine.get(full_name=JOURNEY_CANDIDATE)
    file = checklist(candidate)
    assert candidate.stage == Stage.FILE and file.missing_before_vote == []
    assert not file.branch_vote_done and file.needs_committee_vote
    vote = record_admission_step(
        secretary,
        candidate,
        AdmissionStepKind.BRANCH_VOTE,
        on=today(),
        votes_for=officials_of_the_secretary_branch() - 1,
        votes_total=officials_of_the_secretary_branch(),
    )
    assert vote.outcome == StepOutcome.DONE
    record_admission_step(
        ward_officer,
        candidate,
        AdmissionStepKind.COMMITTEE_VOTE,
        on=today(),
        votes_for=9,
        votes_total=9,
    )
    member = admit_candidate(
        ward_officer,
        candidate,
        code="SH099999",
        decision=Decision(today(), "99-QĐ/ĐU", "Ban Thường vụ Đảng ủy phường Hòa Bình"),
    )
    assert member.status == Status.PROBATIONARY and member.full_name == JOURNEY_CANDIDATE
    assert member.branch.code == SECRETARY_BRANCH


def probation_reviews_due_overdue_and_failed(demo):
    summary = probation_summary(demo[OFFICER])
    assert summary["due"] > 0 and summary["overdue"] > 0 and summary["review"] > 0
    overdue = list(probationary_members(demo[OFFICER], ProbationFilters(show="overdue")))
    assert any(member.recognition_steps.exists() for member in overdue)
    with unscoped():
        failed = RecognitionStep.objects.filter(
            kind=RecognitionStepKind.BRANCH_VOTE, outcome=StepOutcome.FAILED
        )
        assert failed.filter(member__status=Status.PROBATIONARY).exists()


def the_probationer_is_ready_for_recognition(demo):
    secretary, ward_officer = demo[SECRETARY], demo[WARD_OFFICER]
    ready = probationary_members(secretary, ProbationFilters(show="review")).get(
        full_name=JOURNEY_PROBATIONER
    )
    review = probation_review(ready)
    assert review.ended and not review.overdue and review.end <= today()
    assert {row.kind for row in review.recognition if row.done} == {
        RecognitionStepKind.SELF_REVIEW,
        RecognitionStepKind.INTRODUCER_OPINION,
        RecognitionStepKind.MASS_ORG_COMMENT,
    }
    assert review.missing == [
        RecognitionStepKind.BRANCH_VOTE.label,
        RecognitionStepKind.COMMITTEE_VOTE.label,
    ]
    record_recognition_step(
        secretary,
        ready,
        RecognitionStepKind.BRANCH_VOTE,
        on=today(),
        votes_for=officials_of_the_secretary_branch() - 1,
        votes_total=officials_of_the_secretary_branch(),
    )
    record_recognition_step(
        ward_officer,
        ready,
        RecognitionStepKind.COMMITTEE_VOTE,
        on=today(),
        votes_for=9,
        votes_total=9,
    )
    decision = Decision(today(), "98-QĐ/ĐU", "Ban Thường vụ Đảng ủy phường Hòa Bình")
    member = recognise(ward_officer, ready, decision)
    assert member.status == Status.OFFICIAL and member.official_on == review.end


def cards_waiting_and_card_history(demo):
    waiting = list(waiting_for_card(demo[OFFICER], CardFilters()))
    assert len(waiting) >= 3
    new = list(waiting_for_card(demo[OFFICER], CardFilters(kind="new")))
    replace = list(waiting_for_card(demo[OFFICER], CardFilters(kind="replace")))
    assert new and replace
    assert all(add_months(member.official_on, 6) > today() for member in new)
    with unscoped():
        cards = PartyCard.objects.all()
        assert cards.filter(series=CardSeries.CHIP, ended_on__isnull=True).count() >= 10
        assert cards.filter(series=CardSeries.OLD, end_reason=CardEnd.REPLACED).exists()
        lost = cards.filter(end_reason=CardEnd.LOST).values_list("member_id", flat=True)
        replaced_after_loss = Member.objects.filter(pk__in=lost, card_number__isnull=False)
        assert replaced_after_loss.exists()
        assert all(
            len(card.number) == 8 and card.number.isdigit()
            for card in cards.filter(series=CardSeries.OLD)
        )
