"""Reads of the quotas page and of the quota figures other pages show: quotas in the user's
scope with the members admitted in their period, counted in the database (one correlated count
per row of the page's single query, over the indexed organisation paths). Admissions count for
the branch that admitted the member (`reports.admissions.admitted_in_years`), wherever they
are now."""

from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Max, OuterRef, QuerySet, Subquery
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
from dangvien.organizations.models import Organization
from dangvien.reports.admissions import admitted_in_years
from dangvien.reports.render import percent


@dataclass(frozen=True)
class QuotaProgress:
    """A quota and the members admitted in its period, e.g. 243 of 240 = 101.25%."""

    quota: int | None
    admitted: int

    @property
    def percent(self) -> float | None:
        return percent(self.admitted, self.quota or 0)  # None without a quota, or with 0


def admitted_count(path, first_year, last_year) -> Coalesce:
    """Members admitted from 1/1 of `first_year` to 31/12 of `last_year` by a branch in the
    subtree at `path` (values or outer references), as a scalar subquery for an annotation.
    The quota belongs to an organisation the user sees, so every admitting branch counted is
    in the user's scope (members who moved out of it since still count: only the number is
    shown)."""
    members = admitted_in_years(path, first_year, last_year)
    counted = members.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def quota_rows(
    user,
    *,
    org: Organization | None = None,
    year: int | None = None,
    term: tuple[int, int] | None = None,
) -> QuerySet[AdmissionTarget]:
    """The quotas the user may see, under `org` if given, for one year or term if given, each
    annotated with `admitted` (members admitted in its period below its organisation)."""
    targets = visible(user, AdmissionTarget).select_related("organization")
    if org is not None:
        targets = targets.filter(org_path__startswith=org.path)
    if year is not None:
        targets = targets.filter(year=year)
    if term is not None:
        targets = targets.filter(term_start=term[0], term_end=term[1])
    first = Coalesce(OuterRef("year"), OuterRef("term_start"))
    last = Coalesce(OuterRef("year"), OuterRef("term_end"))
    return targets.annotate(admitted=admitted_count(OuterRef("org_path"), first, last)).order_by(
        "org_path",
        F("year").desc(nulls_last=True),
        F("term_start").desc(nulls_last=True),
        "pk",
    )


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
    members: QuerySet[Member]  # those the user sees, in the chosen order
    total: int  # every member admitted there, also those now outside the user's scope


def admitted_list(user, query: AdmittedQuery) -> Admitted:
    """Members admitted in the period by a branch below the organisation, wherever they are now
    (`reports.admissions.admitted_in_years`, the count the survey and the quotas show). Those
    who moved out of the user's scope since are counted, not listed. An organisation the user
    does not see is a 404."""
    org = visible(user, Organization).filter(code=query.org).first() if query.org else None
    if org is None or not scope_of(user).allows(Capability.VIEW, org.path):
        raise Http404("Không tìm thấy tổ chức có mã này trong phạm vi của bạn.")
    admitted = admitted_in_years(org.path, query.first_year, query.last_year)
    members = (
        visible(user, Member)
        .filter(pk__in=admitted.values("pk"))
        .select_related("branch")
        .order_by(*ADMITTED_SORTING.order_by(query.sort))
    )
    return Admitted(org, members, admitted.order_by().count())
