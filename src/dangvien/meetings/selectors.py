"""The reads of the branch-life pages: meetings and tasks in the user's scope, and what a member
sees of their own organisation's meetings (published, members' meetings of their branch and of
the organisations above it that meet as a whole, and of the branch hosting them for a while)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from dangvien.core.paths import ancestor_paths
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.meetings.models import Body, Meeting, MeetingDocument, Resolution, Task
from dangvien.meetings.roll import _hosting
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.transfers.models import Transfer


def get_meeting(user, pk: int, capability: str = Capability.VIEW) -> Meeting:
    meeting = (
        visible(user, Meeting, capability)
        .select_related("organization", "chair", "minutes_writer")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        if capability != Capability.VIEW and visible(user, Meeting).filter(pk=pk).exists():
            raise PermissionDenied("Bạn chỉ được xem cuộc họp này, không được thay đổi.")
        raise Http404("Không tìm thấy cuộc họp trong phạm vi của bạn.")
    return meeting


def meetings_of(user, org, year: int | None) -> QuerySet[Meeting]:
    meetings = (
        visible(user, Meeting)
        .filter(org_path__startswith=org.path)
        .select_related("organization")
        .order_by("-on", "-id")
    )
    return meetings.filter(on__year=year) if year else meetings


def resolutions_of(user, org, year: int) -> QuerySet[Resolution]:
    """The resolutions voted in `year` at the meetings of `org`'s subtree, in the book's
    order (the meeting's day, then as recorded); annulled ones stay, marked."""
    meetings = meetings_of(user, org, year).filter(annulled_at__isnull=True)
    return (
        Resolution.objects.filter(meeting__in=meetings)
        .select_related("meeting__organization")
        .order_by("meeting__on", "id")
    )


def _member_paths(member: Member) -> list[str]:
    """The paths of the organisations whose members' meetings `member` attends: their branch
    and those above it, and the branch hosting them today."""
    paths = ancestor_paths(member.branch_path)
    hosts = Transfer.unscoped.filter(_hosting(timezone.localdate()), member=member)
    for to_path in hosts.values_list("to_path", flat=True):
        paths += ancestor_paths(to_path)
    return paths


def member_meetings(member: Member | None) -> QuerySet[Meeting]:
    """The published members' meetings a member attends. A committee's meetings are not shown
    to members: who sits on a committee comes with the committees of issue 16, and a mark on
    the roll is no proof of it."""
    if member is None or member.status not in ACTIVE_STATUSES:
        return Meeting.unscoped.none()
    return (
        Meeting.unscoped.filter(
            body=Body.MEMBERS,
            org_path__in=_member_paths(member),
            published_at__isnull=False,
            annulled_at__isnull=True,
        )
        .select_related("organization")
        .order_by("-on", "-id")
    )


def get_member_meeting(member: Member | None, pk: int) -> Meeting:
    meeting = member_meetings(member).filter(pk=pk).first()
    if meeting is None:
        raise Http404("Không tìm thấy cuộc họp của chi bộ bạn.")
    return meeting


def readable_document(user, member: Member | None, pk: int) -> MeetingDocument:
    """A document the user may read: of a meeting in their scope, or of a published meeting of
    their own organisation; a withdrawn one is no longer served."""
    document = MeetingDocument.objects.filter(pk=pk, removed_at__isnull=True).first()
    if document is None:
        raise Http404("Không tìm thấy tài liệu.")
    in_scope = visible(user, Meeting).filter(pk=document.meeting_id).exists()
    if not in_scope and not member_meetings(member).filter(pk=document.meeting_id).exists():
        raise Http404("Không tìm thấy tài liệu.")
    return document


def tasks_in(user, org, capability: str = Capability.VIEW) -> QuerySet[Task]:
    return (
        visible(user, Task, capability)
        .filter(org_path__startswith=org.path)
        .select_related("member", "organization", "meeting")
        .order_by("status", "due_on", "id")
    )


def get_task(user, pk: int, capability: str = Capability.VIEW) -> Task:
    task = visible(user, Task, capability).select_related("member", "organization").filter(pk=pk)
    found = task.first()
    readable = found is None and capability != Capability.VIEW
    if readable and visible(user, Task).filter(pk=pk).exists():
        raise PermissionDenied("Bạn chỉ được xem nhiệm vụ này, không được thay đổi.")
    if found is None:
        raise Http404("Không tìm thấy nhiệm vụ trong phạm vi của bạn.")
    return found
