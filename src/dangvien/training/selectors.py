"""Reads of the training pages, the member's page and the recognition checklist. Every list
starts from the user's scope (core.scope.visible)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangvien.core.models import RuleException
from dangvien.core.roles import Capability
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.members.models import Member
from dangvien.organizations.models import Organization
from dangvien.site.my_sections import Section
from dangvien.training.models import PASSED, Course, CourseKind, Participant

NEW_MEMBER_RULE = "new_member_class_required"


def courses_of(user, org: Organization, *, year: int | None = None) -> QuerySet[Course]:
    """The courses organised in the organisation's subtree, newest first, with their counts."""
    courses = visible(user, Course).filter(org_path__startswith=org.path)
    if year:
        courses = courses.filter(starts_on__year=year)
    live = Q(participants__annulled_at__isnull=True)
    return courses.select_related("organization").annotate(
        learners=Count("participants", filter=live),
        passed=Count("participants", filter=live & Q(participants__result__in=PASSED)),
    )


def _read_only(user, model, pk: int, capability: str) -> None:
    """One the user only reads is a 403 that says so, one outside the scope a 404."""
    if capability != Capability.VIEW and visible(user, model).filter(pk=pk).exists():
        raise PermissionDenied("Bạn chỉ được xem, không được thay đổi.")


def get_course(user, pk: int, capability: str = Capability.VIEW) -> Course:
    found = visible(user, Course, capability).select_related("organization").filter(pk=pk).first()
    if found is None:
        _read_only(user, Course, pk, capability)
        raise Http404("Không tìm thấy khóa bồi dưỡng trong phạm vi của bạn.")
    return found


def get_participant(user, pk: int, capability: str = Capability.VIEW) -> Participant:
    found = (
        visible(user, Participant, capability)
        .select_related("course__organization", "member", "candidate")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        _read_only(user, Participant, pk, capability)
        raise Http404("Không tìm thấy học viên trong phạm vi của bạn.")
    return found


def participants_of(course: Course) -> tuple[list[Participant], list[Participant]]:
    """The course's learners (members, then candidates, by name), and those annulled."""
    rows = list(
        Participant.unscoped.filter(course=course)
        .select_related("member", "candidate")
        .order_by("member__sort_key", "candidate__sort_key", "id")
    )
    return (
        [row for row in rows if row.annulled_at is None],
        [row for row in rows if row.annulled_at is not None],
    )


def outside_scope(user, participants: list[Participant]) -> set[int]:
    """The learners (participant ids) whose member or candidate the user no longer sees: moved
    out of the user's scope since the course. The course still lists them, without their
    personal details (one query for the members, one for the candidates)."""
    from dangvien.admissions.models import Candidate

    member_ids = {row.member_id for row in participants if row.member_id}
    candidate_ids = {row.candidate_id for row in participants if row.candidate_id}
    seen_members = set(
        visible(user, Member).filter(pk__in=member_ids).values_list("pk", flat=True)
        if member_ids
        else ()
    )
    seen_candidates = set(
        visible(user, Candidate).filter(pk__in=candidate_ids).values_list("pk", flat=True)
        if candidate_ids
        else ()
    )
    return {
        row.pk
        for row in participants
        if (row.member_id and row.member_id not in seen_members)
        or (row.candidate_id and row.candidate_id not in seen_candidates)
    }


def member_trainings(member: Member) -> list[Participant]:
    """The member's classes, newest first (the member is already one the reader sees)."""
    return list(
        Participant.unscoped.filter(member=member, annulled_at__isnull=True)
        .select_related("course__organization")
        .order_by("-course__starts_on", "-id")
    )


def new_member_certificate(member: Member) -> Participant | None:
    """The member's new-member class passed (lớp bồi dưỡng đảng viên mới) during the current
    probation, the latest: a member re-admitted takes it again (full probation again, QĐ
    294-QĐ/TW §3.5), the class of the first probation does not count."""
    start = member.probation_start
    return (
        Participant.unscoped.filter(
            Q(certificate_on__gte=start)
            | Q(certificate_on__isnull=True, course__ends_on__gte=start),
            member=member,
            annulled_at__isnull=True,
            result__in=PASSED,
            course__kind=CourseKind.NEW_MEMBER,
        )
        .select_related("course")
        .order_by("-certificate_on", "-course__ends_on", "-id")
        .first()
    )


def new_member_exception(member: Member) -> RuleException | None:
    """The exception recorded for the current probation (one of a first probation does not
    carry over to a re-admission)."""
    return (
        RuleException.unscoped.filter(
            target_type=member._meta.label_lower,
            target_id=member.pk,
            rule_key=NEW_MEMBER_RULE,
            at__date__gte=member.probation_start,
        )
        .order_by("-at")
        .first()
    )


@dataclass(frozen=True)
class NewMemberClass:
    """The recognition checklist's line for the new-member class certificate."""

    required: bool
    certificate: Participant | None
    exception: RuleException | None

    @property
    def satisfied(self) -> bool:
        return not self.required or self.certificate is not None or self.exception is not None


def new_member_class(member: Member, on: datetime.date) -> NewMemberClass:
    """Whether recognising the member on `on` needs the certificate (rule set in force that
    day, [U] HD 12-HD/BTCTW 2022), and what the training records and exceptions hold."""
    required = bool(RuleBook.load().value(NEW_MEMBER_RULE, on))
    return NewMemberClass(required, new_member_certificate(member), new_member_exception(member))


def my_section(member: Member, today: datetime.date) -> Section | None:
    """The member's classes and certificates on their own summary page."""
    return Section(
        key="training",
        title="Đào tạo, bồi dưỡng",
        template="training/_my_section.html",
        context={"trainings": member_trainings(member)},
    )


def course_history(course: Course, limit: int = 200):
    """The course's history: the course, its learners added or annulled, their results."""
    from dangvien.core.models import AuditEntry

    participant_ids = Participant.unscoped.filter(course=course).values("pk")
    return (
        AuditEntry.unscoped.filter(
            Q(target_type=Course._meta.label_lower, target_id=course.pk)
            | Q(target_type=Participant._meta.label_lower, target_id__in=participant_ids)
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def open_candidates(course: Course):
    """The candidates an awareness class may take: open files of the organiser's subtree."""
    from dangvien.admissions.models import OPEN_STAGES, Candidate

    if course.kind != CourseKind.AWARENESS:
        return []
    taken = Participant.unscoped.filter(
        course=course, annulled_at__isnull=True, candidate__isnull=False
    ).values("candidate_id")
    return list(
        Candidate.unscoped.filter(org_path__startswith=course.org_path, stage__in=OPEN_STAGES)
        .exclude(pk__in=taken)
        .select_related("organization")[:300]
    )
