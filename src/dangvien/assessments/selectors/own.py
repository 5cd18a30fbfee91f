"""The member's own assessment pages, and the history of a grade."""

from django.db.models import QuerySet
from django.http import Http404

from dangvien.assessments.models import Commitment, MemberAssessment
from dangvien.assessments.selectors.grading import is_final
from dangvien.core.models import AuditEntry
from dangvien.core.scope import visible
from dangvien.members.models import Member


def own_assessment(member: Member, year: int) -> MemberAssessment | None:
    return MemberAssessment.unscoped.filter(member=member, year=year).first()


def own_commitments(member: Member) -> dict[int, Commitment]:
    return {c.year: c for c in Commitment.unscoped.filter(member=member)}


def own_years(member: Member, commitments: dict[int, Commitment]) -> list[dict]:
    """The member's years, newest first: commitment, assessment and whether it is final."""
    assessments = {a.year: a for a in MemberAssessment.unscoped.filter(member=member)}
    return [
        {
            "year": year,
            "commitment": commitments.get(year),
            "assessment": assessments.get(year),
            "final": is_final(assessments.get(year)),
        }
        for year in sorted(set(assessments) | set(commitments), reverse=True)
    ]


def get_assessment(user, pk: int) -> MemberAssessment:
    try:
        return (
            visible(user, MemberAssessment)
            .select_related("member", "branch", "decided_by")
            .get(pk=pk)
        )
    except MemberAssessment.DoesNotExist:
        raise Http404("Không tìm thấy kết quả đánh giá trong phạm vi của bạn.") from None


def corrections(assessment: MemberAssessment) -> QuerySet[AuditEntry]:
    """The history of the member's grade of that year: decisions and reasoned corrections."""
    return (
        AuditEntry.unscoped.filter(
            target_type=Member._meta.label_lower,
            target_id=assessment.member_id,
            action__in=["assessment.decide", "assessment.correct"],
            changes__has_key=f"grade_{assessment.year}",
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
