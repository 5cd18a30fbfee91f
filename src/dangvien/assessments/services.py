"""Every write of the annual assessment: commitments, rounds, self-assessment, proposals, final
grades, organisation grades and reasoned corrections. Rules (QĐ 124 / QĐ 366, domain-rules §4)
are enforced here, with their numbers taken from the rule set in force for the year assessed.
"""

import datetime
import math

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from dangvien.accounts.roles import Capability
from dangvien.assessments.models import (
    GRADES,
    RANK,
    SHORT_LABELS,
    Commitment,
    Grade,
    MemberAssessment,
    NotGraded,
    OrgAssessment,
    Round,
)
from dangvien.core import audit
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import RuleException
from dangvien.core.rules import RuleBook
from dangvien.core.scope import can, require
from dangvien.members.models import Member
from dangvien.organizations.models import BASE_KINDS, Organization


def _rules(year: int, key: str) -> int:
    return RuleBook.load().value(key, datetime.date(year, 12, 31))


def _check_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not 1930 <= year <= this_year:
        raise DomainError(f"Năm đánh giá phải từ 1930 đến {this_year}.", field="year")


def base_organization(branch: Organization) -> Organization:
    """The base organisation (đảng bộ cơ sở or chi bộ cơ sở) a branch belongs to."""
    if branch.kind in BASE_KINDS:
        return branch
    ids = [int(part) for part in branch.path.strip("/").split("/")]
    base = Organization.unscoped.filter(pk__in=ids, kind__in=BASE_KINDS).order_by("-depth").first()
    if base is None:
        raise DomainError(f"{branch.name} không thuộc tổ chức cơ sở đảng nào.")
    return base


def covering_round(path: str, year: int) -> Round | None:
    """The round of `year` whose organisation's subtree contains `path` (the nearest one)."""
    prefixes = ["/".join(path.split("/")[:end]) + "/" for end in range(2, path.count("/") + 1)]
    return Round.unscoped.filter(year=year, org_path__in=prefixes).order_by("-org_path").first()


def _open_round_for(path: str, year: int) -> Round:
    round_ = covering_round(path, year)
    if round_ is None:
        raise DomainError(f"Chưa mở đợt đánh giá năm {year} cho tổ chức này.")
    if not round_.is_open:
        raise DomainError(f"Đợt đánh giá năm {year} đã khóa: chỉ sửa bằng đính chính có lý do.")
    return round_


# -- Commitment ------------------------------------------------------------------------------


@transaction.atomic
def register_commitment(actor, member: Member, year: int, level: str, pledges: str) -> Commitment:
    """The member's commitment for the year, registered by the member or the branch."""
    if member.user_id != actor.pk:
        require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if not member.is_active:
        raise DomainError(f"{member.full_name} không còn là đảng viên.")
    _check_year(year)
    if level not in Grade.values:
        raise DomainError("Hãy chọn mức độ đăng ký.", field="level")
    commitment, _created = Commitment.objects.update_or_create(
        member=member,
        year=year,
        defaults={"level": level, "pledges": pledges.strip(), "registered_by": actor},
    )
    audit.record(
        actor,
        "assessment.commit",
        member,
        org_path=member.branch_path,
        changes={f"commitment_{year}": [None, SHORT_LABELS[Grade(level)]]},
    )
    return commitment


# -- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def open_round(actor, organization: Organization, year: int) -> Round:
    require(actor, Capability.MANAGE_ORGS, organization.path)
    _check_year(year)
    overlapping = (
        covering_round(organization.path, year)
        or Round.unscoped.filter(year=year, org_path__startswith=organization.path).first()
    )
    if overlapping is not None:
        raise DomainError(f"Đã có đợt đánh giá năm {year} cho {overlapping.organization.name}.")
    round_ = Round.unscoped.create(
        organization=organization, org_path=organization.path, year=year, opened_by=actor
    )
    audit.record(
        actor,
        "assessment.round_open",
        round_,
        org_path=organization.path,
        changes={"year": [None, year]},
    )
    return round_


@transaction.atomic
def close_round(actor, round_: Round) -> Round:
    """Lock the round: grades change afterwards only by a reasoned correction."""
    require(actor, Capability.MANAGE_ORGS, round_.org_path)
    if not round_.is_open:
        raise DomainError("Đợt đánh giá đã khóa.")
    round_.status, round_.closed_by, round_.closed_at = (Round.Status.CLOSED, actor, timezone.now())
    round_.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(
        actor,
        "assessment.round_close",
        round_,
        org_path=round_.org_path,
        changes={"status": [Round.Status.OPEN.label, Round.Status.CLOSED.label]},
    )
    return round_


# -- Member assessment -----------------------------------------------------------------------


def _assessment(member: Member, year: int) -> MemberAssessment:
    assessment, _created = MemberAssessment.unscoped.get_or_create(
        member=member,
        year=year,
        defaults={"branch": member.branch, "branch_path": member.branch_path},
    )
    return assessment


def _check_discipline_cap(grade: str, disciplined: bool, year: int) -> None:
    """A member disciplined in the year is graded at most the rule set's grade (QĐ 124: not
    "good" or above; [U] for QĐ 366)."""
    if not grade or not disciplined:
        return
    worst_allowed = _rules(year, "disciplined_max_grade_rank")
    if RANK[Grade(grade)] < worst_allowed:
        best = SHORT_LABELS[GRADES[worst_allowed - 1]]
        raise DomainError(
            f"Đảng viên bị kỷ luật trong năm chỉ được xếp loại từ «{best}» trở xuống.",
            field="grade",
        )


@transaction.atomic
def submit_self_assessment(user, year: int, self_grade: str, text: str) -> MemberAssessment:
    """The member's own self-assessment (bản tự kiểm điểm) and self-grade, while the round is
    open."""
    member = Member.unscoped.filter(user=user).first()
    if member is None:
        raise DomainError("Tài khoản chưa gắn với hồ sơ đảng viên.")
    if not member.is_active:
        raise DomainError("Hồ sơ không còn ở trạng thái đảng viên.")
    _open_round_for(member.branch_path, year)
    if self_grade not in Grade.values:
        raise DomainError("Hãy chọn mức tự xếp loại.", field="self_grade")
    if not text.strip():
        raise DomainError("Bản tự kiểm điểm không được để trống.", field="self_assessment")
    assessment = _assessment(member, year)
    if assessment.grade:
        raise DomainError("Đã có kết quả xếp loại; không sửa được bản tự kiểm điểm.")
    assessment.self_grade, assessment.self_assessment = self_grade, text.strip()
    assessment.self_submitted_at = timezone.now()
    assessment.save()
    audit.record(
        user,
        "assessment.self",
        member,
        org_path=member.branch_path,
        changes={f"self_grade_{year}": [None, SHORT_LABELS[Grade(self_grade)]]},
    )
    return assessment


@transaction.atomic
def propose_grades(
    actor, branch: Organization, year: int, proposals: dict[int, dict]
) -> list[MemberAssessment]:
    """The branch's proposals for many members at once (the fast grading screen).

    `proposals` maps member id → {"grade": slug or "", "not_graded": reason or "",
    "comment": str, "disciplined": bool}.
    """
    require(actor, Capability.MANAGE_MEMBERS, branch.path)
    _open_round_for(branch.path, year)
    members = {m.pk: m for m in Member.unscoped.filter(pk__in=proposals, branch=branch)}
    unknown = set(proposals) - set(members)
    if unknown:
        raise DomainError("Có đảng viên không thuộc chi bộ này trong danh sách.")
    saved = []
    for member_id, proposal in proposals.items():
        member = members[member_id]
        grade, reason = proposal.get("grade", ""), proposal.get("not_graded", "")
        if grade and reason:
            raise DomainError(
                f"{member.full_name}: chọn xếp loại hoặc lý do không xếp loại, không chọn cả hai."
            )
        if (grade and grade not in Grade.values) or (reason and reason not in NotGraded.values):
            raise DomainError(f"{member.full_name}: xếp loại không hợp lệ.")
        disciplined = bool(proposal.get("disciplined"))
        _check_discipline_cap(grade, disciplined, year)
        assessment = _assessment(member, year)
        if assessment.grade:
            raise DomainError(f"{member.full_name} đã có kết quả xếp loại cuối cùng.")
        old = assessment.proposed_grade or assessment.not_graded
        assessment.proposed_grade, assessment.not_graded = grade, reason
        assessment.branch_comment = proposal.get("comment", "").strip()
        assessment.disciplined_in_year = disciplined
        assessment.proposed_by, assessment.proposed_at = actor, timezone.now()
        assessment.save()
        if old != (grade or reason):
            audit.record(
                actor,
                "assessment.propose",
                member,
                org_path=member.branch_path,
                changes={f"proposed_{year}": [old or None, grade or reason]},
            )
        saved.append(assessment)
    return saved


def excellent_cap(good: int, year: int) -> int:
    """How many "excellent" a base organisation may have, given its number of "good"
    (QĐ 124 Điều 12: at most 20% of those graded good; percent and rounding per rule set)."""
    percent = _rules(year, "excellent_cap_percent_of_good")
    exact = good * percent / 100
    return math.ceil(exact) if _rules(year, "excellent_cap_round_up") else math.floor(exact)


def _check_excellent_cap(actor, base: Organization, year: int, exception_reason: str) -> None:
    counts = MemberAssessment.unscoped.filter(
        year=year, branch_path__startswith=base.path
    ).aggregate(
        excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)),
        good=Count("pk", filter=Q(grade=Grade.GOOD)),
    )
    cap = excellent_cap(counts["good"], year)
    if counts["excellent"] <= cap:
        return
    message = (
        f"{base.name}: {counts['excellent']} đảng viên xuất sắc vượt giới hạn {cap} "
        f"(tối đa {_rules(year, 'excellent_cap_percent_of_good')}% của "
        f"{counts['good']} đảng viên hoàn thành tốt nhiệm vụ)."
    )
    if not exception_reason.strip():
        raise DomainError(
            message + " Ghi lý do và văn bản nếu cấp có thẩm quyền cho phép vượt.",
            field="exception_reason",
        )
    RuleException.unscoped.create(
        rule_key="excellent_cap_percent_of_good",
        target_type="organizations.organization",
        target_id=base.pk,
        org_path=base.path,
        reason=f"{exception_reason.strip()} ({message})",
        actor=actor,
    )


@transaction.atomic
def decide_grades(
    actor, base: Organization, year: int, decisions: dict[int, dict], exception_reason: str = ""
) -> list[MemberAssessment]:
    """The base committee's final grades for members of a base organisation, checked together
    against the excellent cap of that base organisation."""
    if base.kind not in BASE_KINDS:
        raise DomainError(f"{base.name} không phải tổ chức cơ sở đảng.")
    require(actor, Capability.MANAGE_ORGS, base.path)
    _open_round_for(base.path, year)
    members = {
        m.pk: m for m in Member.unscoped.filter(pk__in=decisions, branch_path__startswith=base.path)
    }
    if set(decisions) - set(members):
        raise DomainError("Có đảng viên không thuộc tổ chức cơ sở này trong danh sách.")
    decided = []
    for member_id, decision in decisions.items():
        member = members[member_id]
        grade, reason = decision.get("grade", ""), decision.get("not_graded", "")
        if (
            bool(grade) == bool(reason)
            or (grade and grade not in Grade.values)
            or (reason and reason not in NotGraded.values)
        ):
            raise DomainError(
                f"{member.full_name}: chọn đúng một xếp loại hoặc một lý do không xếp loại."
            )
        assessment = _assessment(member, year)
        _check_discipline_cap(grade, assessment.disciplined_in_year, year)
        old = assessment.grade or assessment.not_graded
        assessment.grade, assessment.not_graded = grade, reason
        assessment.decided_by, assessment.decided_at = actor, timezone.now()
        assessment.save()
        if old != (grade or reason):
            audit.record(
                actor,
                "assessment.decide",
                member,
                org_path=member.branch_path,
                changes={f"grade_{year}": [old or None, grade or reason]},
            )
        decided.append(assessment)
    _check_excellent_cap(actor, base, year, exception_reason)
    return decided


@transaction.atomic
def correct_grade(
    actor, assessment: MemberAssessment, grade: str, reason: str, not_graded: str = ""
) -> MemberAssessment:
    """Change a final grade after the round closed: an officer's correction with its reason."""
    base = base_organization(assessment.branch)
    if not can(actor, Capability.MANAGE_ORGS, base.path):
        raise ScopeDenied("Chỉ cấp ủy có thẩm quyền được đính chính kết quả xếp loại.")
    if not reason.strip():
        raise DomainError("Đính chính cần ghi lý do và căn cứ.", field="reason")
    if bool(grade) == bool(not_graded):
        raise DomainError("Chọn đúng một xếp loại hoặc một lý do không xếp loại.", field="grade")
    _check_discipline_cap(grade, assessment.disciplined_in_year, assessment.year)
    old = assessment.grade or assessment.not_graded
    assessment.grade, assessment.not_graded = grade, not_graded
    assessment.decided_by, assessment.decided_at = actor, timezone.now()
    assessment.save()
    _check_excellent_cap(actor, base, assessment.year, reason)
    audit.record(
        actor,
        "assessment.correct",
        assessment.member,
        org_path=assessment.branch_path,
        changes={f"grade_{assessment.year}": [old or None, grade or not_graded]},
        reason=reason,
    )
    return assessment


# -- Organisations ---------------------------------------------------------------------------


@transaction.atomic
def grade_organization(
    actor,
    organization: Organization,
    year: int,
    *,
    grade: str = "",
    not_graded: str = "",
    discipline_in_year: bool = False,
    note: str = "",
    correction_reason: str = "",
) -> OrgAssessment:
    """The direct upper level's standing committee grades an organisation. It cannot be
    excellent when a sub-unit or a committee member was disciplined that year (R4.4)."""
    if organization.parent_id is None:
        raise DomainError("Tổ chức cấp cao nhất không được xếp loại trong hệ thống này.")
    parent = Organization.unscoped.get(pk=organization.parent_id)
    require(actor, Capability.MANAGE_ORGS, parent.path)
    _check_year(year)
    if bool(grade) == bool(not_graded) or (grade and grade not in Grade.values):
        raise DomainError("Chọn đúng một xếp loại hoặc một lý do không xếp loại.", field="grade")
    if grade == Grade.EXCELLENT and discipline_in_year:
        raise DomainError(
            "Tổ chức có tổ chức trực thuộc hoặc cấp ủy viên bị kỷ luật trong năm "
            "không được xếp loại hoàn thành xuất sắc nhiệm vụ.",
            field="grade",
        )
    round_ = covering_round(organization.path, year)
    if round_ is not None and not round_.is_open and not correction_reason.strip():
        raise DomainError(
            f"Đợt đánh giá năm {year} đã khóa: đính chính cần ghi lý do.", field="correction_reason"
        )
    assessment, _created = OrgAssessment.unscoped.get_or_create(
        organization=organization, year=year, defaults={"org_path": organization.path}
    )
    old = assessment.grade or assessment.not_graded
    assessment.grade, assessment.not_graded = grade, not_graded
    assessment.discipline_in_year, assessment.not_graded_note = discipline_in_year, note
    assessment.decided_by, assessment.decided_at = actor, timezone.now()
    assessment.save()
    audit.record(
        actor,
        "assessment.org_grade",
        organization,
        org_path=organization.path,
        changes={f"grade_{year}": [old or None, grade or not_graded]},
        reason=correction_reason,
    )
    return assessment
