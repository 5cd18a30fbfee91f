"""The leaders of organisations on a day (for the leader's grade against their unit's) and the
congress schedule of a subtree, its due dates at their boundary."""

import datetime

from dangvien.committees import selectors, services, terms
from dangvien.committees.models import Chosen, Post
from dangvien.committees.services import SeatPlan
from dangvien.committees.terms import TermPlan
from dangvien.core.decisions import Decision
from dangvien.core.models import RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import Family
from dangvien.organizations.models import OrgKind
from dangvien.organizations.services.changes import move_organization
from tests.factories import MemberFactory, OrganizationFactory
from tests.transfers.steps import ONE_DAY, today

DAY = datetime.date(2024, 3, 1)


def _seat(actor, term, member, on, post=Post.SECRETARY):
    return services.add_seat(
        actor,
        term,
        member,
        SeatPlan(body="cap_uy", post=post, chosen=Chosen.CONGRESS, elected_on=on),
    )


def test_heads_and_led_units_on_a_day_in_one_query(world, django_assert_num_queries):
    officer = world.users[Role.OFFICER]
    branch_term = terms.open_term(officer, world.branch, TermPlan("2024–2026", DAY))
    base_term = terms.open_term(officer, world.base, TermPlan("2024–2029", DAY))
    other_term = terms.open_term(officer, world.other_branch, TermPlan("2024–2026", DAY))
    # The secretary of a branch without a chi ủy, and of the base committee above it.
    branch_head = _seat(officer, branch_term, world.member, DAY)
    _seat(officer, base_term, world.member, DAY + ONE_DAY)
    deputy = MemberFactory(branch=world.other_branch)
    _seat(officer, other_term, deputy, DAY, post=Post.DEPUTY_SECRETARY)
    leaving = DAY + 100 * ONE_DAY
    services.end_seat(officer, branch_head, leaving, "Nghỉ hưu")

    ids = [world.branch.pk, world.base.pk, world.other_branch.pk]
    with django_assert_num_queries(1):
        heads = selectors.heads_on(ids, leaving - ONE_DAY)
    assert heads == {world.branch.pk: world.member.pk, world.base.pk: world.member.pk}
    # The day of leaving is the first without the post; the day before election, none yet.
    assert selectors.heads_on(ids, leaving) == {world.base.pk: world.member.pk}
    assert selectors.heads_on(ids, DAY) == {world.branch.pk: world.member.pk}
    assert selectors.heads_on(ids, DAY - ONE_DAY) == {}

    with django_assert_num_queries(1):
        led = selectors.led_units([world.member.pk, deputy.pk], DAY + ONE_DAY)
    assert led == {world.member.pk: sorted([world.branch.pk, world.base.pk])}
    assert selectors.led_units([world.member.pk], leaving) == {world.member.pk: [world.base.pk]}


def test_the_next_congress_is_due_by_the_rule_set_and_late_after_its_tolerance(world):
    officer = world.users[Role.OFFICER]
    congress = datetime.date(2022, 6, 15)
    term = terms.open_term(officer, world.branch, TermPlan("2022–2025", congress))
    # A branch under a base committee: twice in 5 years, ±6 months (Điều lệ Đảng).
    assert term.congress_due_on == datetime.date(2024, 12, 15)
    assert term.congress_latest_on == datetime.date(2025, 6, 15)

    def overdue(day):
        rows = selectors.congress_schedule(officer, world.base, day)
        return {row.pk: row.overdue for row in rows}

    assert overdue(datetime.date(2025, 6, 15))[world.branch.pk] is False
    assert overdue(datetime.date(2025, 6, 16))[world.branch.pk] is True
    # An organisation with no term yet is not marked.
    assert overdue(datetime.date(2025, 6, 16))[world.other_branch.pk] is False

    # A rule set that makes branch congresses once in 5 years (the pilot of QĐ 294) counts from
    # the day it takes effect.
    pilot = RuleSet.objects.filter(family=Family.CHARTER).order_by("-effective_from").first()
    pilot.values = {**pilot.values, "congress_cycle_months_sub_branch": 60}
    pilot.save()
    later = terms.open_term(
        officer, world.other_branch, TermPlan("2025–2030", pilot.effective_from)
    )
    assert later.congress_due_on.year == pilot.effective_from.year + 5


def test_the_schedule_page_pages_a_subtree_and_marks_the_late(world, monkeypatch):
    officer = world.users[Role.OFFICER]
    late = terms.open_term(officer, world.branch, TermPlan("2020–2022", today() - 1200 * ONE_DAY))
    assert late.congress_latest_on < today()
    terms.open_term(officer, world.base, TermPlan("2025–2030", today() - 100 * ONE_DAY))
    for number in range(3):
        OrganizationFactory(code=f"P.U1.01.9{number}", kind=OrgKind.SUB_BRANCH, parent=world.base)
    client = world.client(Role.OFFICER)
    monkeypatch.setattr("dangvien.committees.views.PAGE_SIZE", 4)

    url = f"/committees/org/{world.upper.code}/congresses/"
    first = client.get(url).content.decode()
    assert "Trang 1/2 · 7 mục" in first  # the upper, the base, 2 + 3 branches
    # Those without a term first, then by due date: the late branch before the base.
    assert first.count('<tr id="org-') == 4 and f'id="org-{world.branch.pk}"' not in first
    second = client.get(url + "?page=2").content.decode()
    assert second.index(f'id="org-{world.branch.pk}"') < second.index(f'id="org-{world.base.pk}"')
    overdue = client.get(f"/committees/org/{world.upper.code}/congresses/?overdue=1")
    page = overdue.content.decode()
    assert f'id="org-{world.branch.pk}"' in page and "quá hạn" in page
    assert f'id="org-{world.base.pk}"' not in page
    # An officer outside sees none of it.
    outsider = world.client("outside_officer")
    assert outsider.get(f"/committees/org/{world.upper.code}/congresses/").status_code == 404


def test_terms_and_seats_follow_a_move_of_their_organisation(world):
    officer = world.users[Role.OFFICER]
    term = terms.open_term(officer, world.branch, TermPlan("2024–2026", DAY))
    seat = _seat(officer, term, world.member, DAY)
    move_organization(
        world.users[Role.ADMIN],
        world.branch,
        world.outside_base,
        Decision(today(), "9-QĐ/TU", body="Tỉnh ủy"),
    )
    world.branch.refresh_from_db()
    term.refresh_from_db()
    seat.refresh_from_db()
    assert term.org_path == seat.org_path == world.branch.path
    assert world.branch.path.startswith(world.outside_base.path)
    # The officer of the old subtree no longer sees them; the outside officer does.
    assert (
        world.client(Role.OFFICER).get(f"/committees/org/{world.branch.code}/").status_code == 404
    )
    outside = world.client("outside_officer").get(f"/committees/org/{world.branch.code}/")
    assert outside.status_code == 200 and "Nguyễn Văn An" in outside.content.decode()
