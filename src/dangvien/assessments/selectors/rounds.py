"""The assessment rounds a user reaches, and the organisations shown within a round."""

from django.db.models import Q, QuerySet
from django.http import Http404

from dangvien.assessments.models import Round
from dangvien.core.paths import ancestor_paths
from dangvien.core.roles import Capability
from dangvien.core.scope import path_filter, scope_of, visible
from dangvien.members.models import Member
from dangvien.organizations.models import Organization


def rounds_for(user, capability: str = Capability.VIEW) -> QuerySet[Round]:
    """Rounds that reach the user's subtrees: opened inside them or above them (covering them).
    Newest year first, open rounds first."""
    rounds = Round.unscoped.all()
    scope = scope_of(user)
    if not scope.everything:
        prefixes = scope.paths_for(capability)
        if not prefixes:
            return rounds.none()
        covering = {path for prefix in prefixes for path in ancestor_paths(prefix)}
        rounds = rounds.filter(Q(org_path__in=covering) | path_filter("org_path", prefixes))
    return rounds.select_related("organization", "opened_by", "closed_by").order_by(
        "-year", "-status", "org_path"
    )


def get_round(user, pk: int) -> Round:
    try:
        return rounds_for(user).get(pk=pk)
    except Round.DoesNotExist:
        raise Http404("Không tìm thấy đợt đánh giá trong phạm vi của bạn.") from None


def covering_round(path: str, year: int) -> Round | None:
    """The round of `year` whose subtree contains `path` (the nearest one)."""
    return (
        Round.unscoped.filter(year=year, org_path__in=ancestor_paths(path))
        .select_related("organization")
        .order_by("-org_path")
        .first()
    )


def open_rounds_of(member: Member) -> QuerySet[Round]:
    """Open rounds covering the member's branch, newest year first."""
    return (
        Round.unscoped.filter(
            status=Round.Status.OPEN, org_path__in=ancestor_paths(member.branch_path)
        )
        .select_related("organization")
        .order_by("-year", "-org_path")
    )


def org_in_round(user, round_: Round, code: str, *, strict: bool = False) -> Organization:
    """The organisation of the round to show: the one asked for (inside the round and the
    scope), else the round's own when the user sees it, else the user's subtree in the round.
    `strict`: an organisation asked for and not found is a 404 (a list must not show another
    organisation's members under the name asked for)."""
    orgs = visible(user, Organization)
    if code:
        org = orgs.filter(code=code, path__startswith=round_.org_path).first()
        if org is not None:
            return org
        if strict:
            raise Http404("Không tìm thấy tổ chức trong đợt đánh giá và phạm vi của bạn.")
    own = orgs.filter(pk=round_.organization_id).first()
    if own is not None:
        return own
    inside = orgs.filter(path__startswith=round_.org_path).order_by("depth", "sort_key").first()
    if inside is None:
        raise Http404("Không tìm thấy tổ chức của đợt đánh giá trong phạm vi của bạn.")
    return inside


def breadcrumb(user, round_: Round, org: Organization) -> list[Organization]:
    """The organisations from the round's down to `org` (excluded) that the user sees."""
    paths = [p for p in ancestor_paths(org.path)[:-1] if p.startswith(round_.org_path)]
    found = {o.path: o for o in visible(user, Organization).filter(path__in=paths)}
    return [found[p] for p in paths if p in found]


def org_choices(user, limit: int = 1000) -> QuerySet[Organization]:
    """Active organisations the user may open a round for (codes offered by the form)."""
    return (
        visible(user, Organization, Capability.MANAGE_ORGS)
        .filter(ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def my_units(user, limit: int = 20) -> list[Organization]:
    """The topmost organisations the user manages members of (a secretary's branch)."""
    scope = scope_of(user)
    if scope.everything:
        return list(Organization.unscoped.filter(parent__isnull=True).order_by("sort_key")[:limit])
    paths = scope.paths_for(Capability.MANAGE_MEMBERS)
    units = Organization.unscoped.filter(path__in=paths, ended_on__isnull=True)
    return list(units.order_by("sort_key")[:limit])
