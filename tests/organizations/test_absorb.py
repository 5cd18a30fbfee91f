"""Absorbing an organisation into another (sáp nhập) and amalgamating several into a new one
(hợp nhất): its organisations and members go to the receiving one on the decision's day, it
ends with its successor named, and nothing of the past changes."""

import datetime
import json

import pytest

from dangvien.admissions.models import Candidate, Stage
from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, Gender, Member, MemberEvent, Placement
from dangvien.organizations import dated
from dangvien.organizations.models import OrgEvent, OrgEventKind, OrgKind
from dangvien.organizations.services import (
    absorb_organization,
    amalgamate_organizations,
    create_organization,
    dissolve_organization,
    rename_organization,
)
from tests.factories import MemberFactory, OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, fresh, states_of
from tests.reports.commands import run_report
from tests.reports.worlds import add_grades

DAY = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2025, 6, 30)


def decision(day: datetime.date = DAY) -> Decision:
    return Decision(day, "15-QĐ/TU", "Tỉnh ủy", "Sắp xếp tổ chức bộ máy")


def reports(code: str) -> dict:
    found = {}
    for kind in ("structure", "quality"):
        status, out, err = run_report(kind, "--org", code, "--year", "2024")
        assert status == 0, err
        found[kind] = json.loads(out)
    return found


def test_a_base_committee_absorbed_takes_its_branches_to_the_receiving_one(world):
    add_grades(world)
    admin = world.users[Role.ADMIN]
    before = {code: reports(code) for code in ("P", "P.U1", world.base.code)}

    absorb_organization(admin, world.base, world.outside_base, decision())

    base, branch = fresh(world.base), fresh(world.branch)
    assert base.ended_on == DAY
    event = OrgEvent.unscoped.get(org=base)
    assert (event.kind, event.receiving, event.effective_on) == (
        OrgEventKind.ABSORB,
        world.outside_base,
        DAY,
    )
    assert event.decision_number == "15-QĐ/TU"
    assert branch.parent == world.outside_base
    assert branch.path == f"{world.outside_base.path}{branch.pk}/"
    assert fresh(world.other_branch).parent == world.outside_base
    assert states_of(branch) == [
        (None, DAY, "Chi bộ Tổ Toán", base.code),
        (DAY, None, "Chi bộ Tổ Toán", world.outside_base.code),
    ]
    assert dated.state_on(branch, DAY).event == event  # carried by the absorption
    # The members stay in their branch: the branch moved, not they.
    assert Member.unscoped.get(pk=world.member.pk).branch_path == branch.path
    assert Placement.objects.filter(member=world.member).count() == 1
    assert dated.successor_of(base) == world.outside_base
    assert_history_holds()
    assert {code: reports(code) for code in ("P", "P.U1", world.base.code)} == before
    status, _out, err = run_report("structure", "--org", world.base.code)
    assert status == 1
    assert "đã kết thúc hoạt động từ ngày 01/07/2025" in err
    assert f"đã sáp nhập vào {world.outside_base.name}" in err
    entry = AuditEntry.unscoped.get(action="org.absorb")
    assert entry.changes["receiving"] == [None, world.outside_base.name]
    assert entry.action_label == "Sáp nhập tổ chức"


def test_the_members_of_an_absorbed_branch_move_without_a_transfer(world):
    officer = world.users[Role.OFFICER]
    before = reports(world.other_branch.code)

    absorb_organization(officer, world.other_branch, world.branch, decision())

    member = Member.unscoped.get(pk=world.other_member.pk)
    assert (member.branch, member.branch_path) == (world.branch, world.branch.path)
    assert member.version == world.other_member.version + 1
    placements = list(Placement.objects.filter(member=member).values_list("branch", "start", "end"))
    assert placements == [
        (world.other_branch.pk, world.other_member.admitted_on, BEFORE),
        (world.branch.pk, DAY, None),
    ]
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.TRANSFERRED).exists()
    entry = AuditEntry.unscoped.get(action="member.restructure", target_id=member.pk)
    assert entry.changes == {"branch": ["Chi bộ Tổ Văn", "Chi bộ Tổ Toán"]}
    assert entry.reason.startswith("Sáp nhập Chi bộ Tổ Văn vào Chi bộ Tổ Toán.")
    assert (entry.actor, entry.decision_number) == (officer, "15-QĐ/TU")
    assert fresh(world.other_branch).ended_on == DAY
    assert reports(world.other_branch.code) == before  # its 2024 member is still there
    assert_history_holds()
    page = world.client(Role.OFFICER).get(f"/orgs/{world.branch.code}/").content.decode()
    received = page.split('<span class="muted">Tiếp nhận:</span>')[1].split("</div>")[0]
    assert "Chi bộ Tổ Văn" in received  # its timeline says what it received


def test_a_member_placed_on_the_day_changes_branch_in_place(world):
    newcomer = MemberFactory(branch=world.other_branch, admitted_on=DAY, official_on=None)
    absorb_organization(world.users[Role.ADMIN], world.other_branch, world.branch, decision())
    assert list(Placement.objects.filter(member=newcomer).values_list("branch", "start")) == [
        (world.branch.pk, DAY)
    ]


def test_amalgamation_ends_each_old_one_into_the_new_one(world):
    admin = world.users[Role.ADMIN]
    second = OrganizationFactory(
        code="P.U1.02", name="Chi bộ Khu phố 2", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    MemberFactory(branch=second)
    new = create_organization(
        admin,
        code="P.U1.03",
        name="Chi bộ Khu phố Hợp Nhất",
        kind=OrgKind.BASE_BRANCH,
        parent=world.upper,
        founded_on=DAY,
        decision=decision(),
    )
    first = OrganizationFactory(
        code="P.U1.04", name="Chi bộ Khu phố 4", kind=OrgKind.BASE_BRANCH, parent=world.upper
    )
    amalgamate_organizations(admin, [first, second], new, decision())

    for old in (first, second):
        event = OrgEvent.unscoped.get(org=old)
        assert (event.kind, event.receiving) == (OrgEventKind.AMALGAMATE, new)
        assert fresh(old).ended_on == DAY
        assert dated.successor_of(old) == new
    assert Member.unscoped.filter(branch=new).count() == 1
    assert AuditEntry.unscoped.filter(action="org.amalgamate").count() == 2
    assert_history_holds()
    with pytest.raises(DomainError, match="phải được thành lập đúng ngày hợp nhất"):
        amalgamate_organizations(admin, [world.branch, world.other_branch], world.base, decision())


@pytest.mark.parametrize(
    ("org", "receiving", "message"),
    [
        ("base", "base", "vào chính nó hoặc tổ chức trực thuộc nó"),
        ("base", "branch", "vào chính nó hoặc tổ chức trực thuộc nó"),
        ("other_branch", "base", "đảng viên chỉ sinh hoạt ở chi bộ, mà Đảng bộ Trường"),
        ("base", "outside_branch", "không tiếp nhận được tổ chức trực thuộc Chi bộ Tổ Toán"),
        ("base", "outside_upper", "Chi bộ trực thuộc không thể trực thuộc Đảng bộ cấp trên"),
    ],
)
def test_what_the_receiving_organisation_cannot_take_is_refused(world, org, receiving, message):
    org = getattr(world, org)
    with pytest.raises(DomainError, match=message):
        absorb_organization(world.users[Role.ADMIN], org, getattr(world, receiving), decision())
    assert fresh(org).ended_on is None
    assert not OrgEvent.unscoped.exists()
    assert_history_holds()


def test_a_receiving_organisation_ended_or_not_yet_founded_is_refused(world):
    admin = world.users[Role.ADMIN]
    later = OrganizationFactory(
        code="P.U1.01.09",
        name="Chi bộ Mới",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2025, 9, 1),
    )
    with pytest.raises(DomainError, match="được thành lập ngày 01/09/2025, sau ngày sáp nhập"):
        absorb_organization(admin, world.other_branch, later, decision())
    dissolve_organization(admin, later, decision(datetime.date(2025, 10, 1)))
    with pytest.raises(DomainError, match="Chi bộ Mới đã kết thúc hoạt động từ 01/10/2025"):
        absorb_organization(admin, world.other_branch, later, decision(datetime.date(2025, 11, 1)))


def test_the_date_is_not_before_a_later_change_nor_in_the_future(world):
    admin = world.users[Role.ADMIN]
    rename_organization(admin, world.branch, "Chi bộ Tổ Toán – Tin", decision())
    with pytest.raises(DomainError, match="không được trước ngày 01/07/2025"):
        absorb_organization(admin, world.other_branch, world.branch, decision(BEFORE))
    with pytest.raises(DomainError, match="không thể ở tương lai"):
        absorb_organization(admin, world.other_branch, world.branch, decision(datetime.date.max))
    with pytest.raises(DomainError, match="Hãy ghi lý do sáp nhập"):
        absorb_organization(admin, world.other_branch, world.branch, Decision(DAY, "1-QĐ"))
    assert fresh(world.other_branch).ended_on is None


def test_a_member_who_came_after_the_day_stops_the_absorption(world):
    officer = world.users[Role.OFFICER]
    Placement.objects.filter(member=world.other_member).update(start=datetime.date(2025, 8, 1))
    with pytest.raises(DomainError, match="Trần Thị Bình sinh hoạt ở Chi bộ Tổ Văn từ ngày 01/08"):
        absorb_organization(officer, world.other_branch, world.branch, decision())


def test_the_officer_must_manage_both_organisations(world):
    officer = world.users[Role.OFFICER]
    with pytest.raises(ScopeDenied):
        absorb_organization(officer, world.other_branch, world.outside_branch, decision())
    with pytest.raises(ScopeDenied):
        absorb_organization(
            world.users[Role.SECRETARY], world.other_branch, world.branch, decision()
        )
    assert fresh(world.other_branch).ended_on is None


def test_candidates_follow_a_moved_branch_but_stop_the_absorption_of_their_own(world):
    """A candidate is in the pool of a branch: carried with it when it moves, but the branch
    absorbed has to pass its candidates on first (the vote is the branch's own)."""
    admin = world.users[Role.ADMIN]
    pooled = Candidate.unscoped.create(
        organization=world.branch,
        org_path=world.branch.path,
        full_name="Phạm Văn Quần",
        gender=Gender.MALE,
        birth_date=datetime.date(2000, 1, 1),
        selected_on=datetime.date(2024, 1, 1),
        stage=Stage.POOL,
    )
    with pytest.raises(DomainError, match="còn 1 quần chúng trong nguồn kết nạp"):
        absorb_organization(admin, world.branch, world.other_branch, decision())
    assert fresh(world.branch).ended_on is None
    assert Member.unscoped.get(pk=world.member.pk).branch == world.branch  # rolled back

    absorb_organization(admin, world.base, world.outside_base, decision())
    pooled.refresh_from_db()
    assert (pooled.organization, pooled.org_path) == (world.branch, fresh(world.branch).path)
