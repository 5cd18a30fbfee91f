"""A branch's proposal not to grade is a proposal: it is neither the member's result nor
counted as "not graded" by the quality report until the committee decides."""

from dangvien.assessments import services
from dangvien.assessments.history import member_grades
from dangvien.assessments.models import NotGraded
from dangvien.core.roles import Role
from dangvien.reports.quality import quality_report
from tests.assessments.workflow import assessment_of, open_round, propose, this_year


def test_proposed_not_graded_becomes_a_result_only_when_decided(world):
    open_round(world)
    propose(world, {world.member: {"not_graded": NotGraded.OTHER}})
    proposal = assessment_of(world.member)
    assert (proposal.proposed_not_graded, proposal.not_graded) == (NotGraded.OTHER, "")
    assert quality_report(world.upper, this_year()).not_graded_count == 0
    assert [grade.label for grade in member_grades(world.member)] == ["Chưa xếp loại"]

    services.decide_grades(
        world.users[Role.OFFICER],
        world.base,
        this_year(),
        {world.member.pk: {"not_graded": NotGraded.OTHER}},
    )
    report = quality_report(world.upper, this_year())
    assert report.not_graded_count == 1
    assert [m.code for m in report.not_graded] == [world.member.code]
