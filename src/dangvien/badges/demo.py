"""The demo's party badges: a few long-standing members of the demo province given their badge
at a past ceremony, two proposed for the next one; `example_members` picks others still due a
badge for the import template's example (site.import_examples). A few queries, a few rows."""

import datetime

from dangvien.accounts.models import User
from dangvien.badges import services
from dangvien.badges.models import Badge
from dangvien.badges.planning import ceremonies, next_ceremony
from dangvien.core.scope import unscoped
from dangvien.members.models import ACTIVE_STATUSES, Member
from dangvien.members.party_age import badge_milestones, milestone_date, reached_by
from dangvien.organizations import demo as organizations_demo
from dangvien.organizations.models import Organization


def _last_ceremony(today: datetime.date) -> datetime.date:
    return [c for c in ceremonies(today.year - 1) + ceremonies(today.year) if c <= today][-1]


def _due(today: datetime.date, skip: int, count: int) -> list[tuple[Member, int, datetime.date]]:
    """Members of the demo province with no badge yet who had reached a milestone by the last
    ceremony: (member, the highest milestone then, that ceremony)."""
    ceremony = _last_ceremony(today)
    province = Organization.unscoped.filter(code=organizations_demo.PROVINCE[0]).first()
    if province is None:  # not the demo's database
        return []
    first = badge_milestones(ceremony)[0]
    candidates = (
        Member.unscoped.filter(
            branch_path__startswith=province.path,
            status__in=ACTIVE_STATUSES,
            party_age_gap_days=0,
            admitted_on__lte=reached_by(ceremony, first),
        )
        .exclude(badges__isnull=False)
        .order_by("code")[skip : skip + count]
    )
    found = []
    for member in candidates:
        reached = [
            m
            for m in badge_milestones(ceremony)
            if milestone_date(member.admitted_on, 0, m) <= ceremony
        ]
        found.append((member, reached[-1], ceremony))
    return found


def example_members(today: datetime.date) -> list[tuple[Member, int, datetime.date]]:
    with unscoped():
        return _due(today, skip=5, count=2)


def load(today: datetime.date) -> None:
    with unscoped():
        actor = User.objects.get(username="admin")  # accounts.demo: the administrator
        for number, (member, milestone, ceremony) in enumerate(_due(today, 0, 3), start=1):
            services.record_awarded(
                actor,
                member,
                milestone=milestone,
                decision_number=f"{number}-QĐ/TU",
                decision_on=ceremony - datetime.timedelta(days=15),
                badge_number=f"{milestone}-{100000 + number}",
                certificate_number=f"GCN-{100000 + number}",
                awarded_on=ceremony,
                reason="Dữ liệu mẫu",
            )
        upcoming = next_ceremony(today)
        for member, milestone, _ceremony in _due(today, 0, 2):
            if Badge.unscoped.filter(member=member).exists():
                continue
            services.propose(
                actor,
                member,
                milestone=milestone,
                ceremony=upcoming,
                proposed_on=today,
                proposed_by=member.branch.name,
            )
