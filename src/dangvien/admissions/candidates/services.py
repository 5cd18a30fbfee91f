"""The candidate pool: entering outstanding non-members, the awareness class, taking a
candidate out of consideration and taking them up again (the members who help them and write
their introductions: introducers/services.py)."""

import datetime

from django.db import transaction
from django.utils import timezone

from dangvien.admissions.models import (
    OPEN_STAGES,
    AdmissionStep,
    AdmissionStepKind,
    Candidate,
    Stage,
    StepOutcome,
)
from dangvien.admissions.shared.services import require_day
from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.core.vntext import fold
from dangvien.members import conflicts
from dangvien.members.models import ACTIVE_STATUSES, ConflictKind, Member, Status
from dangvien.members.rules import CITIZEN_ID
from dangvien.organizations.models import Organization

# The fields of a candidate an officer or secretary types; they become the member record's own
# fields on admission (nothing typed twice).
CANDIDATE_FIELDS = [
    "full_name",
    "gender",
    "birth_date",
    "birthplace",
    "place_of_origin",
    "ethnicity",
    "religion",
    "citizen_id",
    "phone",
    "occupation",
    "workplace",
    "residence",
    "residence_org",
    "general_education",
    "qualification",
    "political_theory",
    "youth_union_member",
]
REQUIRED = {"full_name": "Họ và tên", "gender": "Giới tính", "birth_date": "Ngày sinh"}


def require_manage(actor, candidate: Candidate) -> None:
    require(actor, Capability.MANAGE_MEMBERS, candidate.org_path)


def require_open(candidate: Candidate) -> None:
    if not candidate.is_open:
        raise DomainError(
            f"Hồ sơ của {candidate.full_name} đã khép lại ({candidate.get_stage_display()})."
        )
    if not candidate.organization.is_active:
        raise DomainError(
            f"{candidate.organization.name} đã giải thể: chuyển quần chúng sang chi bộ khác "
            "trước khi tiếp tục hồ sơ."
        )


def locked_open(actor, candidate: Candidate) -> Candidate:
    """The candidate's row, locked for this transaction and checked again: a page may have been
    loaded before someone else withdrew or admitted them."""
    require_manage(actor, candidate)
    candidate = (
        Candidate.unscoped.select_for_update().select_related("organization").get(pk=candidate.pk)
    )
    require_open(candidate)
    return candidate


def branch_has_voted(candidate: Candidate) -> bool:
    return (
        AdmissionStep.objects.filter(candidate=candidate, kind=AdmissionStepKind.BRANCH_VOTE)
        .exclude(outcome=StepOutcome.FAILED)
        .exists()
    )


def require_before_vote(candidate: Candidate, what: str) -> None:
    """What the branch checked when it voted (age, schooling, class, introductions) stays as it
    was: the file is fixed once the branch has proposed the admission."""
    if branch_has_voted(candidate):
        raise DomainError(f"Chi bộ đã biểu quyết đề nghị kết nạp: không sửa {what} được nữa.")


def _clean(values: dict) -> dict:
    cleaned = {field: values[field] for field in CANDIDATE_FIELDS if field in values}
    for field, value in cleaned.items():
        if isinstance(value, str):
            cleaned[field] = value.strip()
    if cleaned.get("citizen_id") == "":
        cleaned["citizen_id"] = None
    return cleaned


def _check(actor, values: dict, path: str, exclude_pk: int | None = None) -> None:
    for field, label in REQUIRED.items():
        if not values.get(field):
            raise DomainError(f"{label} là bắt buộc.", field=field)
    if values["birth_date"] > timezone.localdate():
        raise DomainError("Ngày sinh không thể ở tương lai.", field="birth_date")
    citizen_id = values.get("citizen_id")
    if citizen_id:
        if not CITIZEN_ID.match(citizen_id):
            raise DomainError("Số CCCD phải gồm đúng 12 chữ số.", field="citizen_id")
        _check_citizen_id_free(actor, citizen_id, values, path, exclude_pk)
    else:
        _check_namesake(values, exclude_pk)


def _check_citizen_id_free(
    actor, citizen_id: str, values: dict, path: str, exclude_pk: int | None
) -> None:
    """A citizen ID already on a candidate or a member: named when the actor sees that record,
    otherwise refused without saying whose (recorded by `records_conflicts`)."""
    holder = Candidate.unscoped.filter(citizen_id=citizen_id).exclude(pk=exclude_pk).first()
    if holder is not None:
        holder_path, label = holder.org_path, f"quần chúng {holder.full_name}"
    else:
        holder = Member.unscoped.filter(citizen_id=citizen_id).first()
        if holder is None:
            return
        holder_path = holder.branch_path
        label = f"đảng viên {holder.full_name} (mã {holder.code})"
    if conflicts.sees(actor, holder_path):
        raise DomainError(
            f"Số CCCD {citizen_id} đã có trong hệ thống. Đó là hồ sơ của {label}.",
            field="citizen_id",
        )
    collision = conflicts.Collision(
        ConflictKind.CITIZEN_ID,
        citizen_id,
        holder,
        holder_path,
        path,
        attempted_label=f"quần chúng {values['full_name']}",
        existing_label=label,
    )
    raise conflicts.collision_error("Số CCCD", collision, field="citizen_id")


def _check_namesake(values: dict, exclude_pk: int | None) -> None:
    """Without a citizen ID, the same folded name and birth date as an open candidate or a
    party member (active, or transferred out of the system: still a member) is taken for the
    same person: admitting them twice must not happen."""
    same = {"search_name": fold(values["full_name"]), "birth_date": values["birth_date"]}
    taken = (
        Candidate.unscoped.filter(stage__in=OPEN_STAGES, **same).exclude(pk=exclude_pk).exists()
        or Member.unscoped.filter(
            status__in=(*ACTIVE_STATUSES, Status.TRANSFERRED_OUT), **same
        ).exists()
    )
    if taken:
        raise DomainError(
            f"Đã có người cùng họ tên và ngày sinh {values['birth_date']:%d/%m/%Y} trong hệ "
            "thống: nếu là người khác, hãy ghi số CCCD để phân biệt.",
            field="citizen_id",
        )


@conflicts.records_conflicts("Đưa quần chúng vào nguồn kết nạp")
@transaction.atomic
def create_candidate(
    actor, *, organization: Organization, values: dict, selected_on: datetime.date
) -> Candidate:
    """Put an outstanding non-member into the pool of the branch where they work or study."""
    require(actor, Capability.MANAGE_MEMBERS, organization.path)
    if not organization.is_branch or not organization.is_active:
        raise DomainError(
            f"{organization.name} không phải chi bộ đang hoạt động: quần chúng được theo dõi ở "
            "chi bộ nơi họ công tác, học tập.",
            field="organization",
        )
    values = _clean(values)
    _check(actor, values, organization.path)
    require_day(selected_on, "ngày đưa vào nguồn", field="selected_on")
    candidate = Candidate.unscoped.create(
        organization=organization,
        org_path=organization.path,
        selected_on=selected_on,
        **values,
    )
    audit.record(
        actor,
        "candidate.create",
        candidate,
        org_path=candidate.org_path,
        changes={"full_name": [None, candidate.full_name]},
    )
    return candidate


@conflicts.records_conflicts("Sửa hồ sơ quần chúng")
@transaction.atomic
def update_candidate(
    actor, candidate: Candidate, values: dict, *, expected_version: str | None = None
) -> Candidate:
    """Correct the candidate's data; each changed field is kept in the history (old → new).
    `expected_version` is the version the user read: a save over a later change is refused."""
    candidate = locked_open(actor, candidate)
    versions.check(candidate, expected_version, label="Hồ sơ quần chúng")
    values = _clean(values)
    checked = {"birth_date", "general_education", "citizen_id", "full_name"}
    if any(values[field] != getattr(candidate, field) for field in checked & values.keys()):
        require_before_vote(candidate, "họ tên, ngày sinh, số CCCD, trình độ phổ thông")
    merged = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS}
    merged.update(values)
    _check(actor, merged, candidate.org_path, exclude_pk=candidate.pk)
    changes = {
        field: (getattr(candidate, field), value)
        for field, value in values.items()
        if getattr(candidate, field) != value
    }
    if not changes:
        return candidate
    for field, (_old, new) in changes.items():
        setattr(candidate, field, new)
    candidate.version += 1
    candidate.save()
    audit.record(actor, "candidate.update", candidate, org_path=candidate.org_path, changes=changes)
    return candidate


@transaction.atomic
def record_awareness_class(
    actor,
    candidate: Candidate,
    *,
    attended_on: datetime.date,
    certificate_number: str = "",
    organiser: str = "",
) -> Candidate:
    """The candidate finished the awareness class (lớp bồi dưỡng nhận thức về Đảng)."""
    candidate = locked_open(actor, candidate)
    require_before_vote(candidate, "giấy chứng nhận lớp nhận thức")
    require_day(attended_on, "ngày cấp giấy chứng nhận", field="attended_on")
    if attended_on < candidate.birth_date:
        raise DomainError("Ngày cấp giấy chứng nhận trước ngày sinh.", field="attended_on")
    old = candidate.class_attended_on
    candidate.class_attended_on = attended_on
    candidate.class_certificate_number = certificate_number.strip()
    candidate.class_organiser = organiser.strip()
    if candidate.stage == Stage.POOL:
        candidate.stage = Stage.SYMPATHISER
    candidate.save()
    audit.record(
        actor,
        "candidate.class",
        candidate,
        org_path=candidate.org_path,
        changes={"class_attended_on": [old, attended_on]},
    )
    return candidate


def file_stage(candidate: Candidate) -> str:
    """The open stage the file's own content puts the candidate at, as the services advance it:
    the votes passed, then any document or letter, then the awareness class."""
    passed = set(candidate.steps.filter(outcome=StepOutcome.DONE).values_list("kind", flat=True))
    if AdmissionStepKind.COMMITTEE_VOTE in passed:
        return Stage.COMMITTEE_RESOLVED
    if AdmissionStepKind.BRANCH_VOTE in passed:
        return Stage.BRANCH_RESOLVED
    if candidate.steps.exists() or candidate.introducers.exclude(introduced_on=None).exists():
        return Stage.FILE
    return Stage.SYMPATHISER if candidate.class_attended_on else Stage.POOL


@transaction.atomic
def withdraw_candidate(actor, candidate: Candidate, *, reason: str) -> Candidate:
    """Stop considering a candidate (moved away, not ready, declined); the file stays and can be
    taken up again (`reopen_candidate`)."""
    require_manage(actor, candidate)
    candidate = Candidate.unscoped.select_for_update().get(pk=candidate.pk)
    if not candidate.is_open:
        raise DomainError(
            f"Hồ sơ của {candidate.full_name} đã khép lại ({candidate.get_stage_display()})."
        )
    reason = require_reason(reason, "Cần ghi lý do dừng xem xét.")
    old = candidate.get_stage_display()
    candidate.stage, candidate.withdrawn_reason = Stage.WITHDRAWN, reason
    candidate.save(update_fields=["stage", "withdrawn_reason", "updated_at"])
    versions.bump(candidate)
    audit.record(
        actor,
        "candidate.withdraw",
        candidate,
        org_path=candidate.org_path,
        changes={"stage": [old, Stage.WITHDRAWN.label]},
        reason=reason,
    )
    return candidate


@conflicts.records_conflicts("Tiếp tục xem xét kết nạp")
@transaction.atomic
def reopen_candidate(actor, candidate: Candidate, *, reason: str) -> Candidate:
    """Take a stopped file up again («tiếp tục xem xét»), at the stage its content holds (the
    one it had when stopped: nothing is recorded on a closed file), with the reason kept. The
    person is not considered twice: a candidate or member of the same citizen ID, or of the
    same name and birth date, entered since, refuses it."""
    require_manage(actor, candidate)
    candidate = Candidate.unscoped.select_for_update().get(pk=candidate.pk)
    if candidate.stage != Stage.WITHDRAWN:
        raise DomainError(
            f"Hồ sơ của {candidate.full_name} không ở giai đoạn «{Stage.WITHDRAWN.label}» "
            f"({candidate.get_stage_display()}): không có gì để tiếp tục xem xét."
        )
    reason = require_reason(reason, "Cần ghi lý do tiếp tục xem xét.")
    values = {field: getattr(candidate, field) for field in CANDIDATE_FIELDS}
    _check(actor, values, candidate.org_path, exclude_pk=candidate.pk)
    stage = file_stage(candidate)
    stopped_for = candidate.withdrawn_reason
    candidate.stage, candidate.withdrawn_reason = stage, ""
    candidate.save(update_fields=["stage", "withdrawn_reason", "updated_at"])
    versions.bump(candidate)
    audit.record(
        actor,
        "candidate.reopen",
        candidate,
        org_path=candidate.org_path,
        changes={
            "stage": [Stage.WITHDRAWN.label, Stage(stage).label],
            "withdrawn_reason": [stopped_for, ""],
        },
        reason=reason,
    )
    return candidate


@transaction.atomic
def move_candidate(actor, candidate: Candidate, organization: Organization) -> Candidate:
    """The candidate now works or studies under another branch (or theirs is dissolved): the
    file follows them, before the branch votes (the vote is the branch's own)."""
    candidate = (
        Candidate.unscoped.select_for_update().select_related("organization").get(pk=candidate.pk)
    )
    require_manage(actor, candidate)
    require(actor, Capability.MANAGE_MEMBERS, organization.path)
    if not candidate.is_open:
        raise DomainError(
            f"Hồ sơ của {candidate.full_name} đã khép lại ({candidate.get_stage_display()})."
        )
    require_before_vote(candidate, "chi bộ theo dõi")
    if not organization.is_branch or not organization.is_active:
        raise DomainError(f"{organization.name} không phải chi bộ đang hoạt động.", field="branch")
    if organization.pk == candidate.organization_id:
        raise DomainError("Quần chúng đang thuộc nguồn của chi bộ này.", field="branch")
    old = candidate.organization.name
    candidate.organization, candidate.org_path = organization, organization.path
    candidate.save(update_fields=["organization", "org_path", "updated_at"])
    versions.bump(candidate)
    audit.record(
        actor,
        "candidate.move",
        candidate,
        org_path=candidate.org_path,
        changes={"branch": [old, organization.name]},
    )
    return candidate
