"""The organisations below a parent on its grading screen, with their admissions of the year."""

import datetime
from functools import reduce

from django.db.models import Exists, F, FilteredRelation, OuterRef, QuerySet

from dangvien.admissions.models import AdmissionTarget
from dangvien.admissions.targets.selectors import QuotaProgress, admitted_count, is_over
from dangvien.assessments.models import MemberAssessment, OrgAssessment
from dangvien.assessments.selectors.counts import GRADE_COLUMNS, _count, _progress_columns
from dangvien.core.paths import common_ancestor
from dangvien.core.roles import Capability
from dangvien.core.scope import visible
from dangvien.discipline.selectors import organization_decisions
from dangvien.organizations import dated
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import Organization
from dangvien.reports.admissions import target_at
from dangvien.reports.admissions_figures import period_quotas
from dangvien.reports.admitted import admitted_in_years_as_they_stood


def child_org_rows(user, parent: Organization, year: int) -> list[dict]:
    """The active direct children of `parent` with their assessment of the year, whether a
    member below was disciplined that year, their members' final grades and their admission
    quota of the year (their own, else the sum of those set highest below them, as the survey
    and the admissions report read it: `reports.admissions.target_at`) against the members
    admitted by a branch below them (wherever those are now): three queries. A year over asks
    once whether the tree below `parent` was reshaped since it began; if so, it is read in the
    tree as it stood on its 31/12 (`_admissions_then`, `_quotas_then`: one query more)."""
    disciplined = MemberAssessment.unscoped.filter(
        year=year, branch_path__startswith=OuterRef("path"), disciplined_in_year=True
    )
    columns = _progress_columns(year, OuterRef("path"))
    children = (
        visible(user, Organization, Capability.MANAGE_ORGS)
        .filter(parent=parent, ended_on__isnull=True)
        .annotate(
            member_disciplined=Exists(disciplined),
            org_disciplined=Exists(
                organization_decisions(year).filter(subject_path__startswith=OuterRef("path"))
            ),
            n_members=columns["n_members"],
            n_decided=columns["n_decided"],
            **{f"n_{name}": columns[f"n_{name}"] for name in GRADE_COLUMNS},
        )
        .order_by("sort_key")
    )
    then = is_over(year) and dated.reshaped_since(datetime.date(year, 1, 1), parent.path)
    if then:
        children = list(_admissions_then(children, year))
        quotas = _quotas_then([child.then_path for child in children if child.then_path], year)
    else:
        children = list(
            children.annotate(
                then_path=F("path"), n_admitted=admitted_count(OuterRef("path"), year, year)
            )
        )
        quotas = dict(
            visible(user, AdmissionTarget)
            .filter(org_path__startswith=parent.path, year=year)
            .values_list("org_path", "quota")
        )
    assessments = {
        a.organization_id: a
        for a in visible(user, OrgAssessment, Capability.MANAGE_ORGS).filter(
            year=year, organization__in=[child.pk for child in children]
        )
    }
    return [
        {
            "org": child,
            "assessment": assessments.get(child.pk),
            "admissions": QuotaProgress(
                target_at(child.then_path, quotas) if child.then_path else None, child.n_admitted
            ),
        }
        for child in children
    ]


def _admissions_then(children: QuerySet[Organization], year: int) -> QuerySet[Organization]:
    """`children` with `then_path`, their path on 31/12 of `year` (None: not yet established),
    and `n_admitted`, the members whose admitting branch stood below them then
    (`reports.admitted.admitted_in_years_as_they_stood`): a past year's grading counts the same
    after any later move, merger or split (issue 13; formats.md, "Report JSON"). The children
    are active, so their state then is the one holding on that day."""
    end = datetime.date(year, 12, 31)
    admitted = admitted_in_years_as_they_stood(OuterRef("at_end__path"), year, year)
    return children.annotate(
        at_end=FilteredRelation("states", condition=holding_on(end, "states__")),
        then_path=F("at_end__path"),
        n_admitted=_count(admitted),
    )


def _quotas_then(paths: list[str], year: int) -> dict[str, int]:
    """The quotas of `year` by their organisation's path on its 31/12, below the organisation
    that held every one of `paths` then (`reports.admissions_figures.period_quotas`)."""
    if not paths:
        return {}
    below = Organization(path=reduce(common_ancestor, paths))
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return period_quotas(below, year, year, start, end)
