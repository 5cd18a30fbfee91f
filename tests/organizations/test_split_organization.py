"""Splitting an organisation (chia tách, issue 13 item 2): new organisations established under
its parent on the decision's day, each taking some of its organisations (with their subtrees)
and, for a branch, some of its members (a restructuring, not a transfer); the original ends
naming them, or continues with what was not assigned; the past stays as it was. Through the
service and through the page «Chia tách» (preview rolled back, then confirmation)."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError, ScopeDenied
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, Member, MemberEvent, Placement
from dangvien.organizations import dated
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind
from dangvien.organizations.services import (
    SplitPart,
    rename_organization,
    split_organization,
)
from tests.factories import MemberFactory, user_with_role
from tests.organizations.history_checks import assert_history_holds, fresh, states_of
from tests.reports.commands import run_report
from tests.transfers.steps import issue, members_on

ONE_DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def decision(day: datetime.date | None = None, reason: str = "Sắp xếp chi bộ") -> Decision:
    return Decision(day or today(), "21-QĐ/ĐU", "Đảng ủy nhà trường", reason)


def report(code: str, year: int) -> dict:
    status, out, err = run_report("structure", "--org", code, "--year", str(year))
    assert status == 0, err
    return json.loads(out)


@pytest.fixture
def crowded(world):
    """`world.branch` (Chi bộ Tổ Toán, a sub-branch of the base committee) with four members."""
    return [world.member, *MemberFactory.create_batch(3, branch=world.branch)]


def branch_parts(members) -> list[SplitPart]:
    return [
        SplitPart("P.U1.01.03", "Chi bộ Tổ Toán 1", OrgKind.SUB_BRANCH, members=members[:2]),
        SplitPart("P.U1.01.04", "Chi bộ Tổ Toán 2", OrgKind.SUB_BRANCH, members=members[2:]),
    ]


def nothing_written(org) -> None:
    assert fresh(org).ended_on is None
    assert not OrgEvent.unscoped.filter(kind=OrgEventKind.SPLIT).exists()
    assert not Organization.unscoped.filter(code__in=["P.U1.01.03", "P.U1.01.04", "P.U1.05"])


def test_a_branch_split_places_its_members_in_the_new_branches_from_that_day(world, crowded):
    officer, day = world.users[Role.OFFICER], today()
    first, second = split_organization(
        officer, world.branch, branch_parts(crowded), decision(), end_original=True
    )

    for new, members in ((first, crowded[:2]), (second, crowded[2:])):
        assert (new.parent, new.founded_on, new.kind) == (world.base, day, OrgKind.SUB_BRANCH)
        for member in members:
            rows = Placement.objects.filter(member=member).values_list("branch", "start", "end")
            assert list(rows) == [
                (world.branch.pk, member.admitted_on, day - ONE_DAY),
                (new.pk, day, None),
            ]
            assert Member.unscoped.get(pk=member.pk).branch_path == new.path
            entry = AuditEntry.unscoped.get(action="member.restructure", target_id=member.pk)
            assert entry.changes == {"branch": ["Chi bộ Tổ Toán", new.name]}
        assert members_on(new, day) == 2
    assert members_on(world.branch, day - ONE_DAY) == 4
    assert not MemberEvent.objects.filter(kind=EventKind.TRANSFERRED).exists()
    original = fresh(world.branch)
    assert original.ended_on == day
    events = OrgEvent.unscoped.filter(org=original).order_by("pk")
    assert [(e.kind, e.receiving) for e in events] == [
        (OrgEventKind.SPLIT, first),
        (OrgEventKind.SPLIT, second),
        (OrgEventKind.END, None),
    ]
    # Names only: a reader of the original's history may not see its parent's other children.
    assert events.last().note.startswith("Chia tách thành Chi bộ Tổ Toán 1, Chi bộ Tổ Toán 2.")
    assert "P.U1.01.03" not in events.last().note
    split_entry = AuditEntry.unscoped.get(action="org.split")
    assert (split_entry.actor, split_entry.action_label) == (officer, "Chia tách tổ chức")
    assert AuditEntry.unscoped.filter(action="org.create").count() == 2
    assert AuditEntry.unscoped.filter(action="org.dissolve", target_id=original.pk).exists()
    assert_history_holds()
    # Its page names the parts; each part's page names where it came from.
    page = world.client(Role.OFFICER).get(f"/orgs/{original.code}/").content.decode()
    assert "Chia tách thành Chi bộ Tổ Toán 1, Chi bộ Tổ Toán 2" in page
    assert page.count("Tổ chức tiếp nhận:") == 2
    part_page = world.client(Role.OFFICER).get(f"/orgs/{first.code}/").content.decode()
    assert "Chia tách" in part_page and "Chi bộ Tổ Toán</a>" in part_page


def test_a_committee_split_takes_its_branches_with_their_subtrees(world):
    admin, day = world.users[Role.ADMIN], today()
    parts = [
        SplitPart("P.U1.05", "Đảng bộ Trường A", OrgKind.BASE_COMMITTEE, children=[world.branch]),
        SplitPart(
            "P.U1.06", "Đảng bộ Trường B", OrgKind.BASE_COMMITTEE, children=[world.other_branch]
        ),
    ]
    first, second = split_organization(admin, world.base, parts, decision(), end_original=True)

    branch = fresh(world.branch)
    assert (branch.parent, branch.path) == (first, f"{first.path}{branch.pk}/")
    assert fresh(world.other_branch).parent == second
    assert states_of(branch) == [
        (None, day, "Chi bộ Tổ Toán", "P.U1.01"),
        (day, None, "Chi bộ Tổ Toán", "P.U1.05"),
    ]
    event = OrgEvent.unscoped.get(org=world.base, receiving=first)
    assert dated.state_on(branch, day).event == event  # carried by the split
    assert Member.unscoped.get(pk=world.member.pk).branch_path == branch.path
    assert Placement.objects.filter(member=world.member).count() == 1  # the branch moved
    assert fresh(world.base).ended_on == day
    assert_history_holds()


def test_a_continuing_original_keeps_what_was_not_assigned(world, crowded):
    officer = world.users[Role.OFFICER]
    part = SplitPart("P.U1.01.03", "Chi bộ Tổ Toán 1", OrgKind.SUB_BRANCH, members=crowded[:1])
    (new,) = split_organization(officer, world.branch, [part], decision(), end_original=False)

    assert fresh(world.branch).ended_on is None
    assert Member.unscoped.filter(branch=world.branch).count() == 3
    assert Member.unscoped.filter(branch=new).count() == 1
    assert list(OrgEvent.unscoped.filter(org=world.branch).values_list("kind", flat=True)) == [
        OrgEventKind.SPLIT
    ]
    base_part = SplitPart(
        "P.U1.05", "Đảng bộ Trường A", OrgKind.BASE_COMMITTEE, children=[world.outside_base]
    )
    refusal = "Có tổ chức trực thuộc được chọn không còn ở Đảng bộ Trường Tiểu học Hòa Bình:"
    with pytest.raises(DomainError, match=refusal) as refused:
        split_organization(officer, world.base, [base_part], decision(), end_original=False)
    assert "NGOAIPHAMVI" not in refused.value.message  # one outside goes unnamed
    base_part = SplitPart(
        "P.U1.05", "Đảng bộ Trường A", OrgKind.BASE_COMMITTEE, children=[world.other_branch]
    )
    split_organization(officer, world.base, [base_part], decision(), end_original=False)
    assert {o.code for o in fresh(world.base).children.all()} == {"P.U1.01.01", "P.U1.01.03"}
    assert fresh(world.other_branch).parent.code == "P.U1.05"
    assert_history_holds()


def test_the_past_reports_of_the_parent_stay_as_they_were(world, crowded):
    last_year = today().year - 1
    before = {code: report(code, last_year) for code in ("P.U1", "P.U1.01", "P.U1.01.01")}
    before_2024 = report("P.U1.01", 2024)
    split_organization(
        world.users[Role.OFFICER],
        world.branch,
        branch_parts(crowded),
        decision(),
        end_original=True,
    )
    assert {code: report(code, last_year) for code in before} == before
    assert report("P.U1.01", 2024) == before_2024
    status, _out, err = run_report("structure", "--org", "P.U1.01.01")
    assert status == 1 and "đã kết thúc hoạt động" in err


def test_the_ways_back_the_page_names_bring_everything_back(world, crowded):
    """«Khôi phục tổ chức» on the original's page, then «Sắp xếp lại tổ chức trực thuộc» on
    its parent's absorbing each new one into it: what the confirmation says of a mistake."""
    officer, day = world.client(Role.OFFICER), today()
    created = split_organization(
        world.users[Role.OFFICER],
        world.branch,
        branch_parts(crowded),
        decision(),
        end_original=True,
    )
    restore = f"/orgs/{world.branch.code}/restore/"
    form = officer.get(restore).context["form"]
    restored = officer.post(
        restore, {"reason": "Chia tách nhầm", "version": form["version"].value()}
    )
    assert restored.status_code == 302 and fresh(world.branch).ended_on is None
    url = reverse("organizations:reorganise", args=[world.base.code])
    rows = {"rows": ",".join(str(new.pk) for new in created)}
    for new in created:
        rows |= {f"action-{new.pk}": "absorb", f"target-{new.pk}": world.branch.code}
    batch = {"effective_on": f"{day:%d/%m/%Y}", "decision_number": "22-QĐ/ĐU", **rows}
    preview = officer.post(url, {**batch, "preview": "1"})
    assert preview.context["confirmable"], preview.context["choices"]
    fingerprint = preview.context["form"]["fingerprint"].value()
    assert (
        officer.post(url, {**batch, "fingerprint": fingerprint, "confirm": "1"}).status_code == 302
    )
    assert Member.unscoped.filter(branch=world.branch).count() == 4
    assert members_on(world.branch, day) == 4
    assert all(fresh(new).ended_on == day for new in created)
    assert OrgEvent.unscoped.filter(org=world.branch, kind=OrgEventKind.SPLIT).count() == 2
    assert_history_holds()


# The refusals: each leaves nothing written.


def test_the_officer_manages_the_original_and_its_parent(world, crowded):
    parts = branch_parts(crowded)
    branch_officer = user_with_role(Role.OFFICER, world.branch, "canbochibo")
    for actor in (branch_officer, world.users[Role.SECRETARY], world.users["outside_officer"]):
        with pytest.raises(ScopeDenied):
            split_organization(actor, world.branch, parts, decision(), end_original=True)
    nothing_written(world.branch)


def test_the_day_is_given_not_before_the_latest_change_nor_in_the_future(world, crowded):
    officer, parts = world.users[Role.OFFICER], branch_parts(crowded)
    rename_organization(officer, world.branch, "Chi bộ Toán – Tin", decision())
    cases = [
        (decision(today() - ONE_DAY), "Ngày chia tách không được trước ngày"),
        (decision(today() + ONE_DAY), "Ngày chia tách không thể ở tương lai"),
        (Decision(None, "1-QĐ", "", "Lý do"), "Cần ghi ngày chia tách"),
        (Decision(today(), "1-QĐ"), "Hãy ghi lý do chia tách"),
    ]
    for given, message in cases:
        with pytest.raises(DomainError, match=message):
            split_organization(officer, world.branch, parts, given, end_original=True)
    nothing_written(world.branch)


def test_a_member_placed_after_the_day_stops_the_split(world, crowded):
    Placement.objects.filter(member=crowded[3]).update(start=today())
    late = f"Tổ Toán từ ngày {today():%d/%m/%Y}, sau ngày chia tách"
    with pytest.raises(DomainError, match=re.escape(late)):
        split_organization(
            world.users[Role.OFFICER],
            world.branch,
            branch_parts(crowded),
            decision(today() - ONE_DAY),
            end_original=True,
        )
    nothing_written(world.branch)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": OrgKind.BASE_BRANCH}, "Chi bộ cơ sở không thể trực thuộc Đảng bộ cơ sở"),
        ({"kind": OrgKind.PARTIAL_COMMITTEE}, "đảng viên chỉ sinh hoạt ở chi bộ"),
        ({"code": "P.U1.01.02"}, "Mã tổ chức P.U1.01.02 đã được dùng"),
        ({"code": "P.U1.01.03"}, "Mã P.U1.01.03 được ghi cho hai tổ chức mới"),
        ({"name": ""}, "Mã và tên của mỗi tổ chức mới là bắt buộc"),
        ({"members": []}, "còn 2 đảng viên chưa chọn tổ chức mới"),
        ({"members": "first"}, "được chọn cho hai tổ chức mới"),
        ({"members": "other"}, "Có đảng viên được chọn không còn ở Chi bộ Tổ Toán"),
    ],
)
def test_what_a_part_cannot_be_or_take_is_refused(world, crowded, change, message):
    first, second = branch_parts(crowded)
    if change.get("members") == "first":
        change = {"members": [*crowded[2:], crowded[0]]}
    if change.get("members") == "other":
        change = {"members": [*crowded[2:], world.other_member]}
    fields = {**second.__dict__, **change}
    with pytest.raises(DomainError, match=message):
        split_organization(
            world.users[Role.OFFICER],
            world.branch,
            [first, SplitPart(**fields)],
            decision(),
            end_original=True,
        )
    nothing_written(world.branch)


def test_what_a_committee_part_cannot_take_and_how_many_parts(world):
    admin = world.users[Role.ADMIN]
    branch_kind = SplitPart(
        "P.U1.05", "Chi bộ A", OrgKind.BASE_BRANCH, children=[world.branch, world.other_branch]
    )
    committee = SplitPart("P.U1.06", "Đảng bộ B", OrgKind.BASE_COMMITTEE)
    other = SplitPart("P.U1.07", "Đảng bộ C", OrgKind.BASE_COMMITTEE)
    cases = [
        ([branch_kind, committee], "Chi bộ A không tiếp nhận được tổ chức trực thuộc Chi bộ"),
        ([committee, other], "còn 2 tổ chức trực thuộc chưa chọn tổ chức mới: Chi bộ Tổ Toán"),
    ]
    for parts, message in cases:
        with pytest.raises(DomainError, match=message):
            split_organization(admin, world.base, parts, decision(), end_original=True)
    with pytest.raises(DomainError, match="cần ít nhất hai tổ chức mới"):
        split_organization(admin, world.base, [committee], decision(), end_original=True)
    with pytest.raises(DomainError, match="Cần ít nhất một tổ chức mới"):
        split_organization(admin, world.base, [], decision(), end_original=False)
    many = [SplitPart(f"P.U1.{n}", f"Đảng bộ {n}", OrgKind.BASE_COMMITTEE) for n in range(20, 31)]
    with pytest.raises(DomainError, match="tối đa 10 tổ chức mới"):
        split_organization(admin, world.base, many, decision(), end_original=False)
    unnumbered = Decision(today(), "", "Đảng ủy nhà trường", "Sắp xếp")
    with pytest.raises(DomainError, match="Cần ghi số quyết định chia tách"):
        split_organization(admin, world.base, [committee], unnumbered, end_original=False)
    nothing_written(world.base)


def test_an_open_transfer_letter_stops_the_split_as_it_stops_an_absorption(world, crowded):
    response = issue(
        world.client(Role.OFFICER),
        crowded[1],
        to_code=world.other_branch.code,
        trigger_on=today() - ONE_DAY * 10,
        letter_issued_on=today() - ONE_DAY * 10,
    )
    assert response.status_code == 302
    waiting = "Chi bộ Tổ Toán còn 1 giấy giới thiệu sinh hoạt đảng chưa hoàn tất"
    for end in (True, False):
        with pytest.raises(DomainError, match=waiting):
            split_organization(
                world.users[Role.OFFICER],
                world.branch,
                branch_parts(crowded),
                decision(),
                end_original=end,
            )
    nothing_written(world.branch)


# The page «Chia tách».


def split_url(org) -> str:
    return reverse("organizations:split", args=[org.code])


def posted(parts, *, members=(), children=(), end=True, **changes) -> dict:
    """The POST of the page: `parts` (code, name, kind), the part number of each member and
    organisation, the decision."""
    data = {
        "parts": str(len(parts)),
        "effective_on": f"{today():%d/%m/%Y}",
        "decision_number": "21-QĐ/ĐU",
        "decision_body": "P.U1.01",
        "reason": "Sắp xếp chi bộ",
    }
    if end:
        data["end_original"] = "on"
    for number, (code, name, kind) in enumerate(parts, 1):
        data |= {f"part-{number}-code": code, f"part-{number}-name": name}
        data[f"part-{number}-kind"] = kind
    data |= {f"member-{member.pk}": str(number) for member, number in members}
    data |= {f"child-{org.pk}": str(number) for org, number in children}
    return data | changes


TWO = [
    ("P.U1.01.03", "Chi bộ Tổ Toán 1", OrgKind.SUB_BRANCH),
    ("P.U1.01.04", "Chi bộ Tổ Toán 2", OrgKind.SUB_BRANCH),
]


def written() -> tuple:
    return (
        list(Organization.unscoped.order_by("pk").values_list("code", "parent_id", "ended_on")),
        OrgEvent.unscoped.count(),
        AuditEntry.unscoped.count(),
        list(Placement.objects.order_by("pk").values_list("branch", "start", "end")),
    )


def test_the_page_offers_the_parts_the_members_and_the_organisations(world, crowded):
    client = world.client(Role.OFFICER)
    detail = client.get(f"/orgs/{world.branch.code}/").content.decode()
    assert f'href="{split_url(world.branch)}"' in detail
    page = client.get(split_url(world.branch), {"parts": "3"}).content.decode()
    assert 'name="part-3-code"' in page and 'name="part-4-code"' not in page
    assert f'name="member-{crowded[3].pk}"' in page and "Tổ chức mới số 3" in page
    assert re.search(r'<input type="checkbox" name="end_original"[^>]* checked>', page)
    committee = client.get(split_url(world.base)).content.decode()
    assert f'name="child-{world.other_branch.pk}"' in committee
    assert '<option value="dang_bo_co_so" selected>' in committee  # its own kind first
    # Numbers that are not ones give the default page, not an error.
    for typed in ("²", "9" * 5000, "-1"):
        response = client.get(split_url(world.branch), {"parts": typed})
        assert response.status_code == 200
        assert 'name="part-2-code"' in response.content.decode()
    posted_badly = client.post(
        split_url(world.branch), {"parts": "²", f"member-{crowded[0].pk}": "²", "preview": "1"}
    )
    assert posted_badly.status_code == 400  # the form again, its fields marked
    assert "Trường này là bắt buộc." in posted_badly.content.decode()


def test_preview_writes_nothing_then_confirm_splits(world, crowded):
    client, url = world.client(Role.OFFICER), split_url(world.branch)
    data = posted(TWO, members=[(m, 1 if i < 2 else 2) for i, m in enumerate(crowded)])
    before = written()

    response = client.post(url, {**data, "preview": "1"})

    assert response.status_code == 200, response.context["form"].errors
    assert written() == before
    preview = response.context["preview"]
    total = preview.total  # the base committee: 5 members, 2 branches, then 3 branches
    assert (total.before["members"], total.after["members"]) == (5, 5)
    assert (total.before["branches"], total.after["branches"]) == (2, 3)
    units = {unit.code: unit for unit in preview.units}
    original = units["P.U1.01.01"]
    assert (original.before["members"], original.after["members"]) == (4, 0)
    assert original.after["ended_on"] == today()
    assert (units["P.U1.01.03"].before["members"], units["P.U1.01.03"].after["members"]) == (0, 2)
    page = response.content.decode()
    assert 'id="confirm-button"' in page
    assert "4 đảng viên sinh hoạt ở chi bộ mới được chọn từ ngày" in page
    assert "«Khôi phục tổ chức»" in page and "«Sắp xếp lại tổ chức trực thuộc»" in page
    assert not fresh(world.branch).ended_on  # the object the page held is back as it was

    fingerprint = response.context["form"]["fingerprint"].value()
    done = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"}, follow=True)

    assert done.redirect_chain[-1][0] == reverse("organizations:detail", args=["P.U1.01.01"])
    assert "Đã chia tách Chi bộ Tổ Toán thành Chi bộ Tổ Toán 1, Chi bộ Tổ Toán 2" in (
        done.content.decode()
    )
    assert fresh(world.branch).ended_on == today()
    assert Member.unscoped.filter(branch__code="P.U1.01.04").count() == 2
    assert AuditEntry.unscoped.get(action="org.split").actor == world.users[Role.OFFICER]
    assert_history_holds()


def test_a_stale_or_missing_preview_is_not_applied(world, crowded):
    client, url = world.client(Role.OFFICER), split_url(world.branch)
    data = posted(TWO, members=[(m, 1 if i < 2 else 2) for i, m in enumerate(crowded)])
    preview = client.post(url, {**data, "preview": "1"})
    fingerprint = preview.context["form"]["fingerprint"].value()
    newcomer = MemberFactory(branch=world.branch)  # the branch changed since the preview
    before = written()
    response = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"})
    assert response.status_code == 409
    assert "Hãy bấm «Xem trước» lại" in response.content.decode()
    assert written() == before
    # A choice changed after the preview, or no preview at all: refused too.
    data[f"member-{newcomer.pk}"] = "1"
    preview = client.post(url, {**data, "preview": "1"})
    fingerprint = preview.context["form"]["fingerprint"].value()
    changed = {**data, f"member-{newcomer.pk}": "2", "fingerprint": fingerprint, "confirm": "1"}
    assert client.post(url, changed).status_code == 409
    assert client.post(url, {**data, "confirm": "1"}).status_code == 409
    assert written() == before


def test_a_refusal_is_shown_and_nothing_is_offered_to_confirm(world, crowded):
    client, url = world.client(Role.OFFICER), split_url(world.branch)
    data = posted(TWO, members=[(crowded[0], 1), (crowded[1], 2)])
    before = written()
    response = client.post(url, {**data, "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa chia tách: Chi bộ Tổ Toán kết thúc sau khi chia tách nhưng còn 2 đảng viên" in page
    assert 'id="confirm-button"' not in page
    # Kept, the original takes them back; without a date the form says so.
    kept = client.post(url, {**posted(TWO[:1], end=False), "preview": "1"})
    assert kept.status_code == 200 and kept.context["preview"]
    undated = client.post(url, {**data, "effective_on": "", "preview": "1"})
    assert undated.status_code == 400 and "Ngày chia tách" in undated.content.decode()
    assert written() == before


def test_the_page_stays_within_the_officers_scope(world, crowded):
    officer, inspector = world.client(Role.OFFICER), world.client(Role.INSPECTOR)
    branch_officer = world.client(None)
    branch_officer.force_login(user_with_role(Role.OFFICER, world.branch, "canbochibo"))
    before = written()
    outside = split_url(world.outside_branch)
    assert officer.get(outside).status_code == 404
    assert officer.post(outside, {**posted(TWO), "preview": "1"}).status_code == 404
    assert inspector.get(split_url(world.branch)).status_code == 403
    refused = branch_officer.get(split_url(world.branch))
    assert refused.status_code == 403  # the parts go under the base committee
    data = posted(TWO, members=[(m, 1 if i < 2 else 2) for i, m in enumerate(crowded)])
    assert branch_officer.post(split_url(world.branch), data).status_code == 403
    assert written() == before


def test_an_organisation_split_and_ended_names_its_parts_wherever_it_is_shown(world, crowded):
    """Its page, the tree search, the API and a report refused for a day after its end say
    what it was split into (linked where the reader may open them)."""
    officer = world.users[Role.OFFICER]
    split_organization(officer, world.branch, branch_parts(crowded), decision(), end_original=True)
    client = world.client(Role.OFFICER)
    names = 'Chi bộ Tổ Toán 1</a>, <a href="/orgs/P.U1.01.04/">Chi bộ Tổ Toán 2</a>'

    page = client.get(f"/orgs/{world.branch.code}/").content.decode()
    assert 'Đã chia tách thành <a href="/orgs/P.U1.01.03/">' + names in page
    found = client.get("/orgs/", {"q": world.branch.name}).content.decode()
    assert 'đã chia tách thành <a href="/orgs/P.U1.01.03/">' + names in found

    successor = client.get(f"/api/v1/organizations/{world.branch.code}/").json()["successor"]
    assert successor == {
        "name": "Chi bộ Tổ Toán 1",
        "code": "P.U1.01.03",
        "kind": OrgEventKind.SPLIT,
        "parts": [
            {"name": "Chi bộ Tổ Toán 1", "code": "P.U1.01.03"},
            {"name": "Chi bộ Tổ Toán 2", "code": "P.U1.01.04"},
        ],
    }
    status, _out, err = run_report("structure", "--org", world.branch.code)
    assert status == 1
    assert (
        "(đã chia tách thành Chi bộ Tổ Toán 1, mã P.U1.01.03; Chi bộ Tổ Toán 2, mã P.U1.01.04)"
    ) in err
