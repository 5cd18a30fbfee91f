"""The reads the programme pages share, each from the user's scope."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dangvien.core.paths import ancestor_paths
from dangvien.core.scope import sees_org, visible
from dangvien.members.models import Member
from dangvien.organizations.models import BASE_KINDS, Organization
from dangvien.programmes.models import (
    ActionProgramme,
    LearningReport,
    ProgrammeTarget,
    ReviewFigure,
    SessionAttendance,
    StudyPlan,
    StudySession,
)


def programmes_below(user, org: Organization) -> QuerySet[ActionProgramme]:
    """The programmes of `org` and of the organisations below it, latest period first, with
    their number of targets and of those tracked by hand."""
    return (
        visible(user, ActionProgramme)
        .filter(owner_path__startswith=org.path)
        .select_related("owner")
        .annotate(
            target_count=Count("targets"),
            hand_count=Count("targets", filter=Q(targets__indicator="")),
        )
        .order_by("-year", "-term_end", "owner_path")
    )


def get_programme(user, pk: int) -> ActionProgramme:
    """A programme the user sees (404 otherwise)."""
    return get_object_or_404(visible(user, ActionProgramme).select_related("owner"), pk=pk)


def get_target(user, pk: int) -> ProgrammeTarget:
    return get_object_or_404(
        visible(user, ProgrammeTarget).select_related("programme__owner"), pk=pk
    )


def get_figure(user, pk: int) -> ReviewFigure:
    return get_object_or_404(
        visible(user, ReviewFigure).select_related("review__programme__owner", "target"), pk=pk
    )


def plans_for(org: Organization) -> QuerySet[StudyPlan]:
    """The study plans binding `org` (one the reader sees): its own, those of the organisations
    below it, and those of the organisations above it, whose base organisations include its own
    (a plan of the province is the ward's too): read past the subtree scope on purpose, the
    plan's document and deadline being what the organisation must act on."""
    return (
        StudyPlan.unscoped.filter(
            Q(owner_path__startswith=org.path) | Q(owner_path__in=ancestor_paths(org.path))
        )
        .select_related("document", "owner")
        .order_by("-deadline", "-id")
    )


def get_plan(user, pk: int) -> StudyPlan:
    """A plan of the reader's subtree or of an organisation above it (404 otherwise)."""
    plan = get_object_or_404(StudyPlan.unscoped.select_related("document", "owner"), pk=pk)
    if not sees_org(user, plan.owner_path):
        raise Http404("Không tìm thấy kế hoạch trong phạm vi của bạn.")
    return plan


def get_session(user, pk: int) -> StudySession:
    return get_object_or_404(
        visible(user, StudySession).select_related("plan__document", "organization"), pk=pk
    )


@dataclass(frozen=True)
class MyStudy:
    """A plan binding a member's branch, as the member sees it."""

    plan: StudyPlan
    held_on: datetime.date | None  # their base organisation's first session (not annulled)
    attended: bool  # recorded present by name at a session of the plan
    report_on: datetime.date | None  # their learning report's day

    @property
    def held_in_time(self) -> bool:
        return self.held_on is not None and self.held_on <= self.plan.deadline


def my_studies(member: Member) -> list[MyStudy]:
    """The plans (not annulled) of the organisations above the member's branch, with what their
    base organisation and they themselves did: a few queries, whatever the number of plans."""
    above = ancestor_paths(member.branch_path)
    base = (
        Organization.unscoped.filter(path__in=above, kind__in=BASE_KINDS)
        .values_list("pk", flat=True)
        .first()
    )
    plans = list(
        StudyPlan.unscoped.filter(owner_path__in=above, annulled_at__isnull=True)
        .select_related("document", "owner")
        .order_by("-deadline", "-id")[:50]
    )
    ids = [plan.pk for plan in plans]
    held = dict(
        StudySession.unscoped.filter(
            plan_id__in=ids, organization_id=base, annulled_at__isnull=True
        )
        .values("plan_id")
        .annotate(first=Min("held_on"))
        .values_list("plan_id", "first")
    )
    attended = set(
        SessionAttendance.unscoped.filter(
            member=member, session__plan_id__in=ids, session__annulled_at__isnull=True
        ).values_list("session__plan_id", flat=True)
    )
    reports = dict(
        LearningReport.unscoped.filter(member=member, plan_id__in=ids).values_list(
            "plan_id", "submitted_on"
        )
    )
    return [
        MyStudy(plan, held.get(plan.pk), plan.pk in attended, reports.get(plan.pk))
        for plan in plans
    ]
