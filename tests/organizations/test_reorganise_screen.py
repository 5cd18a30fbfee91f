"""The reorganisation screen (issue 13, item 4): an officer chooses moves, an absorption, an end
and a rename for the organisations under one, previews the counts before and after (nothing
written), then confirms once: all applied in one transaction through the importer of
`org-events`, or nothing."""

import json

import pytest
from django.urls import reverse

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind
from tests.factories import MemberFactory, OrganizationFactory, user_with_role
from tests.reports.commands import run_report

pytestmark = pytest.mark.django_db

DECISION = {"effective_on": "01/07/2025", "decision_number": "125-QĐ/TU", "decision_body": "P"}


@pytest.fixture
def ward(world):
    """Under the ward committee P.U1 (besides its base committee): two base branches with
    members, an empty one; a second committee P.U2 to move to. A provincial officer manages
    both."""
    orgs = {
        "a": OrganizationFactory(
            code="P.U1.02", name="Chi bộ Khu phố Một", kind=OrgKind.BASE_BRANCH, parent=world.upper
        ),
        "b": OrganizationFactory(
            code="P.U1.03", name="Chi bộ Khu phố Hai", kind=OrgKind.BASE_BRANCH, parent=world.upper
        ),
        "c": OrganizationFactory(
            code="P.U1.04", name="Chi bộ Khu phố Ba", kind=OrgKind.BASE_BRANCH, parent=world.upper
        ),
        "new_upper": OrganizationFactory(
            code="P.U2", name="Đảng bộ phường Bình An", kind=OrgKind.UPPER, parent=world.province
        ),
    }
    MemberFactory(branch=orgs["a"])
    MemberFactory.create_batch(2, branch=orgs["b"])
    orgs["officer"] = user_with_role(Role.OFFICER, world.province, "canbotinh")
    return orgs


def client_of(user, client):
    client.force_login(user)
    return client


def batch(orgs: list[Organization], choices: dict, **decision) -> dict:
    """The POST of the screen: every row shown, the chosen ones with (action, target, name)."""
    data = {**DECISION, **decision, "rows": ",".join(str(org.pk) for org in orgs)}
    for org in orgs:
        action, target, name = choices.get(org.code, ("", "", ""))
        data |= {f"action-{org.pk}": action, f"target-{org.pk}": target, f"name-{org.pk}": name}
    return data


def tree_state() -> list:
    return list(
        Organization.unscoped.order_by("pk").values_list("code", "name", "parent_id", "ended_on")
    )


def the_batch(world, ward) -> dict:
    rows = [world.base, ward["a"], ward["b"], ward["c"]]
    return batch(
        rows,
        {
            "P.U1.01": ("move", "P.U2", ""),
            "P.U1.02": ("move", "P.U2", "Chi bộ Khu phố Một – Bình An"),
            "P.U1.03": ("absorb", "P.U1.04", ""),
        },
    )


def structure_2016(code: str) -> dict:
    status, out, err = run_report("structure", "--org", code, "--year", "2016")
    assert status == 0, err
    return json.loads(out)


def test_the_screen_lists_the_organisations_below_and_one_level_more(world, ward, client):
    client = client_of(ward["officer"], client)
    url = reverse("organizations:reorganise", args=[world.upper.code])
    page = client.get(url).content.decode()
    assert "Chi bộ Khu phố Hai" in page and "Chi bộ Tổ Toán" not in page
    assert f'href="{url}?expand=P.U1.01"' in page
    assert "Chi bộ Tổ Toán" in client.get(url, {"expand": "P.U1.01"}).content.decode()
    filtered = client.get(url, {"q": "khu pho hai"}).content.decode()
    assert "Chi bộ Khu phố Hai" in filtered and "Chi bộ Khu phố Ba" not in filtered
    detail = client.get(reverse("organizations:detail", args=[world.upper.code]))
    assert f'href="{url}"' in detail.content.decode()
    # The menu's entry opens the screen of the organisation the officer manages.
    start = client_of(world.users[Role.OFFICER], client).get(
        reverse("organizations:reorganise-start")
    )
    assert start["Location"] == url
    menu_link = f'href="{reverse("organizations:reorganise-start")}"'
    assert menu_link in client.get(reverse("home")).content.decode()


def test_preview_shows_counts_before_and_after_and_writes_nothing(world, ward, client):
    client = client_of(ward["officer"], client)
    url = reverse("organizations:reorganise", args=[world.upper.code])
    before = (tree_state(), OrgEvent.unscoped.count(), AuditEntry.unscoped.count())

    response = client.post(url, {**the_batch(world, ward), "preview": "1"})

    assert response.status_code == 200
    assert (tree_state(), OrgEvent.unscoped.count(), AuditEntry.unscoped.count()) == before
    preview = response.context["preview"]
    assert preview.report.ok
    total = preview.total  # the ward committee: 5 members in 4 base organisations, then 2 in 1
    assert (total.before["members"], total.before["base"], total.before["branches"]) == (5, 4, 5)
    assert (total.after["members"], total.after["base"], total.after["branches"]) == (2, 1, 1)
    units = {unit.code: unit for unit in preview.units}
    assert (units["P.U2"].before["members"], units["P.U2"].after["members"]) == (0, 3)
    assert (units["P.U2"].before["base"], units["P.U2"].after["base"]) == (0, 2)
    assert (units["P.U1.04"].before["members"], units["P.U1.04"].after["members"]) == (0, 2)
    assert units["P.U1.03"].after["ended_on"] is not None
    assert units["P.U1.02"].after["parent"] == "Đảng bộ phường Bình An"
    assert units["P.U1.02"].after["name"] == "Chi bộ Khu phố Một – Bình An"
    assert preview.members_moved == 5
    page = response.content.decode()
    assert 'id="confirm-button"' in page and "Chuyển: 2 tổ chức" in page


def test_confirm_applies_moves_an_absorption_and_an_end_at_once(world, ward, client):
    client = client_of(ward["officer"], client)
    report_2016 = structure_2016("P.U1")
    url = reverse("organizations:reorganise", args=[world.upper.code])
    data = batch(
        [world.base, ward["a"], ward["b"], ward["c"]],
        {
            "P.U1.01": ("move", "P.U2", ""),
            "P.U1.02": ("move", "P.U2", "Chi bộ Khu phố Một – Bình An"),
            "P.U1.03": ("absorb", "P.U1.02", ""),  # into the one moved on the same day
            "P.U1.04": ("end", "", ""),
        },
    )
    preview = client.post(url, {**data, "preview": "1"})
    assert preview.context["confirmable"], preview.context["choices"]
    fingerprint = preview.context["form"]["fingerprint"].value()

    response = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"})

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:detail", args=[world.upper.code])
    fresh = {org.code: org for org in Organization.unscoped.filter(code__startswith="P.U")}
    assert fresh["P.U1.01"].parent.code == fresh["P.U1.02"].parent.code == "P.U2"
    assert fresh["P.U1.02"].name == "Chi bộ Khu phố Một – Bình An"
    assert fresh["P.U1.03"].ended_on and fresh["P.U1.04"].ended_on
    events = OrgEvent.unscoped.filter(decision_number="125-QĐ/TU")
    assert sorted(events.values_list("org__code", "kind")) == [
        ("P.U1.01", OrgEventKind.MOVE),
        ("P.U1.02", OrgEventKind.MOVE),
        ("P.U1.02", OrgEventKind.RENAME),
        ("P.U1.03", OrgEventKind.ABSORB),
        ("P.U1.04", OrgEventKind.END),
    ]
    audited = AuditEntry.unscoped.filter(actor=ward["officer"], action__startswith="org.")
    assert audited.exists()
    assert structure_2016("P.U1") == report_2016  # the past stays as it was

    # The same batch posted again changes nothing.
    events_now = OrgEvent.unscoped.count()
    again = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"}, follow=True)
    assert "đã được ghi trước đó" in again.content.decode()
    assert OrgEvent.unscoped.count() == events_now


def test_a_refused_row_makes_the_whole_batch_apply_nothing(world, ward, client):
    client = client_of(ward["officer"], client)
    url = reverse("organizations:reorganise", args=[world.upper.code])
    data = the_batch(world, ward)
    data[f"action-{ward['a'].pk}"] = "end"  # it still has a member: refused by the service
    data[f"target-{ward['a'].pk}"] = data[f"name-{ward['a'].pk}"] = ""
    before = (tree_state(), OrgEvent.unscoped.count())

    preview = client.post(url, {**data, "preview": "1"})
    assert not preview.context["confirmable"]
    assert 'id="confirm-button"' not in preview.content.decode()
    row = next(c for c in preview.context["choices"] if c.org.code == "P.U1.02")
    assert row.problems and row.problems[0].startswith("Giải thể")
    # Forced through anyway with the fingerprint the page carried: nothing at all is written.
    fingerprint = preview.context["form"]["fingerprint"].value()
    response = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"})
    assert response.status_code == 400
    assert (tree_state(), OrgEvent.unscoped.count()) == before


def test_a_target_outside_the_scope_is_refused(world, client):
    client = client_of(world.users[Role.OFFICER], client)
    url = reverse("organizations:reorganise", args=[world.base.code])
    data = batch(
        [world.branch, world.other_branch],
        {"P.U1.01.02": ("absorb", world.outside_branch.code, "")},
    )
    before = (tree_state(), OrgEvent.unscoped.count())
    response = client.post(url, {**data, "preview": "1"})
    row = next(c for c in response.context["choices"] if c.org == world.other_branch)
    assert any("trong phạm vi quản lý" in problem for problem in row.problems)
    # An organisation outside named as a row, or the screen of one outside: not found.
    outside = batch([world.outside_branch], {world.outside_branch.code: ("end", "", "")})
    assert client.post(url, {**outside, "preview": "1"}).status_code == 404
    outside_url = reverse("organizations:reorganise", args=[world.outside_base.code])
    assert client.get(outside_url).status_code == 404
    assert (tree_state(), OrgEvent.unscoped.count()) == before


def test_a_stale_preview_is_not_applied(world, ward, client):
    client = client_of(ward["officer"], client)
    url = reverse("organizations:reorganise", args=[world.upper.code])
    data = the_batch(world, ward)
    preview = client.post(url, {**data, "preview": "1"})
    fingerprint = preview.context["form"]["fingerprint"].value()
    MemberFactory(branch=ward["c"])  # the tree's counts changed since the preview
    before = (tree_state(), OrgEvent.unscoped.count())

    response = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"})

    assert response.status_code == 409
    assert "Hãy bấm «Xem trước» lại" in response.content.decode()
    assert (tree_state(), OrgEvent.unscoped.count()) == before
    # A choice changed after the preview is stale too.
    data[f"name-{ward['c'].pk}"] = "Tên khác"
    preview = client.post(url, {**data, "preview": "1"})
    fingerprint = preview.context["form"]["fingerprint"].value()
    data[f"name-{ward['c'].pk}"] = "Tên khác nữa"
    response = client.post(url, {**data, "fingerprint": fingerprint, "confirm": "1"})
    assert response.status_code == 409
    assert (tree_state(), OrgEvent.unscoped.count()) == before
