"""Party age has one source, the member's timeline: a member who left and was re-admitted has
the same days outside the Party on the profile, in the badge milestones (the planning list,
which selects in SQL on the copy `party_age_gap_days`) and in `report awards`; annulling the
re-admission, or a leaving imported without its event, keeps the copy equal to the timeline."""

import datetime
import json

import pytest

from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members import services
from dangvien.members.models import EventKind, Member, MemberEvent, Readmission, Status
from dangvien.members.party_age import party_age
from dangvien.members.readmission import readmit_member
from tests.factories import MemberFactory
from tests.reports.commands import run_report

ADMITTED, LEFT, BACK = (
    datetime.date(1990, 1, 10),
    datetime.date(2000, 1, 1),
    datetime.date(2003, 7, 1),
)
GAP = (BACK - LEFT).days
THIRTY = datetime.date(2020, 1, 10) + datetime.timedelta(days=GAP)  # 11/07/2023


def _admitted_1990(world, code: str, name: str, **values) -> Member:
    values = {"admitted_on": ADMITTED, "official_on": datetime.date(1991, 1, 10), **values}
    return MemberFactory(code=code, full_name=name, branch=world.branch, **values)


@pytest.fixture
def veteran(world) -> Member:
    member = _admitted_1990(world, "DV-TUOI", "Đinh Văn Tuổi")
    return services.end_membership(
        world.users[Role.OFFICER], member, Status.REMOVED, Decision(LEFT, "5-QĐ", reason="Bỏ")
    )


def _readmit(client, member):
    data = {
        "decided_on": f"{BACK:%d/%m/%Y}",
        "decision_number": "9-QĐ/ĐU",
        "consent_number": "3-CV/TU",
        "consent_on": "01/06/2003",
    }
    assert client.post(f"/members/{member.pk}/readmit/", data).status_code == 302


def _awards(world, year: int) -> set:
    status, out, err = run_report("awards", "--org", world.upper.code, "--year", str(year))
    assert (status, err) == (0, ""), err
    rows = json.loads(out)["huy_hieu_danh_sach"]
    return {(row["member"], row["moc"], row["ngay_du"]) for row in rows}


def test_the_profile_the_badges_and_the_report_agree_after_a_readmission(world, veteran):
    client = world.client(Role.OFFICER)
    _readmit(client, veteran)
    member = Member.unscoped.get(pk=veteran.pk)
    age = party_age(member)
    assert age.gap_days == GAP and member.party_age_gap_days == GAP  # the copy is the timeline
    assert age.milestone_on(30) == THIRTY

    profile = client.get(f"/members/{member.pk}/").content.decode()
    assert f"<dt>Tuổi đảng</dt><dd>{age.label}</dd>" in profile
    assert f"đủ tuổi đảng ngày {age.milestone_on(40):%d/%m/%Y}" in profile
    planning = client.get(
        f"/badges/org/{world.branch.code}/?ceremony=2026-05-19&overdue=1"
    ).content.decode()
    row = planning.split("Đinh Văn Tuổi")[1].split("</tr>")[0]
    assert f"{THIRTY:%d/%m/%Y}" in row
    assert ("DV-TUOI", 30, THIRTY.isoformat()) in _awards(world, THIRTY.year)
    assert not any(code == "DV-TUOI" for code, *_ in _awards(world, 2020))  # not without the gap


def test_annulling_the_readmission_takes_its_gap_out_of_the_copy(world, veteran):
    client = world.client(Role.OFFICER)
    _readmit(client, veteran)
    readmission = Readmission.objects.get(member=veteran)
    url = f"/members/{veteran.pk}/readmit/{readmission.pk}/annul/"
    assert client.post(url, {"reason": "Nhầm người."}).status_code == 302
    member = Member.unscoped.get(pk=veteran.pk)
    assert member.party_age_gap_days == party_age(member).gap_days == 0
    assert party_age(member).stopped_on == LEFT


def test_a_leaving_imported_without_its_event_gets_it_when_readmitted(world):
    member = _admitted_1990(world, "DV-NHAP", "Vũ Văn Nhập", status=Status.REMOVED, left_on=LEFT)
    assert not MemberEvent.objects.filter(member=member, kind=EventKind.REMOVED).exists()
    readmit_member(
        world.users[Role.OFFICER],
        member,
        decided_on=BACK,
        decision_number="9-QĐ/ĐU",
        consent_number="3-CV/TU",
        consent_on=datetime.date(2003, 6, 1),
    )
    member = Member.unscoped.get(pk=member.pk)
    leaving = MemberEvent.objects.get(member=member, kind=EventKind.REMOVED)
    assert leaving.on == LEFT and "Ghi bổ sung khi kết nạp lại" in leaving.reason
    assert party_age(member).gap_days == member.party_age_gap_days == GAP
    assert Readmission.objects.get(member=member).gap_days == GAP


def test_a_later_gap_does_not_move_a_milestone_of_a_past_year(world):
    """A member who reached 30 years in 2020, left in 2022 and came back in 2025: the awards
    report of 2020 still lists them on the day they reached it (the gap came later)."""
    member = _admitted_1990(world, "DV-SAU", "Đinh Văn Sau", admitted_on=datetime.date(1990, 5, 5))
    member = services.end_membership(
        world.users[Role.OFFICER],
        member,
        Status.REMOVED,
        Decision(datetime.date(2022, 2, 1), "7-QĐ", reason="Bỏ"),
    )
    data = {
        "decided_on": "01/03/2025",
        "decision_number": "11-QĐ/ĐU",
        "consent_number": "4-CV/TU",
        "consent_on": "01/02/2025",
    }
    assert (
        world.client(Role.OFFICER).post(f"/members/{member.pk}/readmit/", data).status_code == 302
    )
    assert Member.unscoped.get(pk=member.pk).party_age_gap_days > 0
    assert ("DV-SAU", 30, "2020-05-05") in _awards(world, 2020)
