"""Reading awards and proposals, each from the user's scope (`core.scope.visible`), and the
candidates of a proposal built from the grades (HD 21-HD/BTCTW; domain-briefs §10).

Candidates for year Y below an organisation, each list a few queries over the indexed
(year, path) columns of the grades, whatever the size of the subtree:
- organisations graded excellent each of the N years Y-N+1 … Y (N from the rule set,
  `award_streak_years`, 5), following the successor links through amalgamation and absorption,
  and members graded excellent each of those years wherever they were graded before, graded in
  the subtree in Y: `assessments.streaks` (the one reading the streak page and the awards
  report share);
- organisations and members graded excellent in Y (the yearly «tiêu biểu» are chosen from them);
- organisations whose admissions of Y reached the share of their year's quota the rule set says
  (`award_admissions_min_percent` [U]), the thematic award for admissions work.
Verification: no discipline decision (not annulled) dated in the years commended, the member
still a party member, the organisation still active; a subject already on a proposal of the
same year and basis that is not withdrawn, or already awarded for it, is shown so.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from dangvien.admissions.targets.selectors import quota_rows
from dangvien.assessments.models import Grade, MemberAssessment, OrgAssessment
from dangvien.assessments.streaks import excellent_members, streak_years, streaks_below
from dangvien.awards.models import (
    Award,
    AwardForm,
    AwardLevel,
    Basis,
    EntryStatus,
    Proposal,
    ProposalEntry,
    ProposalStatus,
)
from dangvien.core.rules import RuleBook
from dangvien.core.scope import visible
from dangvien.discipline.models import Discipline
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.organizations.models import Organization

# A page lists at most this many candidates of a kind; a bigger subtree is narrowed by choosing
# an organisation below it (the count says how many there are).
CANDIDATE_LIMIT = 300


# -- Awards ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardFilters:
    year: int | None = None
    form: str = ""
    level: str = ""
    subject: str = ""  # "member", "org" or ""
    annulled: bool = False

    @classmethod
    def parse(cls, params) -> "AwardFilters":
        year = params.get("year", "").strip()
        return cls(
            year=int(year) if year.isdigit() and 1930 <= int(year) <= 2200 else None,
            form=params.get("form", "") if params.get("form") in AwardForm.values else "",
            level=params.get("level", "") if params.get("level") in AwardLevel.values else "",
            subject=params.get("subject", "") if params.get("subject") in ("member", "org") else "",
            annulled=params.get("annulled") == "1",
        )


def awards_below(user, org: Organization, filters: AwardFilters) -> QuerySet[Award]:
    """The awards of subjects that stood in `org`'s subtree when awarded, filtered: `year` is
    any year the award is for (from … to)."""
    rows = visible(user, Award).filter(subject_path__startswith=org.path)
    if filters.year:
        rows = rows.filter(year_from__lte=filters.year, year_to__gte=filters.year)
    if filters.form:
        rows = rows.filter(form=filters.form)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.subject == "member":
        rows = rows.filter(member__isnull=False)
    elif filters.subject == "org":
        rows = rows.filter(organization__isnull=False)
    if not filters.annulled:
        rows = rows.filter(annulled_at__isnull=True)
    return rows.select_related("member", "organization", "unit").order_by(
        "-decided_on", "-year_to", "id"
    )


def award_counts(user, org: Organization, filters: AwardFilters) -> dict:
    """How many awards the list holds, by form (one GROUP BY)."""
    rows = awards_below(user, org, filters).order_by().values("form").annotate(n=Count("pk"))
    by_form = {row["form"]: row["n"] for row in rows}
    return {
        "total": sum(by_form.values()),
        "by_form": [(label, by_form.get(value, 0)) for value, label in AwardForm.choices],
    }


def awards_of(subject) -> QuerySet[Award]:
    """The awards of a member or an organisation the caller may already see (its page; the
    member's own record), newest first, annulled ones last."""
    field_name = "member" if isinstance(subject, Member) else "organization"
    return Award.unscoped.filter(**{field_name: subject}).order_by(
        "annulled_at", "-decided_on", "-id"
    )


def award_history(awards: QuerySet[Award]):
    """The history entries of these awards (recorded, corrected, annulled), oldest first: one
    query."""
    from dangvien.core.models import AuditEntry

    return (
        AuditEntry.unscoped.filter(
            target_type=Award._meta.label_lower, target_id__in=awards.values("pk")
        )
        .select_related("actor")
        .order_by("id")
    )


def get_award(user, pk: int, capability: str) -> Award:
    return visible(user, Award, capability).select_related("member", "organization").get(pk=pk)


# -- Proposals -------------------------------------------------------------------------------


def proposals_below(user, org: Organization) -> QuerySet[Proposal]:
    return (
        visible(user, Proposal)
        .filter(org_path__startswith=org.path)
        .select_related("organization")
        .annotate(
            proposed=Count("entries", filter=~Q(entries__status=EntryStatus.REJECTED)),
            rejected=Count("entries", filter=Q(entries__status=EntryStatus.REJECTED)),
        )
        .order_by("-year", "-proposed_on", "-id")
    )


def get_proposal(user, pk: int, capability: str) -> Proposal:
    return visible(user, Proposal, capability).select_related("organization").get(pk=pk)


def get_entry(user, pk: int, capability: str) -> ProposalEntry:
    return (
        visible(user, ProposalEntry, capability)
        .select_related("proposal", "member", "organization")
        .get(pk=pk)
    )


def entries_of(proposal: Proposal) -> list[ProposalEntry]:
    return list(
        ProposalEntry.unscoped.filter(proposal=proposal)
        .select_related("member__branch", "organization", "award")
        .order_by("id")
    )


# -- Candidates ------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A member or an organisation that the grades (or the admissions) put forward, with what
    stops it from being proposed ("" when nothing does)."""

    subject: object
    achievement: str
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        prefix = "m" if isinstance(self.subject, Member) else "o"
        return f"{prefix}{self.subject.pk}"

    @property
    def eligible(self) -> bool:
        return not self.problems


@dataclass
class CandidateList:
    basis: str
    label: str
    first_year: int
    last_year: int
    organizations: list[Candidate]
    members: list[Candidate]
    organizations_total: int
    members_total: int

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.organizations + self.members if c.eligible}


def _discipline_problems(candidates: list[Candidate], first: int, last: int) -> None:
    """HD 21: no discipline (not annulled) decided in the years commended. Two queries."""
    members = [c.subject.pk for c in candidates if isinstance(c.subject, Member)]
    orgs = [c.subject.pk for c in candidates if isinstance(c.subject, Organization)]
    decided = Discipline.unscoped.filter(
        annulled_at__isnull=True, decided_on__year__gte=first, decided_on__year__lte=last
    )
    hit_members = dict(decided.filter(member__in=members).values_list("member", "decision_number"))
    hit_orgs = dict(
        decided.filter(organization__in=orgs).values_list("organization", "decision_number")
    )
    years = f"năm {last}" if first == last else f"các năm {first}–{last}"
    for candidate in candidates:
        hits = hit_members if isinstance(candidate.subject, Member) else hit_orgs
        if candidate.subject.pk in hits:
            candidate.problems.append(
                f"Bị kỷ luật trong {years} (quyết định số {hits[candidate.subject.pk]})."
            )


def _status_problems(candidates: list[Candidate]) -> None:
    for candidate in candidates:
        subject = candidate.subject
        if isinstance(subject, Member) and subject.status not in ACTIVE_STATUSES:
            candidate.problems.append(
                f"Không còn sinh hoạt đảng ({subject.get_status_display().lower()})."
            )
        if isinstance(subject, Organization) and subject.ended_on is not None:
            candidate.problems.append(f"Đã thôi hoạt động từ {subject.ended_on:%d/%m/%Y}.")


def _already_problems(candidates: list[Candidate], basis: str, year: int) -> None:
    """Already on a live proposal of the year and basis, or awarded by one (one query each)."""
    entries = ProposalEntry.unscoped.filter(proposal__year=year, proposal__basis=basis).exclude(
        Q(proposal__status=ProposalStatus.WITHDRAWN) | Q(status=EntryStatus.REJECTED)
    )
    members = set(entries.filter(member__isnull=False).values_list("member", flat=True))
    orgs = set(entries.filter(organization__isnull=False).values_list("organization", flat=True))
    for candidate in candidates:
        taken = members if isinstance(candidate.subject, Member) else orgs
        if candidate.subject.pk in taken:
            candidate.problems.append("Đã có trong một đề nghị khen thưởng cùng diện, cùng năm.")


def _verify(candidates: list[Candidate], basis: str, first: int, last: int) -> list[Candidate]:
    _status_problems(candidates)
    _discipline_problems(candidates, first, last)
    _already_problems(candidates, basis, last)
    return candidates


def _member_streaks(user, org: Organization, year: int, years: int) -> QuerySet[Member]:
    """Members graded excellent in `year` in the subtree and in each of the `years` - 1 years
    before, wherever they were then (`assessments.streaks.excellent_members`)."""
    graded_here = visible(user, MemberAssessment).filter(branch_path__startswith=org.path)
    return Member.unscoped.filter(
        pk__in=excellent_members(graded_here, year, years).values("member")
    )


def _streak_orgs(user, org: Organization, year: int, years: int) -> list[Candidate]:
    found = []
    for s in streaks_below(user, org, year, years):
        text = f"Hoàn thành xuất sắc nhiệm vụ {s.years} năm liền ({s.first_year}–{s.last_year})"
        if s.through:
            text += f", tính cả các năm của tổ chức hợp nhất, sáp nhập vào: {', '.join(s.through)}"
        found.append(Candidate(s.organization, text))
    return found


def _yearly_orgs(user, org: Organization, year: int) -> QuerySet[Organization]:
    graded = visible(user, OrgAssessment).filter(
        year=year, grade=Grade.EXCELLENT, org_path__startswith=org.path
    )
    return Organization.unscoped.filter(pk__in=graded.values("organization"))


def _yearly_members(user, org: Organization, year: int) -> QuerySet[Member]:
    graded = visible(user, MemberAssessment).filter(
        year=year, grade=Grade.EXCELLENT, branch_path__startswith=org.path
    )
    return Member.unscoped.filter(pk__in=graded.values("member"))


def _admissions_orgs(user, org: Organization, year: int) -> list[tuple[Organization, str]]:
    """Organisations of the subtree whose admissions of `year` reached the rule set's share of
    their year's quota (admissions.targets: counted in the database, one query)."""
    share = RuleBook.load().value("award_admissions_min_percent", datetime.date(year, 12, 31))
    found = []
    for row in quota_rows(user, org=org, year=year)[: CANDIDATE_LIMIT * 4]:
        if row.quota and row.admitted * 100 >= row.quota * share:
            stretch = (
                f"; chỉ tiêu phấn đấu {row.stretch_quota}"
                + (" (đạt)" if row.admitted >= row.stretch_quota else "")
                if row.stretch_quota
                else ""
            )
            text = f"Kết nạp {row.admitted}/{row.quota} đảng viên theo chỉ tiêu năm {year}{stretch}"
            found.append((row.organization, text))
    return found


def _members_page(queryset: QuerySet[Member]) -> tuple[list[Member], int]:
    ordered = queryset.select_related("branch").order_by("sort_key", "id")
    return list(ordered[:CANDIDATE_LIMIT]), queryset.count()


def candidates(user, org: Organization, year: int, basis: str) -> CandidateList:
    """The candidates below `org` for `year` and `basis`, verified (module docstring)."""
    if basis == Basis.STREAK:
        years = streak_years(year)
        found_orgs = _streak_orgs(user, org, year, years)
        orgs, org_total = found_orgs[:CANDIDATE_LIMIT], len(found_orgs)
        members, members_total = _members_page(_member_streaks(user, org, year, years))
        member_text = f"Hoàn thành xuất sắc nhiệm vụ {years} năm liền ({year - years + 1}–{year})"
        first = year - years + 1
    elif basis == Basis.YEARLY:
        found = _yearly_orgs(user, org, year).order_by("sort_key", "id")
        orgs = [
            Candidate(o, f"Hoàn thành xuất sắc nhiệm vụ năm {year}")
            for o in found[:CANDIDATE_LIMIT]
        ]
        org_total = found.count()
        members, members_total = _members_page(_yearly_members(user, org, year))
        member_text = f"Hoàn thành xuất sắc nhiệm vụ năm {year}"
        first = year
    else:
        found = _admissions_orgs(user, org, year)
        orgs = [Candidate(o, text) for o, text in found[:CANDIDATE_LIMIT]]
        org_total, members, members_total, member_text, first = len(found), [], 0, "", year
    member_candidates = [Candidate(m, member_text) for m in members]
    _verify(orgs + member_candidates, basis, first, year)
    return CandidateList(
        basis=basis,
        label=Basis(basis).label,
        first_year=first,
        last_year=year,
        organizations=orgs,
        members=member_candidates,
        organizations_total=org_total,
        members_total=members_total,
    )


def my_section(member: Member, today):
    """The member's awards on their own summary page (issue 17 point 7), annulled ones left
    out."""
    from dangvien.site.my_sections import Section

    awards = awards_of(member).filter(annulled_at__isnull=True)
    return Section(
        key="awards",
        title="Khen thưởng",
        template="awards/_my_section.html",
        context={"awards": list(awards)},
    )
