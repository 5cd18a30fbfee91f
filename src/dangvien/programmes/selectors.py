"""The reads the programme pages share, each from the user's scope."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dangvien.core.paths import ancestor_paths
from dangvien.core.scope import sees_org, visible
from dangvien.organizations.models import Organization
from dangvien.programmes.models import (
    ActionProgramme,
    ProgrammeTarget,
    ReviewFigure,
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
