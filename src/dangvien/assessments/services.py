"""Every write of the annual assessment: commitments, rounds, self-assessment, proposals, final
grades, organisation grades and reasoned corrections. Rules (QĐ 124 / QĐ 366, domain-rules §4)
are enforced here, with their numbers taken from the rule set in force for the year assessed.
"""

import datetime
import math

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Length
from django.utils import timezone

from dangvien.admissions.shared.services import record_exception
from dangvien.assessments import grading
from dangvien.assessments.grading import Facts, YearRules
from dangvien.assessments.models import (
    FINAL,
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
from dangvien.assessments.self_forms import SelfForm
from dangvien.committees.selectors import heads_on, led_units
from dangvien.core import audit, versions
from dangvien.core.changes import records_changed
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import AuditEntry, RuleException
from dangvien.core.paths import ancestor_paths, path_ids
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.scope import can, require
from dangvien.core.validation import require_reason, require_text
from dangvien.core.vntext import number
from dangvien.discipline.selectors import (
    disciplined_in,
    disciplined_share,
    organizations_disciplined_in,
)
from dangvien.discipline.suspensions import suspended_on
from dangvien.members.models import ACTIVE_STATUSES, Member
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
    ids = path_ids(branch.path)
    base = Organization.unscoped.filter(pk__in=ids, kind__in=BASE_KINDS).order_by("-depth").first()
    if base is None:
        raise DomainError(f"{branch.name} không thuộc tổ chức cơ sở đảng nào.")
    return base


def covering_round(path: str, year: int) -> Round | None:
    """The round of `year` whose organisation's subtree contains `path` (the nearest one)."""
    return (
        Round.unscoped.filter(year=year, org_path__in=ancestor_paths(path))
        .order_by(Length("org_path").desc())
        .first()
    )


class RowErrors(DomainError):
    """Several rows of one screen refused at once; `errors` maps a row's id (member or
    organisation) to its message. Nothing of the screen is saved."""

    def __init__(self, errors: dict[int, str], current: dict[int, str] | None = None):
        shown = "; ".join(list(errors.values())[:5]) + ("…" if len(errors) > 5 else "")
        super().__init__(f"Chưa lưu: {number(len(errors))} dòng có lỗi. {shown}")
        self.errors = errors
        self.current = current or {}  # row id → its version now, for rows read before a change


def _stale_rows(
    model, assessments: dict, targets: dict, rows: dict[int, dict], actions: str = "assessment."
) -> RowErrors:
    """Rows whose assessment changed after the screen was read (each row carries the version
    it showed in "version"): the refusal of each, naming who changed what and when."""
    read = {key: versions.parse(row.get("version")) for key, row in rows.items()}
    read = {key: token for key, token in read.items() if token is not None}
    stored = {key: a for key in read if (a := assessments.get(key)) is not None and a.pk}
    now = dict(  # one query locks the rows a screen read; the refusals, rare, take more
        model.unscoped.select_for_update()
        .filter(pk__in=[a.pk for a in stored.values()])
        .values_list("pk", "version")
    )
    errors, current = {}, {}
    for key, token in read.items():
        if (now.get(stored[key].pk, 0) if key in stored else 0) == token.version:
            continue
        try:
            versions.check(
                assessments.get(key),
                rows[key]["version"],
                model=model,
                history_of=targets[key],
                actions=actions,
                label=f"Đánh giá của {targets[key]}",
            )
        except versions.StaleEdit as exc:
            errors[key], current[key] = exc.message, exc.current
    return RowErrors(errors, current)


def is_final(assessment: MemberAssessment) -> bool:
    """The competent committee has decided (a grade or a reason not to grade) or it was
    imported."""
    return bool(assessment.grade) or assessment.decided_at is not None or assessment.imported


def outcome_label(value: str | None) -> str | None:
    """A grade or a not-graded reason as the history shows it ("Tốt", "Không xếp loại: …")."""
    if not value:
        return None
    if value in Grade.values:
        return SHORT_LABELS[Grade(value)]
    return f"Không xếp loại: {NotGraded(value).label}"


def _audit_many(actor, action: str, rows: list[tuple], reason: str = "") -> None:
    """One audit entry per (member or organisation, changes) in one INSERT (a screen of many
    rows)."""
    AuditEntry.unscoped.bulk_create(
        AuditEntry(
            actor=actor,
            action=action,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            target_label=str(target)[:300],
            org_path=target.branch_path if isinstance(target, Member) else target.path,
            changes=changes,
            reason=reason,
        )
        for target, changes in rows
    )


# What a locked round still allows, said to whoever tried to save into it.
AFTER_LOCK_DECISION = "chỉ sửa bằng đính chính có lý do."
AFTER_LOCK_PROPOSAL = (
    "chi bộ không đề xuất được nữa; muốn đề xuất, đề nghị cấp ủy mở lại đợt (có lý do)."
)
AFTER_LOCK_SELF = (
    "bản tự kiểm điểm không nộp, không sửa được nữa; nếu cần, đề nghị chi bộ báo cấp ủy mở lại đợt."
)
AFTER_LOCK_PAPER = (
    "chi bộ không ghi nhận, không sửa bản tự kiểm điểm giấy được nữa; muốn ghi nhận, đề nghị cấp "
    "ủy mở lại đợt (có lý do)."
)


def _locked_message(round_: Round, after: str) -> str:
    when = f" ngày {timezone.localtime(round_.closed_at):%d/%m/%Y}" if round_.closed_at else ""
    return f"Đợt đánh giá năm {round_.year} đã khóa{when}: {after}"


def _open_round_for(path: str, year: int, after_lock: str = AFTER_LOCK_DECISION) -> Round:
    """The open round covering `path` for `year`, its row locked until the caller's
    transaction ends, so a lock (close_round) waits for a save under way and the reverse.
    A locked round is refused with the day it was locked and `after_lock`: what one may still
    do."""
    round_ = covering_round(path, year)
    if round_ is not None:
        round_ = Round.unscoped.select_for_update().get(pk=round_.pk)
    if round_ is None:
        raise DomainError(f"Chưa mở đợt đánh giá năm {year} cho tổ chức này.")
    if not round_.is_open:
        raise DomainError(_locked_message(round_, after_lock))
    return round_


# -- Commitment ------------------------------------------------------------------------------


def _commitment_history(member: Member, year: int) -> dict:
    """A commitment is versioned by its member's history entries of that year's commitment."""
    return {
        "history_of": member,
        "actions": "assessment.commit",
        "key": f"commitment_{year}",
        "label": f"Đăng ký, cam kết năm {year}",
    }


def _self_history(member: Member, year: int) -> dict:
    """A self-assessment is versioned by its member's history entries of that year's one."""
    return {
        "history_of": member,
        "actions": "assessment.self",
        "key": f"self_grade_{year}",
        "label": f"Bản tự kiểm điểm năm {year}",
    }


def commitment_version(member: Member, year: int) -> str:
    """The version a commitment form carries (services.register_commitment checks it)."""
    history = _commitment_history(member, year)
    return versions.token(None, history_of=member, actions=history["actions"], key=history["key"])


def self_assessment_version(member: Member, year: int) -> str:
    """The version a self-assessment form carries (services.submit_self_assessment checks it)."""
    history = _self_history(member, year)
    return versions.token(None, history_of=member, actions=history["actions"], key=history["key"])


@transaction.atomic
def register_commitment(
    actor,
    member: Member,
    year: int,
    level: str,
    pledges: str,
    *,
    expected_version: str | None = None,
) -> Commitment:
    """The member's commitment for the year, registered by the member or the branch.
    `expected_version`: what the page showed (`commitment_version`); None: no check."""
    if member.user_id != actor.pk:
        require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if not member.is_active:
        raise DomainError(f"{member.full_name} không còn là đảng viên.")
    _check_year(year)
    if level not in Grade.values:
        raise DomainError("Hãy chọn mức độ đăng ký.", field="level")
    round_ = covering_round(member.branch_path, year)
    if round_ is not None and not round_.is_open:  # registered before any round, kept after it
        raise DomainError(f"Đợt đánh giá năm {year} đã khóa: không sửa đăng ký, cam kết được nữa.")
    versions.check(None, expected_version, **_commitment_history(member, year))
    before = Commitment.unscoped.filter(member=member, year=year).first()
    commitment, _created = Commitment.unscoped.update_or_create(
        member=member,
        year=year,
        defaults={"level": level, "pledges": pledges.strip(), "registered_by": actor},
    )
    old = SHORT_LABELS[Grade(before.level)] if before and before.level else None
    audit.record(
        actor,
        "assessment.commit",
        member,
        org_path=member.branch_path,
        changes={f"commitment_{year}": [old, SHORT_LABELS[Grade(level)]]},
    )
    return commitment


# -- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def open_round(actor, organization: Organization, year: int) -> Round:
    require(actor, Capability.MANAGE_ORGS, organization.path)
    if not organization.is_active:
        raise DomainError(f"{organization.name} đã giải thể.", field="organization_code")
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


def round_pending(round_: Round) -> int:
    """Active members below the round's organisation without a final result of its year."""
    members = Member.unscoped.filter(
        branch_path__startswith=round_.org_path, status__in=ACTIVE_STATUSES
    )
    decided = MemberAssessment.unscoped.filter(year=round_.year, member__in=members).filter(FINAL)
    return members.count() - decided.count()


@transaction.atomic
def close_round(actor, round_: Round, *, reason: str = "") -> Round:
    """Lock the round: grades change afterwards only by a reasoned correction, self-assessments
    and commitments of the year no longer change. The year's statistics count every member
    graded or not graded with a reason (HD 43-HD/BTCTW; the HD 11 forms): a lock that leaves
    members without a result is an exception, recorded with its reason."""
    require(actor, Capability.MANAGE_ORGS, round_.org_path)
    round_ = Round.unscoped.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise DomainError("Đợt đánh giá đã khóa.")
    require_text(reason, field="reason", label="Lý do", multiline=True)
    pending = round_pending(round_)
    if pending and not reason.strip():
        raise DomainError(
            f"Còn {number(pending)} đảng viên chưa có kết quả xếp loại: hãy nêu lý do khóa đợt khi "
            "chưa xếp loại xong.",
            field="reason",
        )
    round_.status, round_.closed_by, round_.closed_at = (Round.Status.CLOSED, actor, timezone.now())
    round_.save(update_fields=["status", "closed_by", "closed_at"])
    changes = {"status": [Round.Status.OPEN.label, Round.Status.CLOSED.label]}
    if pending:
        changes["pending"] = [None, pending]
    audit.record(
        actor,
        "assessment.round_close",
        round_,
        org_path=round_.org_path,
        changes=changes,
        reason=reason.strip(),
    )
    return round_


@transaction.atomic
def reopen_round(actor, round_: Round, *, reason: str) -> Round:
    """Open a locked round again (a lock by mistake, members still to grade): the officers who
    may lock it may reopen it, always with a reason kept in the round's history."""
    require(actor, Capability.MANAGE_ORGS, round_.org_path)
    round_ = Round.unscoped.select_for_update().get(pk=round_.pk)
    if round_.is_open:
        raise DomainError("Đợt đánh giá đang mở.")
    reason = require_reason(reason, "Hãy nêu lý do mở lại đợt đánh giá.")
    closed_at = round_.closed_at
    round_.status, round_.closed_by, round_.closed_at = (Round.Status.OPEN, None, None)
    round_.save(update_fields=["status", "closed_by", "closed_at"])
    audit.record(
        actor,
        "assessment.round_reopen",
        round_,
        org_path=round_.org_path,
        changes={
            "status": [Round.Status.CLOSED.label, Round.Status.OPEN.label],
            "closed_at": [timezone.localtime(closed_at).date() if closed_at else None, None],
        },
        reason=reason.strip(),
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


def _grading_day(year: int) -> datetime.date:
    """The day a grade of `year` is decided on: the year's end, or today within the year."""
    return min(timezone.localdate(), datetime.date(year, 12, 31))


def _suspension_error(grade: str, suspension) -> str:
    """A member whose party activity is suspended when the grade is decided is not graded
    (HD 21-HD/BTCTW; QĐ 296-QĐ/TW chương VI): recorded not graded, «Đình chỉ sinh hoạt đảng»."""
    if not grade or suspension is None:
        return ""
    return (
        f"Đảng viên bị đình chỉ sinh hoạt đảng từ {suspension.starts_on:%d/%m/%Y} (quyết định "
        f"{suspension.decision_number}): không xếp loại, chọn «{NotGraded.SUSPENDED.label}»."
    )


# QĐ 124-QĐ/TW: a member who found and remedied the violation themself may be graded above the
# cap; the competent committee records it as an exception, with its reason (domain.md).
DISCIPLINE_EXCEPTION_HINT = (
    " Nếu cấp có thẩm quyền cho phép (đảng viên tự phát hiện, khắc phục vi phạm, QĐ 124), ghi lý "
    "do ngoại lệ."
)


def _record_discipline_exception(actor, member: Member, reason: str, message: str) -> None:
    record_exception(
        actor,
        member,
        rule_key="disciplined_max_grade_rank",
        org_path=member.branch_path,
        reason=reason,
        document="",
        problem=f"{member.full_name}: {message}",
    )


def _check_discipline_cap(
    actor, member: Member, grade: str, disciplined: bool, year: int, exception_reason: str = ""
) -> None:
    """The cap on a disciplined member's grade, lifted only by a recorded exception."""
    if grade and disciplined:
        message = grading.discipline_error(YearRules.of(year), grade, disciplined)
        if message and exception_reason.strip():
            _record_discipline_exception(actor, member, exception_reason, message)
        elif message:
            raise DomainError(message + DISCIPLINE_EXCEPTION_HINT, field="grade")


@transaction.atomic
def submit_self_assessment(
    user,
    year: int,
    self_grade: str,
    text: str,
    *,
    expected_version: str | None = None,
    self_form: str = "",
    self_score: int | None = None,
) -> MemberAssessment:
    """The member's own self-assessment (bản tự kiểm điểm) and self-grade, while the round is
    open. `expected_version`: what the page showed (`self_assessment_version`)."""
    member = Member.unscoped.filter(user=user).first()
    if member is None:
        raise DomainError("Tài khoản chưa gắn với hồ sơ đảng viên.")
    if not member.is_active:
        raise DomainError("Hồ sơ không còn ở trạng thái đảng viên.")
    _open_round_for(member.branch_path, year, AFTER_LOCK_SELF)
    if self_grade not in Grade.values:
        raise DomainError("Hãy chọn mức tự xếp loại.", field="self_grade")
    if not text.strip():
        raise DomainError("Bản tự kiểm điểm không được để trống.", field="self_assessment")
    if self_form and self_form not in SelfForm.values:
        raise DomainError("Mẫu bản kiểm điểm không hợp lệ.", field="self_form")
    if self_score is not None:
        message = grading.score_error(YearRules.of(year), "", Facts(score=self_score))
        if message:
            raise DomainError(message, field="self_score")
    versions.check(None, expected_version, **_self_history(member, year))
    assessment = _assessment(member, year)
    if is_final(assessment):
        raise DomainError("Đã có kết quả xếp loại; không sửa được bản tự kiểm điểm.")
    old = SHORT_LABELS[Grade(assessment.self_grade)] if assessment.self_grade else None
    assessment.self_grade, assessment.self_assessment = self_grade, text.strip()
    assessment.self_form, assessment.self_score = self_form, self_score
    assessment.self_submitted_at = timezone.now()
    assessment.self_paper_on, assessment.self_recorded_by = None, None  # now the member's own
    assessment.save()
    audit.record(
        user,
        "assessment.self",
        member,
        org_path=member.branch_path,
        changes={f"self_grade_{year}": [old, SHORT_LABELS[Grade(self_grade)]]},
    )
    return assessment


@transaction.atomic
def record_paper_self_assessment(
    actor,
    member: Member,
    year: int,
    self_grade: str,
    received_on: datetime.date,
    note: str = "",
    *,
    expected_version: str | None = None,
) -> MemberAssessment:
    """The branch records the self-assessment a member wrote on paper (a member without an
    account, or who cannot use one): every member writes one before the branch proposes a
    grade (HD 43-HD/BTCTW, the individual self-assessment forms 2A-2C). The paper stays with
    the branch; the record keeps the self-grade, the day it was received and who recorded it.
    A self-assessment the member sent through the system is never overwritten this way."""
    require(actor, Capability.MANAGE_MEMBERS, member.branch_path)
    if not member.is_active:
        raise DomainError(f"{member.full_name} không còn là đảng viên.")
    _open_round_for(member.branch_path, year, AFTER_LOCK_PAPER)
    if self_grade not in Grade.values:
        raise DomainError("Hãy chọn mức tự xếp loại ghi trên bản giấy.", field="self_grade")
    if received_on > timezone.localdate():
        raise DomainError("Ngày nhận không thể ở tương lai.", field="received_on")
    if received_on.year < year:
        raise DomainError(
            f"Bản tự kiểm điểm năm {year} được nhận từ năm {year} trở đi.", field="received_on"
        )
    require_text(note, field="note", label="Ghi chú", multiline=True)
    versions.check(None, expected_version, **_self_history(member, year))
    assessment = _assessment(member, year)
    if is_final(assessment):
        raise DomainError("Đã có kết quả xếp loại; không sửa được bản tự kiểm điểm.")
    if assessment.self_submitted_at and assessment.self_paper_on is None:
        raise DomainError(
            f"{member.full_name} đã tự nộp bản tự kiểm điểm trên hệ thống ngày "
            f"{timezone.localtime(assessment.self_submitted_at):%d/%m/%Y}."
        )
    old = SHORT_LABELS[Grade(assessment.self_grade)] if assessment.self_grade else None
    assessment.self_grade, assessment.self_assessment = self_grade, note.strip()
    assessment.self_submitted_at, assessment.self_paper_on = timezone.now(), received_on
    assessment.self_recorded_by = actor
    assessment.save()
    audit.record(
        actor,
        "assessment.self_paper",
        member,
        org_path=member.branch_path,
        changes={f"self_grade_{year}": [old, SHORT_LABELS[Grade(self_grade)]]},
        effective_on=received_on,
    )
    return assessment


def _grade_choice_error(grade: str, reason: str, *, required: bool) -> str:
    if grade and reason:
        return "Chọn xếp loại hoặc lý do không xếp loại, không chọn cả hai."
    if required and not grade and not reason:
        return "Chọn đúng một xếp loại hoặc một lý do không xếp loại."
    if (grade and grade not in Grade.values) or (reason and reason not in NotGraded.values):
        return "Xếp loại không hợp lệ."
    return ""


def _assessments_of(members: dict[int, Member], year: int) -> dict[int, MemberAssessment]:
    """The year's assessment of each member, existing or new (not saved yet)."""
    found = {
        a.member_id: a
        for a in MemberAssessment.unscoped.filter(year=year, member_id__in=list(members))
    }
    return {
        pk: found.get(pk)
        or MemberAssessment(member=m, year=year, branch=m.branch, branch_path=m.branch_path)
        for pk, m in members.items()
    }


def _save_all(assessments: list[MemberAssessment], fields: list[str]) -> None:
    records_changed(  # bulk writes send no signals; grades only
        paths=[a.branch_path for a in assessments], membership=False
    )
    MemberAssessment.unscoped.bulk_create([a for a in assessments if a.pk is None])
    existing = [a for a in assessments if a.pk is not None]
    for assessment in existing:  # a screen opened before this save is now stale
        assessment.version = F("version") + 1
    MemberAssessment.unscoped.bulk_update(existing, [*fields, "version"])


def proposal_facts(proposal: dict) -> Facts:
    """The score, its conditions and the sick leave a proposal carries (keys "score",
    "on_time", "exceeding", "remedied", "sick_months"; absent = not given)."""
    return Facts(
        proposal.get("score"),
        proposal.get("on_time"),
        proposal.get("exceeding"),
        proposal.get("remedied"),
        proposal.get("sick_months"),
    )


PROPOSAL_FIELDS = [
    "score",
    "tasks_on_time",
    "exceeding_percent",
    "shortcomings_remedied",
    "sick_months",
    "proposed_grade",
    "proposed_not_graded",
    "branch_comment",
    "disciplined_in_year",
    "proposed_by",
    "proposed_at",
]


@transaction.atomic
def propose_grades(
    actor, branch: Organization, year: int, proposals: dict[int, dict]
) -> list[MemberAssessment]:
    """The branch's proposals for many members at once (the fast grading screen): every row is
    checked first; one invalid row saves nothing (RowErrors lists them all).

    `proposals` maps member id → {"grade": slug or "", "not_graded": reason or "",
    "comment": str, "disciplined": bool}.
    """
    require(actor, Capability.MANAGE_MEMBERS, branch.path)
    _open_round_for(branch.path, year, AFTER_LOCK_PROPOSAL)
    members = {
        m.pk: m
        for m in Member.unscoped.filter(
            pk__in=list(proposals), branch=branch, status__in=ACTIVE_STATUSES
        ).select_related("branch")
    }
    if set(proposals) - set(members):
        raise DomainError(
            "Có người trong danh sách không thuộc chi bộ này hoặc không còn là đảng viên."
        )
    assessments = _assessments_of(members, year)
    stale = _stale_rows(MemberAssessment, assessments, members, proposals)
    if stale.errors:
        raise stale
    rules = YearRules.of(year)
    recorded = disciplined_in(proposals, year)
    suspended = suspended_on(proposals, _grading_day(year))
    errors = {}
    for member_id, proposal in proposals.items():
        grade, reason = proposal.get("grade", ""), proposal.get("not_graded", "")
        disciplined = bool(proposal.get("disciplined")) or member_id in recorded
        message = (
            ("Đã có kết quả xếp loại cuối cùng." if is_final(assessments[member_id]) else "")
            or _grade_choice_error(grade, reason, required=False)
            or _suspension_error(grade, suspended.get(member_id))
            or grading.member_error(
                rules, members[member_id], grade, reason, proposal_facts(proposal)
            )
            or grading.discipline_error(rules, grade, disciplined)
        )
        if message:
            errors[member_id] = f"{members[member_id].full_name}: {message}"
    if errors:
        raise RowErrors(errors)
    now, changed = timezone.now(), []
    for member_id, proposal in proposals.items():
        assessment = assessments[member_id]
        grade, reason = proposal.get("grade", ""), proposal.get("not_graded", "")
        old = assessment.proposed_grade or assessment.proposed_not_graded
        assessment.proposed_grade, assessment.proposed_not_graded = grade, reason
        assessment.branch_comment = proposal.get("comment", "").strip()
        assessment.disciplined_in_year = bool(proposal.get("disciplined")) or member_id in recorded
        facts = proposal_facts(proposal)
        assessment.score, assessment.tasks_on_time = facts.score, facts.on_time
        assessment.exceeding_percent = facts.exceeding_percent
        assessment.shortcomings_remedied, assessment.sick_months = facts.remedied, facts.sick_months
        assessment.proposed_by, assessment.proposed_at = actor, now
        if old != (grade or reason):
            changed.append(
                (
                    members[member_id],
                    {f"proposed_{year}": [outcome_label(old), outcome_label(grade or reason)]},
                )
            )
    _save_all(list(assessments.values()), PROPOSAL_FIELDS)
    _audit_many(actor, "assessment.propose", changed)
    return list(assessments.values())


def leader_caps(rules: YearRules, member_ids, grades: dict[int, str]) -> dict[int, str]:
    """Why a leader's grade is refused: better than the grade of a unit they lead as its bí thư
    at the year's end (QĐ 366-QĐ/TW Điều 11: a leader's conditions apply to the unit they lead;
    QĐ 124-QĐ/TW: a leader is not excellent when the unit is not). A unit not graded yet is
    checked when it is (`grade_child_organizations`)."""
    led = led_units([pk for pk in member_ids if grades.get(pk)], rules.year_end)
    if not led:
        return {}
    units = {
        a.organization_id: a
        for a in OrgAssessment.unscoped.filter(
            year=rules.year, organization_id__in={o for ids in led.values() for o in ids}
        )
        .exclude(grade="")
        .select_related("organization")
    }
    errors = {}
    for member_id, org_ids in led.items():
        grade = grades[member_id]
        for org_id in org_ids:
            unit = units.get(org_id)
            if unit is not None and RANK[Grade(grade)] < RANK[Grade(unit.grade)]:
                errors[member_id] = (
                    f"Bí thư {unit.organization.name}, nơi được xếp loại "
                    f"«{SHORT_LABELS[Grade(unit.grade)]}» năm {rules.year}: người đứng đầu không "
                    "được xếp loại cao hơn tổ chức mình lãnh đạo (QĐ 366-QĐ/TW Điều 11)."
                )
                break
    return errors


def unit_heads(rules: YearRules, grades: dict[int, str]) -> dict[int, DomainError]:
    """Why an organisation's grade is refused: its bí thư at the year's end already holds a
    better grade of that year (QĐ 366-QĐ/TW Điều 11; the other side of `leader_caps`)."""
    heads = heads_on([pk for pk, grade in grades.items() if grade], rules.year_end)
    if not heads:
        return {}
    graded = {
        a.member_id: a
        for a in MemberAssessment.unscoped.filter(
            year=rules.year, member_id__in=set(heads.values())
        )
        .exclude(grade="")
        .select_related("member")
    }
    errors = {}
    for org_id, member_id in heads.items():
        head = graded.get(member_id)
        if head is not None and RANK[Grade(head.grade)] < RANK[Grade(grades[org_id])]:
            errors[org_id] = DomainError(
                f"bí thư {head.member.full_name} đã được xếp loại "
                f"«{SHORT_LABELS[Grade(head.grade)]}» năm {rules.year}: tổ chức không được xếp "
                "thấp hơn người đứng đầu (QĐ 366-QĐ/TW Điều 11); đính chính xếp loại của bí thư "
                "trước.",
                field="grade",
            )
    return errors


def excellent_cap(good: int, year: int) -> int:
    """How many "excellent" a base organisation may have, given its number of "good"
    (QĐ 124 Điều 12: at most 20% of those graded good; percent and rounding per rule set)."""
    percent = _rules(year, "excellent_cap_percent_of_good")
    exact = good * percent / 100
    return math.ceil(exact) if _rules(year, "excellent_cap_round_up") else math.floor(exact)


def _check_cap(actor, graded, org: Organization, year: int, who: str, exception_reason: str):
    """The excellent cap (QĐ 124 Điều 12) over the assessments `graded` (a queryset) counted
    for `org`: at most the rule set's share of those graded good; past it, refused unless an
    exception's reason is given, then recorded. `who`: what is counted ("đảng viên")."""
    counts = graded.aggregate(
        excellent=Count("pk", filter=Q(grade=Grade.EXCELLENT)),
        good=Count("pk", filter=Q(grade=Grade.GOOD)),
    )
    cap = excellent_cap(counts["good"], year)
    if counts["excellent"] <= cap:
        return
    message = (
        f"{org.name}: {number(counts['excellent'])} {who} xuất sắc vượt giới hạn "
        f"{number(cap)} (tối đa {number(_rules(year, 'excellent_cap_percent_of_good'))}% của "
        f"{number(counts['good'])} {who} hoàn thành tốt nhiệm vụ)."
    )
    if not exception_reason.strip():
        raise DomainError(
            message + " Ghi lý do và văn bản nếu cấp có thẩm quyền cho phép vượt.",
            field="exception_reason",
        )
    RuleException.unscoped.create(
        rule_key="excellent_cap_percent_of_good",
        target_type="organizations.organization",
        target_id=org.pk,
        org_path=org.path,
        reason=f"{exception_reason.strip()} ({message})",
        actor=actor,
    )


def _check_excellent_cap(actor, base: Organization, year: int, exception_reason: str) -> None:
    """The members of a base organisation."""
    graded = MemberAssessment.unscoped.filter(year=year, branch_path__startswith=base.path)
    _check_cap(actor, graded, base, year, "đảng viên", exception_reason)


@transaction.atomic
def decide_grades(
    actor, base: Organization, year: int, decisions: dict[int, dict], exception_reason: str = ""
) -> list[MemberAssessment]:
    """The base committee's final grades for members of a base organisation, checked together
    against the excellent cap of that base organisation. Every row is checked first; one
    invalid row saves nothing (RowErrors lists them all)."""
    if base.kind not in BASE_KINDS:
        raise DomainError(f"{base.name} không phải tổ chức cơ sở đảng.")
    require(actor, Capability.MANAGE_ORGS, base.path)
    _open_round_for(base.path, year)
    members = {
        m.pk: m
        for m in Member.unscoped.filter(
            pk__in=list(decisions), branch_path__startswith=base.path, status__in=ACTIVE_STATUSES
        ).select_related("branch")
    }
    if set(decisions) - set(members):
        raise DomainError(
            "Có người trong danh sách không thuộc tổ chức cơ sở này hoặc không còn là đảng viên."
        )
    assessments = _assessments_of(members, year)
    stale = _stale_rows(MemberAssessment, assessments, members, decisions)
    if stale.errors:
        raise stale
    rules = YearRules.of(year)
    recorded = disciplined_in(decisions, year)
    suspended = suspended_on(decisions, _grading_day(year))
    leaders = leader_caps(rules, decisions, {pk: d.get("grade", "") for pk, d in decisions.items()})
    errors, excepted = {}, {}
    for member_id, decision in decisions.items():
        grade, reason = decision.get("grade", ""), decision.get("not_graded", "")
        assessment = assessments[member_id]
        disciplined = assessment.disciplined_in_year or member_id in recorded
        message = (
            _grade_choice_error(grade, reason, required=True)
            or _suspension_error(grade, suspended.get(member_id))
            or grading.member_error(rules, members[member_id], grade, reason, Facts.of(assessment))
            or leaders.get(member_id, "")
        )
        capped = grading.discipline_error(rules, grade, disciplined)
        if not message and capped and exception_reason.strip():
            excepted[member_id] = capped  # allowed, the exception recorded below
        elif message or capped:
            errors[member_id] = f"{members[member_id].full_name}: {message or capped}"
            if capped and not message:
                errors[member_id] += DISCIPLINE_EXCEPTION_HINT
    if errors:
        raise RowErrors(errors)
    for member_id, capped in excepted.items():
        _record_discipline_exception(actor, members[member_id], exception_reason, capped)
    now, changed = timezone.now(), []
    for member_id, decision in decisions.items():
        assessment = assessments[member_id]
        grade, reason = decision.get("grade", ""), decision.get("not_graded", "")
        old = assessment.grade or assessment.not_graded
        assessment.grade, assessment.not_graded = grade, reason
        assessment.decided_by, assessment.decided_at = actor, now
        if old != (grade or reason):
            changed.append(
                (
                    members[member_id],
                    {f"grade_{year}": [outcome_label(old), outcome_label(grade or reason)]},
                )
            )
    _save_all(list(assessments.values()), ["grade", "not_graded", "decided_by", "decided_at"])
    _audit_many(actor, "assessment.decide", changed)
    _check_excellent_cap(actor, base, year, exception_reason)
    return list(assessments.values())


@transaction.atomic
def correct_grade(
    actor,
    assessment: MemberAssessment,
    grade: str,
    reason: str,
    not_graded: str = "",
    exception_reason: str = "",
    expected_version: str | None = None,
) -> MemberAssessment:
    """Change a final grade after the round closed: an officer's correction with its reason. A
    correction that takes the base organisation past the excellent cap needs its own exception
    reason, as the decision does (QĐ 124 Điều 12). `expected_version`: the version the page
    showed; a correction over a later one is refused."""
    base = base_organization(assessment.branch)
    if not can(actor, Capability.MANAGE_ORGS, base.path):
        raise ScopeDenied("Chỉ cấp ủy có thẩm quyền được đính chính kết quả xếp loại.")
    versions.check(
        assessment,
        expected_version,
        history_of=assessment.member,
        actions="assessment.",
        label=f"Kết quả xếp loại của {assessment.member}",
    )
    assessment = MemberAssessment.unscoped.select_for_update().get(pk=assessment.pk)
    round_ = covering_round(assessment.branch_path, assessment.year)
    if round_ is not None and round_.is_open:
        raise DomainError(
            "Đợt đánh giá còn mở: sửa kết quả trên màn hình quyết định xếp loại, "
            "chưa cần đính chính."
        )
    if not reason.strip():
        raise DomainError("Đính chính cần ghi lý do và căn cứ.", field="reason")
    message = _grade_choice_error(grade, not_graded, required=True)
    if message:
        raise DomainError(message, field="grade")
    disciplined = assessment.disciplined_in_year or bool(
        disciplined_in([assessment.member_id], assessment.year)
    )
    rules = YearRules.of(assessment.year)
    message = grading.member_error(
        rules, assessment.member, grade, not_graded, Facts.of(assessment)
    ) or leader_caps(rules, [assessment.member_id], {assessment.member_id: grade}).get(
        assessment.member_id, ""
    )
    if message:
        raise DomainError(message, field="grade")
    _check_discipline_cap(
        actor, assessment.member, grade, disciplined, assessment.year, exception_reason
    )
    day = _grading_day(assessment.year)
    if message := _suspension_error(
        grade, suspended_on([assessment.member_id], day).get(assessment.member_id)
    ):
        raise DomainError(message, field="grade")
    old = assessment.grade or assessment.not_graded
    assessment.grade, assessment.not_graded = grade, not_graded
    assessment.decided_by, assessment.decided_at = actor, timezone.now()
    assessment.version += 1
    assessment.save()
    _check_excellent_cap(actor, base, assessment.year, exception_reason)
    audit.record(
        actor,
        "assessment.correct",
        assessment.member,
        org_path=assessment.branch_path,
        changes={
            f"grade_{assessment.year}": [outcome_label(old), outcome_label(grade or not_graded)]
        },
        reason=reason,
    )
    return assessment


# -- Organisations ---------------------------------------------------------------------------


def _org_grade_error(
    year: int, values: dict, round_: Round | None, correction_reason: str
) -> DomainError | None:
    """Why one organisation's grade is refused: a grade or a reason not to grade; never
    excellent after a discipline in its subtree or committee that year (R4.4); a closed round
    needs a correction's reason."""
    message = _grade_choice_error(values["grade"], values["not_graded"], required=True)
    if message:
        return DomainError(message, field="grade")
    if values["grade"] == Grade.EXCELLENT and values["discipline_in_year"]:
        return DomainError(
            "Tổ chức có tổ chức trực thuộc hoặc cấp ủy viên bị kỷ luật trong năm "
            "không được xếp loại hoàn thành xuất sắc nhiệm vụ.",
            field="grade",
        )
    if round_ is not None and not round_.is_open and not correction_reason.strip():
        return DomainError(
            f"Đợt đánh giá năm {year} đã khóa: đính chính cần ghi lý do.", field="correction_reason"
        )
    return None


def _org_discipline_cap_error(
    values: dict, share: tuple[bool, int, int], max_percent: int, max_rank: int
) -> DomainError | None:
    """An organisation disciplined itself in the year (its leadership, as a collective), or more
    than the rule set's share of whose sub-units were, is graded at best the rule set's grade,
    "not completed" (QĐ 132-QĐ/TW Điều 12.4, QĐ 124; the rules
    `org_disciplined_subunits_max_percent`, `org_disciplined_max_grade_rank`)."""
    grade = values["grade"]
    if not grade or RANK[Grade(grade)] >= max_rank:
        return None
    itself, disciplined, sub_units = share
    if itself:
        why = "tổ chức (tập thể lãnh đạo) bị kỷ luật trong năm"
    elif sub_units and disciplined * 100 > max_percent * sub_units:
        why = (
            f"{disciplined}/{sub_units} tổ chức trực thuộc bị kỷ luật trong năm, quá {max_percent}%"
        )
    else:
        return None
    best = SHORT_LABELS[GRADES[max_rank - 1]]
    if max_rank == len(GRADES):
        return DomainError(f"{why.capitalize()}: chỉ được xếp loại «{best}».", field="grade")
    return DomainError(
        f"{why.capitalize()}: chỉ được xếp loại từ «{best}» trở xuống.", field="grade"
    )


def _new_org_error(rules: YearRules, org: Organization, values: dict) -> DomainError | None:
    """An organisation founded less than the rule's months (6) before the year's end is
    reviewed but not graded (HD 21-HD/BTCTW mục II.6)."""
    if not values["grade"] or org.founded_on is None:
        return None
    if add_months(org.founded_on, rules.new_org_months) <= rules.year_end:
        return None
    return DomainError(
        f"Thành lập ngày {org.founded_on:%d/%m/%Y}, chưa đủ {rules.new_org_months} tháng đến "
        f"31/12/{rules.year}: chỉ kiểm điểm, không xếp loại (HD 21-HD/BTCTW mục II.6).",
        field="grade",
    )


def _check_org_excellent_cap(actor, parent: Organization, year: int, exception_reason: str) -> None:
    """The excellent cap applies to organisations too (QĐ 124 Điều 12: collectives and
    individuals alike): among the children one upper level grades."""
    graded = OrgAssessment.unscoped.filter(year=year, organization__parent=parent)
    _check_cap(actor, graded, parent, year, "tổ chức trực thuộc", exception_reason)


ORG_GRADE_FIELDS = [
    "score",
    "late_percent",
    "exceeding_percent",
    "grade",
    "not_graded",
    "discipline_in_year",
    "not_graded_note",
    "decided_by",
    "decided_at",
]


def _org_values(values: dict) -> dict:
    return {
        "grade": values.get("grade", ""),
        "not_graded": values.get("not_graded", ""),
        "discipline_in_year": bool(values.get("discipline_in_year")),
        "note": values.get("note", "").strip(),
        # QĐ 366 years: the score out of 100, the shares of tasks late and exceeding.
        "score": values.get("score"),
        "late": values.get("late"),
        "exceeding": values.get("exceeding"),
    }


def _org_score_error(rules: YearRules, values: dict) -> DomainError | None:
    message = grading.org_score_error(
        rules, values["grade"], values["score"], values["late"], values["exceeding"]
    )
    return DomainError(message, field="grade") if message else None


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
    """The direct upper level's standing committee grades an organisation (one row of
    `grade_child_organizations`)."""
    if organization.parent_id is None:
        raise DomainError("Tổ chức cấp cao nhất không được xếp loại trong hệ thống này.")
    parent = Organization.unscoped.get(pk=organization.parent_id)
    values = {
        "grade": grade,
        "not_graded": not_graded,
        "discipline_in_year": discipline_in_year,
        "note": note,
    }
    require(actor, Capability.MANAGE_ORGS, parent.path)
    round_ = covering_round(organization.path, year)
    error = _org_grade_error(year, values, round_, correction_reason)
    if error is not None:
        raise error
    return grade_child_organizations(
        actor, parent, year, {organization.pk: values}, correction_reason
    )[0]


@transaction.atomic
def grade_child_organizations(
    actor,
    parent: Organization,
    year: int,
    grades: dict[int, dict],
    correction_reason: str = "",
    exception_reason: str = "",
) -> list[OrgAssessment]:
    """The direct upper level grades several of its children from one screen: every row is
    checked first, one refused row saves nothing (RowErrors lists them all); then one query
    reads, one or two write and one records the history, whatever the number of rows.

    `grades` maps organisation id → {"grade", "not_graded", "discipline_in_year", "note"}.
    """
    require(actor, Capability.MANAGE_ORGS, parent.path)
    _check_year(year)
    children = {o.pk: o for o in Organization.unscoped.filter(pk__in=list(grades), parent=parent)}
    if set(grades) - set(children):
        raise DomainError(f"Có tổ chức không trực thuộc {parent.name} trong danh sách.")
    # The round covering each child: the parent's (or above), or one opened on the child.
    rounds = Round.unscoped.filter(
        year=year,
        org_path__in=[*ancestor_paths(parent.path), *(c.path for c in children.values())],
    )
    by_path = {round_.org_path: round_ for round_ in rounds}

    def round_of(child: Organization) -> Round | None:
        paths = [path for path in ancestor_paths(child.path) if path in by_path]
        return by_path[max(paths, key=len)] if paths else None

    rows = {org_id: _org_values(values) for org_id, values in grades.items()}
    # A decision on record disciplining the organisation or one below it counts though the
    # box was left empty.
    for org_id in organizations_disciplined_in(parent.path, children.values(), year):
        if org_id in rows:
            rows[org_id]["discipline_in_year"] = True
    errors = {}
    shares = disciplined_share(children.values(), year)
    rules = YearRules.of(year)
    max_percent = _rules(year, "org_disciplined_subunits_max_percent")
    max_rank = _rules(year, "org_disciplined_max_grade_rank")
    heads = unit_heads(rules, {pk: values["grade"] for pk, values in rows.items()})
    for org_id, values in rows.items():
        error = (
            _org_grade_error(year, values, round_of(children[org_id]), correction_reason)
            or _new_org_error(rules, children[org_id], values)
            or _org_score_error(rules, values)
            or _org_discipline_cap_error(values, shares[org_id], max_percent, max_rank)
            or heads.get(org_id)
        )
        if error is not None:
            errors[org_id] = f"{children[org_id].name}: {error.message}"
    if errors:
        raise RowErrors(errors)
    existing = {
        a.organization_id: a
        for a in OrgAssessment.unscoped.filter(organization_id__in=list(rows), year=year)
    }
    stale = _stale_rows(OrgAssessment, existing, children, grades)
    if stale.errors:
        raise stale
    now, saved, changed = timezone.now(), [], []
    for org_id, values in rows.items():
        child = children[org_id]
        assessment = existing.get(org_id) or OrgAssessment(
            organization=child, org_path=child.path, year=year
        )
        old = assessment.grade or assessment.not_graded
        assessment.grade, assessment.not_graded = values["grade"], values["not_graded"]
        assessment.discipline_in_year = values["discipline_in_year"]
        assessment.not_graded_note = values["note"]
        assessment.score, assessment.late_percent = values["score"], values["late"]
        assessment.exceeding_percent = values["exceeding"]
        assessment.decided_by, assessment.decided_at = actor, now
        saved.append(assessment)
        new = values["grade"] or values["not_graded"]
        changed.append((child, {f"grade_{year}": [outcome_label(old), outcome_label(new)]}))
    OrgAssessment.unscoped.bulk_create([a for a in saved if a.pk is None])
    updated = [a for a in saved if a.pk is not None]
    for assessment in updated:  # a screen opened before this save is now stale
        assessment.version = F("version") + 1
    OrgAssessment.unscoped.bulk_update(updated, [*ORG_GRADE_FIELDS, "version"])
    # bulk writes send no signals: the quality reports cached above these organisations
    records_changed(paths=[child.path for child, _ in changed], membership=False)
    _audit_many(actor, "assessment.org_grade", changed, reason=correction_reason)
    _check_org_excellent_cap(actor, parent, year, exception_reason)
    return saved
