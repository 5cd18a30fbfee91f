"""Who is expected at a meeting, and the roll call (điểm danh, domain-rules §9).

The roll of a members' meeting is the organisation's members on the meeting's day, by their
placements (a member who moved or left since is still on it, one who came later is not), with
the members another branch hosts for a while (chuyển sinh hoạt tạm thời: they attend where they
are hosted, domain-rules §2.7) and without those exempted from activities (Điều lệ Đảng Điều 8:
miễn công tác và sinh hoạt đảng), who are listed but not expected. A committee's roll lists the
organisation's members and counts only those the secretary marks (the committee's composition
comes with the committees of issue 16).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangvien.core import audit
from dangvien.core.errors import DomainError
from dangvien.core.roles import Capability
from dangvien.core.scope import require
from dangvien.core.validation import require_reason
from dangvien.meetings import tallies
from dangvien.meetings.models import EXPECTED, Attendance, Body, Meeting, Presence
from dangvien.members.models import Member
from dangvien.reports.membership import members_on
from dangvien.transfers.models import TEMPORARY_KINDS, Transfer, TransferStatus


@dataclass
class RollRow:
    member: Member
    default: str  # what the roll starts from: "" (to be marked), exempt, away
    hosted: bool  # hosted here for a while
    attendance: Attendance | None
    posted: tuple[str, str] | None = None  # what a refused save had tapped

    @property
    def aside(self) -> str:
        """Exempted or away that day (as kept by the roll call, else as the record says now),
        or ""."""
        kept = self.attendance.status if self.attendance else ""
        return kept if kept in (Presence.EXEMPT, Presence.AWAY) else self.default

    @property
    def aside_label(self) -> str:
        return Presence(self.aside).label if self.aside else ""

    @property
    def shown(self) -> str:
        """The status the page checks: what was tapped before a refusal, else the roll's."""
        return self.posted[0] if self.posted and self.posted[0] else self.status

    @property
    def shown_reason(self) -> str:
        return self.posted[1] if self.posted else self.reason

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance else self.default

    @property
    def status_label(self) -> str:
        return Presence(self.status).label if self.status else ""

    @property
    def reason(self) -> str:
        return self.attendance.reason if self.attendance else ""


def _hosting(day: datetime.date) -> Q:
    """Temporary transfers under way on `day` (arrived, not back yet)."""
    return (
        Q(kind__in=TEMPORARY_KINDS, arrived_on__lte=day)
        & ~Q(status=TransferStatus.CANCELLED)
        & (Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        & (Q(status=TransferStatus.ARRIVED) | Q(status=TransferStatus.RETURNED))
    )


def roll(meeting: Meeting) -> list[RollRow]:
    """The meeting's roll, in Vietnamese name order (see the module docstring)."""
    day, org = meeting.on, meeting.organization
    own = members_on(org, day, from_placements=True)
    hosted_here = Transfer.unscoped.filter(_hosting(day), to_path__startswith=org.path)
    away = set(
        Transfer.unscoped.filter(_hosting(day), member__in=own.values("pk"))
        .exclude(to_path__startswith=org.path)
        .values_list("member_id", flat=True)
    )
    hosted_ids = set(hosted_here.values_list("member_id", flat=True))
    members = Member.unscoped.filter(
        Q(pk__in=own.values("pk")) | Q(pk__in=list(hosted_ids))
    ).order_by("sort_key", "pk")
    marked = {a.member_id: a for a in meeting.attendance.all()}
    rows = []
    for member in members:
        if member.exempt_since is not None and member.exempt_since <= day:
            default = Presence.EXEMPT
        elif member.pk in away:
            default = Presence.AWAY
        else:
            default = ""
        rows.append(RollRow(member, default, member.pk in hosted_ids, marked.get(member.pk)))
    return rows


@dataclass(frozen=True)
class RollFigures:
    expected: int
    present: int
    excused: int
    unexcused: int
    unmarked: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.present / self.expected, 2) if self.expected else None


def figures(meeting: Meeting, rows: list[RollRow] | None = None) -> RollFigures:
    rows = roll(meeting) if rows is None else rows
    if meeting.body == Body.COMMITTEE:
        rows = [row for row in rows if row.attendance is not None]
    statuses = [row.status for row in rows]
    expected = [s for s in statuses if s not in (Presence.EXEMPT, Presence.AWAY)]
    return RollFigures(
        expected=len(expected),
        present=statuses.count(Presence.PRESENT),
        excused=statuses.count(Presence.EXCUSED),
        unexcused=statuses.count(Presence.UNEXCUSED),
        unmarked=expected.count(""),
    )


def _mark_refusal(row: RollRow, status: str, reason: str) -> str:
    name = row.member.full_name
    kept = row.attendance.status if row.attendance else ""
    if status == Presence.EXEMPT and Presence.EXEMPT not in (row.default, kept):
        return f"{name} không được miễn sinh hoạt đảng vào ngày họp."
    if status == Presence.AWAY and Presence.AWAY not in (row.default, kept):
        return f"{name} không sinh hoạt tạm thời ở nơi khác vào ngày họp."
    if status == Presence.EXCUSED and not reason.strip():
        return f"{name}: vắng có lý do thì ghi lý do."
    return ""


def take_attendance(
    actor,
    meeting: Meeting,
    marks: dict[int, tuple[str, str] | tuple[str, str, str]],
    *,
    correction_reason: str = "",
    conflict_names: list[str] | None = None,
) -> int:
    """Mark members of the roll (member id → (status, reason[, the status the page showed]));
    returns how many changed. The first marks start the meeting (`held_at`); a meeting in the
    future is not called, a cancelled or annulled one neither; once its minutes are approved a
    change is a correction with a reason. Two phones calling the roll at once each save the
    marks they changed; a member marked on the other phone since this one showed the roll is
    left as the other phone marked it, never overwritten unseen, and named in
    `conflict_names`. The first roll call keeps the members exempted or away that day as such,
    so the roll stays as it was when an exemption ends later."""
    require(actor, Capability.MANAGE_MEMBERS, meeting.org_path)
    conflict_names = [] if conflict_names is None else conflict_names
    with transaction.atomic():
        meeting = Meeting.unscoped.select_for_update().get(pk=meeting.pk)
        if not meeting.is_live:
            raise DomainError("Cuộc họp đã hoãn hoặc đã hủy: không điểm danh.")
        if meeting.on > timezone.localdate():
            raise DomainError(
                f"Cuộc họp ngày {meeting.on:%d/%m/%Y} chưa diễn ra: điểm danh vào ngày họp."
            )
        if meeting.is_closed:
            require_reason(correction_reason, "Biên bản đã thông qua: sửa điểm danh thì ghi lý do.")
        rows = {row.member.pk: row for row in roll(meeting)}
        absences_changed: list[int] = []
        changes: dict[str, list[str]] = {}
        conflicts = [
            member_id
            for member_id, mark in marks.items()
            if member_id in rows and len(mark) > 2 and mark[2] != rows[member_id].status
        ]
        for member_id in conflicts:
            conflict_names.append(rows[member_id].member.full_name)
        marks = {k: v for k, v in marks.items() if k not in conflicts}
        for member_id, (status, reason, *_seen) in marks.items():
            row = rows.get(member_id)
            if row is None:
                raise DomainError("Có đảng viên không thuộc danh sách của cuộc họp này.")
            if status not in Presence.values:
                raise DomainError(f"{row.member.full_name}: tình trạng điểm danh không hợp lệ.")
            reason = reason.strip()[:500] if status != Presence.PRESENT else ""
            current = row.attendance
            if current and current.status == status and current.reason == reason:
                continue
            refused = _mark_refusal(row, status, reason)
            if refused:
                raise DomainError(refused)
            old = current.get_status_display() if current else ""
            if Presence.UNEXCUSED in (status, current.status if current else ""):
                absences_changed.append(member_id)
            Attendance.objects.update_or_create(
                meeting=meeting,
                member_id=member_id,
                defaults={
                    "org_path": meeting.org_path,
                    "on": meeting.on,
                    "status": status,
                    "reason": reason,
                    "hosted": row.hosted,
                    "by_member": False,
                    "recorded_by": audit.acting_user(actor),
                },
            )
            changes[f"{row.member.full_name} ({row.member.code})"] = [
                old,
                Presence(status).label + (f": {reason}" if reason else ""),
            ]
        if not changes:
            return 0
        if meeting.held_at is None:
            meeting.held_at = timezone.now()
            _keep_defaults(meeting, actor)
        tally = figures(meeting)
        meeting.expected_count, meeting.present_count = tally.expected, tally.present
        # Not a new version of the meeting: the minutes written meanwhile on another screen
        # stay saveable (the roll's own conflicts are checked above, member by member).
        meeting.save(update_fields=["held_at", "expected_count", "present_count", "updated_at"])
        tallies.recount_meetings(meeting.organization_id, meeting.on.year)
        # Only the members whose absence without a reason came or went have a year to recount.
        tallies.recount_absences(absences_changed, meeting.on.year)
        audit.record(
            actor,
            "meeting.attendance",
            meeting,
            org_path=meeting.org_path,
            changes=changes,
            effective_on=meeting.on,
            reason=correction_reason.strip(),
        )
        return len(changes)


def _keep_defaults(meeting: Meeting, actor) -> None:
    """Keep who was exempted or away on the day as rows of the roll (not read again from the
    member's record, which changes when an exemption ends)."""
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member=row.member,
                org_path=meeting.org_path,
                on=meeting.on,
                status=row.default,
                hosted=row.hosted,
                recorded_by=audit.acting_user(actor),
            )
            for row in roll(meeting)
            if row.default and row.attendance is None
        ]
    )


def send_excuse(actor, member: Member, meeting: Meeting, reason: str) -> Attendance:
    """A member tells the branch ahead that they cannot attend, and why: kept as "excused"
    until the secretary marks the roll otherwise."""
    require_reason(reason, "Xin vắng thì ghi lý do.")
    with transaction.atomic():
        meeting = Meeting.unscoped.select_for_update().get(pk=meeting.pk)
        if not meeting.is_live or meeting.published_at is None:
            raise DomainError("Cuộc họp không còn mở để xin vắng.")
        if meeting.held_at is not None or meeting.on < timezone.localdate():
            raise DomainError(
                "Cuộc họp đã diễn ra: xin vắng gửi trước buổi họp; nay hãy báo với bí thư chi bộ."
            )
        row = next((r for r in roll(meeting) if r.member.pk == member.pk), None)
        if row is None or row.default in (Presence.EXEMPT, Presence.AWAY):
            raise DomainError("Bạn không có trong danh sách dự họp của cuộc họp này.")
        current = row.attendance
        if current is not None and not current.by_member:
            raise DomainError(
                f"Chi bộ đã điểm danh bạn: {current.get_status_display().lower()}. Hãy trao đổi "
                "với bí thư chi bộ."
            )
        attendance, _created = Attendance.objects.update_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "org_path": meeting.org_path,
                "on": meeting.on,
                "status": Presence.EXCUSED,
                "reason": reason.strip()[:500],
                "hosted": row.hosted,
                "by_member": True,
                "recorded_by": audit.acting_user(actor),
            },
        )
        audit.record(
            actor,
            "meeting.excuse",
            meeting,
            org_path=meeting.org_path,
            changes={member.full_name: ["", f"Xin vắng: {reason.strip()}"]},
            effective_on=meeting.on,
        )
        return attendance


def roll_complete(meeting: Meeting) -> bool:
    """Every expected member of a members' meeting is marked."""
    if meeting.body == Body.COMMITTEE:
        return meeting.attendance.filter(status__in=EXPECTED).exists()
    return figures(meeting).unmarked == 0
