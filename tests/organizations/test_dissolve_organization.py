"""Dissolving an organisation: a page that says what it changes and what must move out first
(each count a link to its list), the decision with a required reason, then the dissolution."""

import datetime
import re

import pytest
from django.utils import timezone

from dangvien.core.decisions import Decision
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import end_membership, transfer_member
from dangvien.organizations.models import Organization, OrgEvent, OrgEventKind, OrgKind
from dangvien.organizations.services import (
    dissolve_organization,
    move_organization,
    rename_organization,
)
from tests.factories import OrganizationFactory
from tests.organizations.history_checks import assert_history_holds, states_of

ENDED = datetime.date(2025, 6, 30)
DAY = datetime.timedelta(days=1)


def dissolve_url(org) -> str:
    return f"/orgs/{org.code}/dissolve/"


def fresh(org) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def empty_branch(world) -> Organization:
    """Chi bộ Tổ Văn once its only member (Trần Thị Bình) resigned."""
    end_membership(
        world.users[Role.OFFICER],
        world.other_member,
        Status.RESIGNED,
        Decision(datetime.date(2025, 3, 1), reason="Đơn xin ra khỏi Đảng"),
    )
    return world.other_branch


def test_the_page_names_what_must_move_out_first_with_links_to_the_lists(world):
    client = world.client(Role.OFFICER)
    org_page = client.get(f"/orgs/{world.base.code}/").content.decode()
    assert f'id="dissolve-link" href="{dissolve_url(world.base)}"' in org_page

    response = client.get(dissolve_url(world.base))
    page = response.content.decode()
    assert response.status_code == 200
    assert "chuyển sang «Đã giải thể» từ ngày giải thể ghi dưới đây" in page
    children = (
        f'<a href="/orgs/{world.base.code}/#children">2 tổ chức trực thuộc đang hoạt động</a>'
    )
    members = f'<a href="/members/?org={world.base.code}">2 đảng viên đang sinh hoạt</a>'
    assert f"<strong>Chưa giải thể được:</strong> còn {children}" in page
    assert f"<strong>Chưa giải thể được:</strong> còn {members}" in page
    assert "quần chúng trong nguồn kết nạp" not in page  # none: not said
    listed = client.get(f"/members/?org={world.base.code}").content.decode()
    assert '<p class="muted" id="result-count">2 đảng viên</p>' in listed  # the count's list
    assert 'name="reason"' in page and "Xác nhận giải thể" in page


def test_an_empty_branch_says_what_stays_and_what_ends(world, empty_branch):
    page = world.client(Role.OFFICER).get(dissolve_url(empty_branch)).content.decode()
    assert "Chưa giải thể được" not in page
    assert "không còn tổ chức trực thuộc, đảng viên đang sinh hoạt hay quần chúng" in page
    former = f'<a href="/members/?org={empty_branch.code}&amp;status=left">1 hồ sơ đảng viên'
    assert former in page and "vẫn gắn với tổ chức như trước" in page
    assert "hết hiệu lực ngay khi giải thể" in page and "«Khôi phục tổ chức»" in page


def test_without_a_reason_nothing_changes_and_the_input_is_kept(world, empty_branch):
    client = world.client(Role.OFFICER)
    data = open_form(client, dissolve_url(empty_branch))
    response = client.post(
        dissolve_url(empty_branch),
        {**data, "effective_on": "30/06/2025", "decision_number": "41-QĐ/ĐU", "reason": " "},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa giải thể:" in page
    assert 'value="30/06/2025"' in page and 'value="41-QĐ/ĐU"' in page
    assert fresh(empty_branch).ended_on is None
    assert not AuditEntry.unscoped.filter(action="org.dissolve").exists()


def test_with_a_reason_the_branch_is_dissolved_and_the_reason_kept(world, empty_branch):
    client = world.client(Role.OFFICER)
    data = open_form(client, dissolve_url(empty_branch))
    reason = "Sáp nhập vào Chi bộ Tổ Toán theo Quyết định 41-QĐ/ĐU."
    response = client.post(
        dissolve_url(empty_branch),
        {**data, "effective_on": "30/06/2025", "decision_number": "41-QĐ/ĐU", "reason": reason},
        follow=True,
    )
    page = response.content.decode()
    assert f"Đã giải thể {empty_branch.name}." in page
    assert "Đã giải thể 30/06/2025" in page and reason in page  # its page and its history
    assert f'id="restore-link" href="/orgs/{empty_branch.code}/restore/"' in page
    assert fresh(empty_branch).ended_on == datetime.date(2025, 6, 30)
    entry = AuditEntry.unscoped.get(action="org.dissolve")
    assert (entry.reason, entry.decision_number) == (reason, "41-QĐ/ĐU")
    again = client.get(dissolve_url(empty_branch), follow=True).content.decode()
    assert "đã giải thể từ 30/06/2025" in again


def test_a_refusal_of_the_service_is_said_at_the_top(world):
    client = world.client(Role.OFFICER)
    data = open_form(client, dissolve_url(world.branch))
    response = client.post(
        dissolve_url(world.branch), {**data, "effective_on": "30/06/2025", "reason": "Sáp nhập"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Chưa giải thể: Chi bộ Tổ Toán còn 1 đảng viên đang sinh hoạt" in page
    assert fresh(world.branch).ended_on is None


def test_the_service_refuses_a_dissolution_without_a_reason(world, empty_branch):
    with pytest.raises(DomainError, match="Hãy ghi lý do giải thể tổ chức"):
        dissolve_organization(
            world.users[Role.OFFICER], empty_branch, Decision(datetime.date(2025, 6, 30))
        )
    assert fresh(empty_branch).ended_on is None


def test_only_who_manages_the_organisation_may_dissolve_it(world, empty_branch):
    data = {"effective_on": "30/06/2025", "reason": "Thử"}
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        assert client.get(dissolve_url(world.branch)).status_code == 403
        assert client.post(dissolve_url(world.branch), data).status_code == 403
    assert world.client(Role.SECRETARY).get(dissolve_url(empty_branch)).status_code == 404
    outside = world.client("outside_officer")
    assert outside.post(dissolve_url(empty_branch), data).status_code == 404
    officer = world.client(Role.OFFICER)
    assert officer.post(dissolve_url(world.outside_branch), data).status_code == 404
    assert fresh(empty_branch).ended_on is None and fresh(world.outside_branch).ended_on is None


def test_the_end_is_an_event_and_closes_the_state(world, empty_branch):
    dissolve_organization(
        world.users[Role.OFFICER],
        empty_branch,
        Decision(ENDED, "41-QĐ/ĐU", world.base.code, "Sáp nhập"),
    )
    event = OrgEvent.unscoped.get(org=empty_branch)
    assert (event.kind, event.effective_on, event.deciding_org, event.note) == (
        OrgEventKind.END,
        ENDED,
        world.base,
        "Sáp nhập",
    )
    assert states_of(empty_branch) == [(None, ENDED, "Chi bộ Tổ Văn", world.base.code)]
    assert_history_holds()
    page = world.client(Role.OFFICER).get(f"/orgs/{empty_branch.code}/").content.decode()
    assert (
        "Chi bộ Tổ Văn thôi hoạt động từ ngày 30/06/2025 (giải thể, quyết định số 41-QĐ/ĐU)."
        in page
    )
    assert "Đã sáp nhập vào" not in page  # no receiving organisation recorded


def test_the_page_disbands_as_a_discipline_measure(world, empty_branch):
    client = world.client(Role.OFFICER)
    page = client.get(dissolve_url(empty_branch)).content.decode()
    assert "Giải tán (kỷ luật)" in page and 'name="kind"' in page
    data = open_form(client, dissolve_url(empty_branch))
    response = client.post(
        dissolve_url(empty_branch),
        {
            **data,
            "kind": OrgEventKind.DISBAND,
            "effective_on": "30/06/2025",
            "decision_number": "9-QĐ/UBKT",
            "reason": "Vi phạm nghiêm trọng",
        },
        follow=True,
    )
    assert f"Đã giải tán {empty_branch.name}." in response.content.decode()
    assert OrgEvent.unscoped.get(org=empty_branch).kind == OrgEventKind.DISBAND
    assert AuditEntry.unscoped.get(action="org.disband").reason == "Vi phạm nghiêm trọng"
    assert fresh(empty_branch).ended_on == ENDED
    assert_history_holds()


def test_a_date_in_the_future_is_refused(world, empty_branch):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="Ngày giải thể không thể ở tương lai"):
        dissolve_organization(
            world.users[Role.OFFICER], empty_branch, Decision(tomorrow, reason="Sáp nhập")
        )
    assert fresh(empty_branch).ended_on is None
    assert not OrgEvent.unscoped.exists()


def test_an_end_dated_before_a_rename_sent_without_a_date_is_refused(world, empty_branch):
    """The API renames without a date (today) and then dissolves with an earlier date: the
    rename's state would never have held, so the end is refused, naming the rename's date."""
    officer = world.users[Role.OFFICER]
    renamed = rename_organization(officer, empty_branch, "Chi bộ Tổ Văn – Sử")
    today = timezone.localdate()
    message = f"Ngày giải thể không được trước ngày {today:%d/%m/%Y} (lần thay đổi gần nhất)."
    with pytest.raises(DomainError, match=re.escape(message)):
        dissolve_organization(officer, renamed, Decision(ENDED, reason="Sáp nhập"))
    states = [
        (None, today, "Chi bộ Tổ Văn", world.base.code),
        (today, None, "Chi bộ Tổ Văn – Sử", world.base.code),
    ]
    assert states_of(empty_branch) == states
    assert fresh(empty_branch).ended_on is None
    dissolve_organization(officer, fresh(empty_branch), Decision(today, reason="Sáp nhập"))
    assert states_of(empty_branch) == [states[0], (today, today, *states[1][2:])]
    assert_history_holds()


def test_a_committee_does_not_end_before_a_branch_below_it(world):
    lone = OrganizationFactory(
        code="P.U1.05", name="Đảng bộ Nhỏ", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )
    branch = OrganizationFactory(
        code="P.U1.05.01", name="Chi bộ Cuối", kind=OrgKind.SUB_BRANCH, parent=lone
    )
    officer = world.users[Role.OFFICER]
    dissolve_organization(officer, branch, Decision(ENDED, reason="Hết đảng viên"))
    with pytest.raises(DomainError, match="Chi bộ Cuối giải thể ngày 30/06/2025"):
        dissolve_organization(officer, lone, Decision(datetime.date(2025, 1, 1), reason="Sáp nhập"))
    dissolve_organization(officer, fresh(lone), Decision(ENDED, reason="Sáp nhập"))
    assert_history_holds()


def test_an_end_before_the_last_member_left_is_refused(world):
    """A placement's end is inclusive: a member in the branch on the day before the end is
    fine, on the end day is not."""
    officer = world.users[Role.OFFICER]
    moved_on = datetime.date(2025, 6, 30)
    transfer_member(officer, world.member, world.other_branch, Decision(moved_on, reason="Ghép"))
    with pytest.raises(DomainError, match="sinh hoạt ở Chi bộ Tổ Toán đến ngày 29/06/2025"):
        dissolve_organization(officer, fresh(world.branch), Decision(moved_on - DAY, reason="X"))
    assert fresh(world.branch).ended_on is None
    dissolve_organization(officer, fresh(world.branch), Decision(moved_on, reason="Sáp nhập"))
    assert_history_holds()


def test_an_end_before_a_member_left_the_party_is_refused(world, empty_branch):
    """Trần Thị Bình resigned on 01/03/2025: Chi bộ Tổ Văn does not end before that."""
    officer = world.users[Role.OFFICER]
    refusal = "Đảng viên Trần Thị Bình sinh hoạt ở Chi bộ Tổ Văn đến ngày 01/03/2025: ngày giải"
    with pytest.raises(DomainError, match=refusal):
        dissolve_organization(
            officer, empty_branch, Decision(datetime.date(2025, 3, 1), reason="X")
        )
    assert fresh(empty_branch).ended_on is None
    dissolve_organization(officer, empty_branch, Decision(datetime.date(2025, 3, 2), reason="X"))
    assert_history_holds()


def test_a_committee_does_not_end_before_a_child_moved_out(world):
    officer = world.users[Role.OFFICER]
    lone = OrganizationFactory(
        code="P.U1.05", name="Đảng bộ Nhỏ", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )
    branch = OrganizationFactory(
        code="P.U1.05.01", name="Chi bộ Cuối", kind=OrgKind.SUB_BRANCH, parent=lone
    )
    moved_on = timezone.localdate() - 10 * DAY
    move_organization(officer, branch, world.base, Decision(moved_on))
    refusal = f"Tổ chức Chi bộ Cuối trực thuộc Đảng bộ Nhỏ đến trước ngày {moved_on:%d/%m/%Y}"
    with pytest.raises(DomainError, match=refusal):
        dissolve_organization(officer, fresh(lone), Decision(moved_on - DAY, reason="Sáp nhập"))
    assert fresh(lone).ended_on is None
    dissolve_organization(officer, fresh(lone), Decision(moved_on, reason="Sáp nhập"))
    assert_history_holds()


def test_a_disbanding_speaks_of_giai_tan(world, empty_branch):
    """The choice «Giải tán» is named as such in the refusals and on the organisation's page."""
    officer = world.users[Role.OFFICER]
    tomorrow = timezone.localdate() + DAY
    for decision, refusal in (
        (Decision(tomorrow, reason="Vi phạm"), "Ngày giải tán không thể ở tương lai."),
        (Decision(ENDED), "Hãy ghi lý do giải tán tổ chức."),
    ):
        with pytest.raises(DomainError, match=re.escape(refusal)):
            dissolve_organization(officer, empty_branch, decision, kind=OrgEventKind.DISBAND)
    client = world.client(Role.OFFICER)
    data = open_form(client, dissolve_url(world.branch))
    response = client.post(
        dissolve_url(world.branch),
        {**data, "kind": OrgEventKind.DISBAND, "effective_on": "30/06/2025", "reason": "Vi phạm"},
    )
    assert "Chưa giải tán: Chi bộ Tổ Toán còn 1 đảng viên" in response.content.decode()
    dissolve_organization(
        officer, empty_branch, Decision(ENDED, reason="Vi phạm"), kind=OrgEventKind.DISBAND
    )
    page = client.get(f"/orgs/{empty_branch.code}/").content.decode()
    assert "Đã giải tán 30/06/2025" in page and "Đã giải thể" not in page
