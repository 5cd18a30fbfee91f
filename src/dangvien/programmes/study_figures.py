"""The figures of a study plan by its deadline (domain-briefs §2): the share of the expected
base organisations that held a session, the members present, per direct child of the plan's
owner, and the organisations not done yet."""

from dataclasses import dataclass

from dangvien.core.scope import visible
from dangvien.organizations.history import holding_on
from dangvien.organizations.models import Organization, OrgState
from dangvien.programmes.indicators import expected_bases, held_by_deadline
from dangvien.programmes.models import LearningReport, StudyPlan, StudySession
from dangvien.reports.render import percent


@dataclass(frozen=True)
class ChildProgress:
    """The figures of one direct child of the plan's owner (or the owner itself when it is a
    base organisation)."""

    code: str
    name: str
    path: str  # today's path of the child, for the reader's scope
    expected: int
    done: int
    present: int
    members: int
    missing: list[str]

    @property
    def percent_done(self) -> float | None:
        return percent(self.done, self.expected)

    @property
    def percent_present(self) -> float | None:
        return percent(self.present, self.members)


@dataclass(frozen=True)
class PlanProgress:
    expected: int
    done: int
    present: int  # members present at the sessions of the organisations that held one
    members: int  # those organisations' members on the day of their session
    reports: int  # learning reports recorded
    children: list[ChildProgress]

    @property
    def percent_done(self) -> float | None:
        return percent(self.done, self.expected)

    @property
    def percent_present(self) -> float | None:
        return percent(self.present, self.members)

    @property
    def missing(self) -> list[str]:
        return [name for child in self.children for name in child.missing]


def progress(plan: StudyPlan) -> PlanProgress:
    """By the deadline: % of the expected base organisations that held a session, % of the
    members present (of the members of those that held one, each counted at its latest session
    by the deadline), per direct child of the owner, and the organisations not done yet."""
    expected = expected_bases(plan)
    done = held_by_deadline(plan) & expected
    owner = OrgState.unscoped.filter(holding_on(plan.deadline), org_id=plan.owner_id).first()
    states = {
        state.org_id: state
        for state in OrgState.unscoped.filter(holding_on(plan.deadline), org_id__in=expected)
    }
    # Each organisation's latest session held by the deadline (by its day, then as recorded).
    sessions = StudySession.unscoped.filter(
        plan=plan, annulled_at__isnull=True, held_on__lte=plan.deadline
    ).order_by("organization_id", "held_on", "id")
    latest = {
        org_id: (present, members)
        for org_id, present, members in sessions.values_list(
            "organization_id", "present", "members"
        )
    }
    attendance = {org_id: figures[0] for org_id, figures in latest.items()}
    sizes = {org_id: figures[1] for org_id, figures in latest.items()}
    groups: dict[int, list[int]] = {}
    for org_id, state in states.items():
        below = state.path[len(owner.path) :].strip("/").split("/") if owner else []
        child = int(below[0]) if below and below[0] else org_id
        groups.setdefault(child, []).append(org_id)
    heads = {
        state.org_id: state
        for state in OrgState.unscoped.filter(
            holding_on(plan.deadline), org_id__in=list(groups)
        ).select_related("org")
    }
    children = []
    for child, ids in sorted(groups.items(), key=lambda item: heads[item[0]].name):
        held = [pk for pk in ids if pk in done]
        children.append(
            ChildProgress(
                code=heads[child].org.code,
                name=heads[child].name,
                path=heads[child].org.path,
                expected=len(ids),
                done=len(held),
                present=sum(attendance.get(pk, 0) for pk in held),
                members=sum(sizes.get(pk, 0) for pk in held),
                missing=sorted(states[pk].name for pk in ids if pk not in done),
            )
        )
    return PlanProgress(
        expected=len(expected),
        done=len(done),
        present=sum(c.present for c in children),
        members=sum(c.members for c in children),
        reports=LearningReport.unscoped.filter(plan=plan).count(),
        children=children,
    )


def own_bases(plan: StudyPlan, user, shown: list[ChildProgress]) -> list[tuple[str, bool]]:
    """(name, done by the deadline) of the base organisations the plan expects that lie in the
    user's scope and in none of the `shown` rows."""
    expected = expected_bases(plan)
    done = held_by_deadline(plan)
    inside = visible(user, Organization).filter(pk__in=expected)
    rows = [
        (org.name, org.pk in done)
        for org in inside.order_by("sort_key")
        if not any(org.path.startswith(child.path) for child in shown)
    ]
    return rows
