"""The reads the programme pages share, each from the user's scope."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from dangvien.core.scope import visible
from dangvien.organizations.models import Organization
from dangvien.programmes.models import ActionProgramme, ProgrammeTarget, ReviewFigure


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
