"""Reads of the quotas page and of the quota figures other pages show: quotas in the user's
scope with the members admitted in their period, counted in the database (one correlated count
per row of the page's single query, over the indexed organisation paths). Admissions count for
the branch that admitted the member (`reports.admitted`), wherever they are now.

A quota of a past period (its 31/12 before today) is read in the tree as it stood at the end of
that period, as the admissions report reads it (formats.md, "Report JSON"; issue 13: a past
period gives the same figures after any later move or merger): its organisation's name and
place then, and the admissions placed where the admitting branch stood then. Which quotas are
shown follows today's tree (the user's scope)."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from dangvien.admissions.models import AdmissionTarget, period_label
from dangvien.core import versions
from dangvien.core.models import AuditEntry
from dangvien.core.queryparams import BadQuery, query_int
from dangvien.core.roles import Capability
from dangvien.core.scope import scope_of, visible
from dangvien.core.sorting import Sorting
from dangvien.members.models import Member
from dangvien.organizations import dated
from dangvien.organizations.dated import state_as_it_stood, stood_in
from dangvien.organizations.history import today
from dangvien.organizations.models import Organization, OrgState
from dangvien.reports.admitted import (
    FirstDay,
    LastDay,
    admitted_as_it_stood,
    admitted_in_years,
    admitted_in_years_as_they_stood,
)
from dangvien.reports.render import percent


@dataclass(frozen=True)
class QuotaProgress:
    """A quota and the members admitted in its period, e.g. 243 of 240 = 101.25%."""

    quota: int | None
    admitted: int

    @property
    def percent(self) -> float | None:
        return percent(self.admitted, self.quota or 0)  # None without a quota, or with 0


def _counted(members: QuerySet[Member]) -> Coalesce:
    counted = members.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def admitted_count(path, first_year, last_year) -> Coalesce:
    """Members admitted from 1/1 of `first_year` to 31/12 of `last_year` by a branch in the
    subtree at `path` (values or outer references) in today's tree, as a scalar subquery for an
    annotation. The quota belongs to an organisation the user sees, so every admitting branch
    counted is in the user's scope (members who moved out of it since still count: only the
    number is shown)."""
    return _counted(admitted_in_years(path, first_year, last_year))


def is_over(last_year: int) -> bool:
    """Whether a period ending with `last_year` ended before today: it is read in the tree of
    its 31/12."""
    return last_year < today().year


def _past() -> Q:
    """The quotas of a period that ended before today."""
    year = today().year
    return Q(year__lt=year) | Q(year__isnull=True, term_end__lt=year)


def quota_rows(
    user,
    *,
    org: Organization | None = None,
    year: int | None = None,
    term: tuple[int, int] | None = None,
) -> QuerySet[AdmissionTarget]:
    """The quotas the user may see, under `org` if given, for one year or term if given, each
    annotated with `name` (its organisation's name in its period) and `admitted` (members
    admitted in its period below its organisation). A quota of a past period counts under
    `org` when its organisation stood under `org` at that period's end (see the module's
    docstring); a current one by today's tree, with no join of the states."""
    targets = visible(user, AdmissionTarget).select_related("organization")
    if year is not None:
        targets = targets.filter(year=year)
    if term is not None:
        targets = targets.filter(term_start=term[0], term_end=term[1])
    period = (year, year) if year is not None else term
    if period is not None and not is_over(period[1]):
        targets = _as_today(targets, org)
    else:
        targets = _as_they_stood(targets, org)
    return targets.order_by(
        "placed_path",
        F("year").desc(nulls_last=True),
        F("term_start").desc(nulls_last=True),
        "pk",
    )


def _years(ref=F) -> tuple[Coalesce, Coalesce]:
    """A quota's first and last year (`ref`: F, or OuterRef from a subquery)."""
    return Coalesce(ref("year"), ref("term_start")), Coalesce(ref("year"), ref("term_end"))


def _as_today(targets: QuerySet, org: Organization | None) -> QuerySet[AdmissionTarget]:
    if org is not None:
        targets = targets.filter(org_path__startswith=org.path)
    return targets.alias(placed_path=F("org_path")).annotate(
        name=F("organization__name"),
        admitted=admitted_count(OuterRef("org_path"), *_years(OuterRef)),
    )


def _as_they_stood(targets: QuerySet, org: Organization | None) -> QuerySet[AdmissionTarget]:
    """`placed_path` and `name`: the quota's organisation as it stood at its period's end
    (`organizations.dated.stood_in`) for a past quota, today's for a current one; `admitted`
    counted in that tree (`admitted_in_years_as_they_stood`) once the tree was reshaped since
    the earliest past quota listed began, else by today's paths (the same then)."""
    first, last = _years()
    past = _past()
    targets = targets.annotate(
        at=state_as_it_stood("organization", FirstDay(first), LastDay(last))
    ).alias(placed_path=Case(When(past, then=F("at__path")), default=F("org_path")))
    if org is not None:
        targets = targets.filter(placed_path__startswith=_path_then(org, past))
    now = admitted_count(OuterRef("org_path"), *_years(OuterRef))
    admitted = now
    if _reshaped(targets.filter(past), org):
        then = admitted_in_years_as_they_stood(OuterRef("at__path"), *_years(OuterRef))
        admitted = Case(When(past, then=_counted(then)), default=now)
    return targets.annotate(name=Coalesce("at__name", "organization__name"), admitted=admitted)


def _path_then(org: Organization, past: Q) -> Case:
    """`org`'s path at the end of each quota's period: as it stood then for a past quota (none
    when it did not exist then), today's for a current one."""
    first, last = _years(OuterRef)
    then = OrgState.unscoped.filter(stood_in(FirstDay(first), LastDay(last)), org=org.pk)
    return Case(When(past, then=Subquery(then.values("path")[:1])), default=Value(org.path))


def _reshaped(past: QuerySet[AdmissionTarget], org: Organization | None) -> bool:
    """Whether an organisation moved, merged or split, below `org` (anywhere without it), after
    the first day of the earliest of the `past` quotas: until then today's paths answer."""
    first = past.aggregate(first=Min(_years()[0]))["first"]
    if first is None:
        return False
    return dated.reshaped_since(datetime.date(first, 1, 1), org.path if org else None)


def absence(user, org: Organization | None, year: int | None, term) -> str | None:
    """Why `org` has no quotas listed for a past year or term: it did not exist at the period's
    end (when it was established, or ended and what it became); None otherwise."""
    period = (year, year) if year is not None else term
    if org is None or period is None or not is_over(period[1]):
        return None
    if stood(org, *period) is not None:
        return None
    return dated.absence(org, datetime.date(period[1], 12, 31), user)


def stood(org: Organization, first_year: int, last_year: int) -> OrgState | None:
    """`org` as it stood at the end of a past period (`organizations.dated.stood_in`)."""
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31)
    return OrgState.unscoped.filter(stood_in(start, end), org=org).first()


def org_choices(user, limit: int = 1000) -> QuerySet[Organization]:
    """Active organisations offered by the quota forms (codes with their names)."""
    return (
        visible(user, Organization, Capability.VIEW)
        .filter(ended_on__isnull=True)
        .order_by("sort_key")
        .only("code", "name")[:limit]
    )


def get_target(user, pk: int, capability: str = Capability.MANAGE_ORGS) -> AdmissionTarget:
    """The quota `pk` if the user holds `capability` on its organisation, else DoesNotExist."""
    return visible(user, AdmissionTarget, capability).select_related("organization").get(pk=pk)


def page_token(user) -> str:
    """The version of the quotas as the page shows them: the last quota change in the user's
    scope. A save or removal is refused if its quota changed after it (targets.services)."""
    changes = visible(user, AuditEntry).filter(  # audit_action_idx
        target_type=Organization._meta.label_lower, action="target.set"
    )
    return str(versions.Token(0, changes.aggregate(last=Max("id"))["last"] or 0))


# The members admitted by a unit in a year or a term: the list behind the counts of the survey
# and of the quotas page.

ADMITTED_SORTING = Sorting(
    {
        "name": ("sort_key",),
        "code": ("code",),
        "branch": ("branch__sort_key", "branch_id"),
        "admitted": ("admitted_on",),
    },
    default="admitted",
)


@dataclass(frozen=True)
class AdmittedQuery:
    """`?org=…&year=…` or `?org=…&from=…&to=…` (a term), with the list's order."""

    org: str
    first_year: int
    last_year: int
    sort: str = ""

    @classmethod
    def from_query(cls, query) -> "AdmittedQuery":
        """The query's period; a year that is not one, or no period, is a 400."""
        year = query_int(query, "year", label="Năm", low=1930, high=9999)
        first = query_int(query, "from", label="Từ năm", low=1930, high=9999)
        last = query_int(query, "to", label="Đến năm", low=1930, high=9999)
        if year is not None:
            first = last = year
        if first is None or last is None or last < first:
            raise BadQuery("Cần chọn năm, hoặc nhiệm kỳ (từ năm, đến năm), của danh sách.")
        sort = ADMITTED_SORTING.read(query)
        return cls(query.get("org", "").strip(), first, last, sort)

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return period_label(self.first_year, None)
        return period_label(None, (self.first_year, self.last_year))


@dataclass(frozen=True)
class Admitted:
    org: Organization
    name: str  # the organisation's name in the period (at its end, for a past period)
    members: QuerySet[Member]  # those the user sees, in the chosen order
    total: int  # every member admitted there, also those now outside the user's scope
    absence: str | None = None  # why none: the organisation did not exist at the period's end


def admitted_list(user, query: AdmittedQuery) -> Admitted:
    """Members admitted in the period by a branch below the organisation, wherever they are now
    (the count the quotas page shows: for a past period, placed where the admitting branch
    stood at its end, `reports.admitted.admitted_as_it_stood`). Those who moved out of the
    user's scope since are counted, not listed. An organisation the user does not see today is
    a 404."""
    org = visible(user, Organization).filter(code=query.org).first() if query.org else None
    if org is None or not scope_of(user).allows(Capability.VIEW, org.path):
        raise Http404("Không tìm thấy tổ chức có mã này trong phạm vi của bạn.")
    name, why = org.name, None
    if not is_over(query.last_year):
        admitted = admitted_in_years(org.path, query.first_year, query.last_year)
    elif (state := stood(org, query.first_year, query.last_year)) is not None:
        start = datetime.date(query.first_year, 1, 1)
        end = datetime.date(query.last_year, 12, 31)
        admitted, name = admitted_as_it_stood(state.path, start, end, end), state.name
    else:
        admitted = Member.unscoped.none()
        why = absence(user, org, None, (query.first_year, query.last_year))
    members = (
        visible(user, Member)
        .filter(pk__in=admitted.values("pk"))
        .select_related("branch")
        .order_by(*ADMITTED_SORTING.order_by(query.sort))
    )
    return Admitted(org, name, members, admitted.order_by().count(), why)
