"""Tasks a branch gives its members (phân công nhiệm vụ: domain-rules §9; the branch "giao
nhiệm vụ và kiểm tra, giám sát đảng viên thực hiện nhiệm vụ"): assigned, reported on by the
member, checked by the branch. A member's tasks of the year are shown beside their
self-assessment (QĐ 124-QĐ/TW: the member assesses how they carried out the tasks given)."""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangvien.core import audit, versions
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.meetings.models import Meeting, Task, TaskStatus
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization

CHECKED = (TaskStatus.DONE, TaskStatus.NOT_DONE)


def assign_task(
    actor,
    org: Organization,
    member: Member,
    title: str,
    due_on: datetime.date,
    *,
    detail: str = "",
    meeting: Meeting | None = None,
) -> Task:
    """A task for a member active in the branch (or hosted by it) today."""
    require(actor, Capability.MANAGE_MEMBERS, org.path)
    today = timezone.localdate()
    if not org.is_branch:  # the branch gives its members tasks (domain-rules §9)
        raise DomainError(f"{org.name} không phải chi bộ: nhiệm vụ do chi bộ giao.", field="member")
    if not title.strip():
        raise DomainError("Ghi nhiệm vụ được giao.", field="title")
    if member.status not in ACTIVE_STATUSES or not member.branch_path.startswith(org.path):
        from dangvien.meetings.roll import _hosting
        from dangvien.transfers.models import Transfer

        hosted = Transfer.unscoped.filter(
            _hosting(today), member=member, to_path__startswith=org.path
        )
        if member.status not in ACTIVE_STATUSES or not hosted.exists():
            raise DomainError(
                f"{member.full_name} không sinh hoạt trong {org.name}.", field="member"
            )
    assigned_on = meeting.on if meeting is not None else today
    if due_on < assigned_on:
        raise DomainError(
            f"Hạn hoàn thành trước ngày giao ({assigned_on:%d/%m/%Y}).", field="due_on"
        )
    if meeting is not None and (meeting.organization_id != org.pk or not meeting.is_live):
        raise DomainError("Cuộc họp không phải của chi bộ này hoặc đã hủy.", field="meeting")
    with transaction.atomic():
        task = Task.unscoped.create(
            organization=org,
            org_path=org.path,
            meeting=meeting,
            member=member,
            title=title.strip(),
            detail=detail.strip(),
            assigned_on=assigned_on,
            due_on=due_on,
            created_by=audit.acting_user(actor),
        )
        audit.record(
            actor,
            "task.assign",
            task,
            org_path=org.path,
            changes={"task": ["", f"{member.full_name}: {task.title}, hạn {due_on:%d/%m/%Y}"]},
            effective_on=assigned_on,
        )
    return task


def _locked(task: Task) -> Task:
    return Task.unscoped.select_for_update().select_related("member").get(pk=task.pk)


def report_task(actor, member: Member, task: Task, report: str, *, expected_version=None) -> Task:
    """The member's report on their own task, until the branch has checked it."""
    if not report.strip():
        raise DomainError("Ghi kết quả thực hiện.", field="report")
    with transaction.atomic():
        versions.check(task, expected_version, label="Nhiệm vụ")
        task = _locked(task)
        if task.member_id != member.pk:
            raise DomainError("Đây không phải nhiệm vụ của bạn.")
        if task.status in (*CHECKED, TaskStatus.CANCELLED):
            raise DomainError(f"Nhiệm vụ đã {task.get_status_display().lower()}.")
        old = task.report
        task.report = report.strip()
        task.reported_at = timezone.now()
        task.status = TaskStatus.REPORTED
        task.save()
        versions.bump(task)
        audit.record(
            actor,
            "task.report",
            task,
            org_path=task.org_path,
            changes={"report": [old, task.report]},
        )
    return task


def check_task(
    actor, task: Task, result: str, note: str = "", *, reason: str = "", expected_version=None
) -> Task:
    """The branch's check: done or not done, with its note; a check changed later needs a
    reason."""
    require(actor, Capability.MANAGE_MEMBERS, task.org_path)
    if result not in CHECKED:
        raise DomainError("Chọn hoàn thành hoặc không hoàn thành.", field="result")
    with transaction.atomic():
        versions.check(task, expected_version, label="Nhiệm vụ")
        task = _locked(task)
        if task.status == TaskStatus.CANCELLED:
            raise DomainError("Nhiệm vụ đã hủy.")
        if task.status in CHECKED:
            reason = require_reason(reason, "Sửa kết quả đã kiểm tra thì ghi lý do.")
        old = task.get_status_display()
        task.status = result
        task.check_note = note.strip()
        task.checked_at = timezone.now()
        task.checked_by = audit.acting_user(actor)
        task.save()
        versions.bump(task)
        audit.record(
            actor,
            "task.check",
            task,
            org_path=task.org_path,
            changes={"status": [old, task.get_status_display()], "check_note": ["", note]},
            reason=reason,
        )
    return task


def cancel_task(actor, task: Task, reason: str) -> Task:
    require(actor, Capability.MANAGE_MEMBERS, task.org_path)
    reason = require_reason(reason, "Hủy nhiệm vụ thì ghi lý do.")
    with transaction.atomic():
        task = _locked(task)
        if task.status == TaskStatus.CANCELLED:
            raise DomainError("Nhiệm vụ đã hủy.")
        old = task.get_status_display()
        task.status = TaskStatus.CANCELLED
        task.save()
        versions.bump(task)
        audit.record(
            actor,
            "task.cancel",
            task,
            org_path=task.org_path,
            changes={"status": [old, task.get_status_display()]},
            reason=reason,
        )
    return task


def tasks_of(member: Member, year: int | None = None) -> QuerySet[Task]:
    """A member's own tasks (their page); of a year, those that count for the self-assessment
    (a cancelled task does not)."""
    tasks = Task.unscoped.filter(member=member).select_related("organization")
    if year is not None:
        tasks = tasks.filter(assigned_on__year=year).exclude(status=TaskStatus.CANCELLED)
    return tasks.order_by("-assigned_on", "-id")
