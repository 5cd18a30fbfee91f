"""Party badges (HD 01-HD/TW 2021 §18): the planning list of a ceremony, the workflow from the
proposal to the ceremony, early and posthumous awards, reissue, and recovery when a member
leaves the Party."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from dangvien.badges.models import Badge, BadgeStep, Stage, StepKind
from dangvien.badges.planning import ceremonies, next_ceremony
from dangvien.core.decisions import Decision
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members import services as member_services
from dangvien.members.models import Member, Status
from tests.factories import MemberFactory

CEREMONY = "2026-05-19"


@pytest.fixture
def veterans(world):
    """In the secretary's branch: 30 years on 10/05/2026, 40 on 10/01/2026 (the ceremony
    before), 30 on 01/10/2026 (after it), and one deceased on 01/03/2026 with 36 years."""
    make = MemberFactory
    return {
        "thirty": make(code="HH-30", full_name="Phạm Văn Ba Mươi", branch=world.branch,
                       birth_date=datetime.date(1970, 1, 1), admitted_on=datetime.date(1996, 5, 10),
                       official_on=datetime.date(1997, 5, 10)),
        "forty": make(code="HH-40", full_name="Lê Thị Bốn Mươi", branch=world.branch,
                      birth_date=datetime.date(1960, 1, 1), admitted_on=datetime.date(1986, 1, 10),
                      official_on=datetime.date(1987, 1, 10)),
        "ill": make(code="HH-OM", full_name="Đỗ Văn Ốm", branch=world.branch,
                    birth_date=datetime.date(1970, 1, 1), admitted_on=datetime.date(1996, 10, 1),
                    official_on=datetime.date(1997, 10, 1)),
        "late": make(code="HH-MAT", full_name="Ngô Văn Cố", branch=world.branch,
                     birth_date=datetime.date(1960, 1, 1), admitted_on=datetime.date(1990, 1, 1),
                     official_on=datetime.date(1991, 1, 1)),
    }  # fmt: skip


def org_url(world, **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"ceremony": CEREMONY, **query}.items())
    return f"/badges/org/{world.branch.code}/?{params}"


def propose(client, member, **data):
    form = {"milestone": 30, "ceremony": "19/05/2026", "proposed_on": "01/04/2026", **data}
    return client.post(f"/badges/propose/{member.pk}/", form)


def step(client, badge, action: str, data: dict):
    """A step through its page: the version the page hands out, then the form posted."""
    url = f"/badges/{badge.pk}/{action}/"
    page = client.get(url).content.decode()
    found = re.search(r'name="version" value="([^"]*)"', page)
    return client.post(url, {**data, "version": found[1] if found else ""})


def test_ceremonies_come_from_the_rule_set(world):
    assert ceremonies(2026) == [
        datetime.date(2026, 2, 3),
        datetime.date(2026, 5, 19),
        datetime.date(2026, 9, 2),
        datetime.date(2026, 11, 7),
    ]
    assert next_ceremony(datetime.date(2026, 11, 8)) == datetime.date(2027, 2, 3)


def test_the_planning_list_of_a_ceremony(world, veterans):
    client = world.client(Role.SECRETARY)
    page = client.get(org_url(world)).content.decode()
    assert "Phạm Văn Ba Mươi" in page and "10/05/2026" in page
    assert "Lê Thị Bốn Mươi" not in page  # reached before the previous ceremony (03/02/2026)
    assert "Đỗ Văn Ốm" not in page and "Ngô Văn Cố" not in page
    overdue = client.get(org_url(world, overdue=1)).content.decode()
    assert "Lê Thị Bốn Mươi" in overdue and "Phạm Văn Ba Mươi" in overdue
    assert "Ngô Văn Cố" in overdue  # 30 years since 2020, never given it
    assert "Đủ điều kiện, chưa được tặng (3)" in overdue
    member_services.end_membership(
        world.users[Role.OFFICER], veterans["late"], Status.DECEASED,
        Decision(datetime.date(2026, 3, 1), "", reason="Từ trần"),
    )  # fmt: skip
    posthumous = client.get(org_url(world, posthumous=1)).content.decode()
    listed = posthumous.split('id="posthumous"')[1].split("</table>")[0]
    assert "Ngô Văn Cố" in listed and "01/03/2026" in listed
    # outside the scope: nothing
    assert world.client(Role.SECRETARY).get(
        f"/badges/org/{world.outside_branch.code}/"
    ).status_code in (403, 404)


def test_the_whole_workflow_to_the_ceremony(world, veterans):
    member = veterans["thirty"]
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    response = propose(secretary, member)
    assert response.status_code == 302
    badge = Badge.unscoped.get(member=member)
    assert (badge.stage, badge.reached_on) == (Stage.PROPOSED, datetime.date(2026, 5, 10))
    assert (
        "Phạm Văn Ba Mươi"
        not in secretary.get(org_url(world))
        .content.decode()
        .split('id="planning"')[1]
        .split("</table>")[0]
    )
    # the branch cannot check its own proposal: the upper level does
    assert step(secretary, badge, "check", {"on": "05/04/2026"}).status_code == 403
    steps = [
        ("check", {"on": "05/04/2026", "note": "Khớp hồ sơ"}),
        ("decide", {"number": "215-QĐ/TU", "on": "20/04/2026", "body": "Ban Thường vụ Tỉnh ủy"}),
        ("number", {"badge_number": "30-000123", "certificate_number": "GCN-5521"}),
        ("award", {"on": "19/05/2026"}),
    ]
    for action, data in steps:
        assert step(officer, badge, action, data).status_code == 302, action
    badge.refresh_from_db()
    assert badge.stage == Stage.AWARDED and badge.awarded_on == datetime.date(2026, 5, 19)
    record = secretary.get(f"/members/{member.pk}/").content.decode()
    assert "Huy hiệu 30 năm tuổi Đảng</a> — Đã trao, trao ngày 19/05/2026, số 30-000123" in record
    assert "Mốc tiếp theo: Huy hiệu 40 năm tuổi Đảng, đủ tuổi đảng ngày 10/05/2036." in record
    page = officer.get(f"/badges/{badge.pk}/").content.decode()
    assert "Số 215-QĐ/TU ngày 20/04/2026, Ban Thường vụ Tỉnh ủy" in page

    # a lost badge reissued with a reason; the old number kept in the steps
    assert step(officer, badge, "reissue", {"badge_number": "30-000999",
                        "on": "01/06/2026", "reason": ""}).status_code == 400  # fmt: skip
    step(officer, badge, "reissue", {"badge_number": "30-000999",
                 "on": "01/06/2026", "reason": "Mất khi chuyển nhà"})  # fmt: skip
    badge.refresh_from_db()
    assert badge.badge_number == "30-000999"
    assert BadgeStep.objects.get(badge=badge, kind=StepKind.REISSUE).detail == (
        "Số cũ 30-000123 → 30-000999"
    )

    # struck off: the badge is to recover; the recovery recorded; death would not
    member_services.end_membership(
        world.users[Role.OFFICER], Member.unscoped.get(pk=member.pk), Status.REMOVED,
        Decision(datetime.date(2026, 6, 1), "9-QĐ", reason="Bỏ sinh hoạt 3 tháng"),
    )  # fmt: skip
    badge.refresh_from_db()
    assert badge.recover_due_on == datetime.date(2026, 6, 1)
    assert "Huy hiệu phải thu hồi" in officer.get(org_url(world)).content.decode()
    step(officer, badge, "recover", {"on": "05/06/2026"})
    badge.refresh_from_db()
    assert badge.recovered_on == datetime.date(2026, 6, 5)
    assert AuditEntry.unscoped.filter(action="badge.recover", target_id=badge.pk).exists()


def test_a_step_recorded_by_mistake_is_undone_with_a_reason(world, veterans):
    officer = world.client(Role.OFFICER)
    propose(officer, veterans["thirty"])
    badge = Badge.unscoped.get()
    step(officer, badge, "check", {"on": "05/04/2026"})
    step(officer, badge, "decide", {"number": "1-QĐ", "on": "06/04/2026"})
    assert step(officer, badge, "undo", {"reason": ""}).status_code == 400
    step(officer, badge, "undo", {"reason": "Ghi nhầm số quyết định"})
    badge.refresh_from_db()
    assert (badge.stage, badge.decision_number) == (Stage.CHECKED, "")
    step(officer, badge, "annul", {"reason": "Đề nghị nhầm người"})
    badge.refresh_from_db()
    assert badge.is_annulled and badge.annul_reason == "Đề nghị nhầm người"
    # due again: listed again
    assert "Phạm Văn Ba Mươi" in officer.get(org_url(world)).content.decode()


def test_early_award_needs_serious_illness_within_the_window(world, veterans):
    client = world.client(Role.SECRETARY)
    ill = veterans["ill"]  # 30 years on 01/10/2026
    refused = propose(client, ill).content.decode()
    assert "Chỉ trao sớm khi ốm nặng, từ 01/10/2025" in refused
    missing = propose(client, ill, early="on").content.decode()
    assert "cần ghi hồ sơ bệnh án" in missing
    too_early = propose(client, ill, early="on", ceremony="03/02/2025", medical_note="Ung thư")
    assert "Trao sớm do ốm nặng chỉ từ ngày 01/10/2025" in too_early.content.decode()
    propose(client, ill, early="on", medical_note="Bệnh án số 12/BV, ung thư giai đoạn cuối")
    assert Badge.unscoped.get(member=ill).early


def test_posthumous_award_for_a_deceased_member(world, veterans):
    late = member_services.end_membership(
        world.users[Role.OFFICER], veterans["late"], Status.DECEASED,
        Decision(datetime.date(2026, 3, 1), "", reason="Từ trần"),
    )  # fmt: skip
    client = world.client(Role.SECRETARY)
    assert "chỉ dành cho đảng viên đã từ trần" not in propose(client, late).content.decode()
    assert not Badge.unscoped.exists()  # not without the posthumous choice
    propose(client, late, posthumous="on")
    badge = Badge.unscoped.get(member=late)
    assert badge.posthumous and badge.reached_on == datetime.date(2020, 1, 1)


def test_the_planning_list_as_a_workbook(world, veterans):
    response = world.client(Role.SECRETARY).get(
        f"/badges/org/{world.branch.code}/list.xlsx?ceremony={CEREMONY}"
    )
    assert response.status_code == 200
    assert "huy-hieu-pu10101-20260519.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2] == ("HH-30", "Phạm Văn Ba Mươi", "Chi bộ Tổ Toán", 30, "10/05/2026")


def test_after_death_the_family_keeps_it_and_a_leaving_undone_needs_no_recovery(world, veterans):
    from dangvien.badges.services import record_awarded

    officer = world.users[Role.OFFICER]

    def given(member):
        return record_awarded(
            officer, member, milestone=30, decision_number="5-QĐ",
            decision_on=datetime.date(2020, 1, 10), badge_number=f"30-{member.code}",
            certificate_number=f"G-{member.code}", awarded_on=datetime.date(2020, 2, 3),
        )  # fmt: skip

    late, forty = given(veterans["late"]), given(veterans["forty"])
    member_services.end_membership(
        officer, veterans["late"], Status.DECEASED,
        Decision(datetime.date(2026, 3, 1), "", reason="Từ trần"),
    )  # fmt: skip
    member_services.end_membership(
        officer, veterans["forty"], Status.RESIGNED,
        Decision(datetime.date(2026, 3, 1), "1-QĐ", reason="Xin ra khỏi Đảng"),
    )  # fmt: skip
    late.refresh_from_db()
    forty.refresh_from_db()
    assert late.recover_due_on is None and forty.recover_due_on == datetime.date(2026, 3, 1)
    member_services.reinstate_member(
        officer, Member.unscoped.get(pk=veterans["forty"].pk),
        Decision(datetime.date(2026, 3, 1), reason="Ghi nhầm người"),
    )  # fmt: skip
    forty.refresh_from_db()
    assert forty.recover_due_on is None
