"""The list of probationary members with its reminders: due within 60 days, overdue review
(domain-rules §2.4, R2.7)."""

import datetime
import re

from dangvien.admissions.probation.deadlines import ended_by, last_overdue_end
from dangvien.admissions.probation.services import probation_end
from dangvien.core.roles import Role
from dangvien.core.rules import RuleBook, add_months
from dangvien.core.workdays import deadline
from dangvien.members.models import Member
from tests.admissions.probation_steps import months_ago, probationary, record_step, today


def counts(page: str) -> dict[str, int]:
    return {
        key: int(value)
        for key, value in re.findall(
            r'id="count-(\w+)"[^>]*><span class="stat-value">(\d+)</span>', page
        )
    }


def table(page: str) -> str:
    return page.split('id="probationary"')[1].split("</table>")[0]


def reminders(world) -> dict:
    """A member due in a month, one overdue, one past the deadline whose branch has voted, one
    admitted recently, and an overdue member outside the officer's scope."""
    due = probationary(world, months_ago(12, days=-30), full_name="Hà Văn Sắp Hết")
    overdue = probationary(world, months_ago(16), full_name="Đỗ Thị Quá Hạn")
    voted = probationary(
        world, months_ago(16), branch=world.other_branch, full_name="Mai Văn Đã Xét"
    )
    record_step(
        world.client(Role.OFFICER), voted, "branch_vote", today(), votes_for=4, votes_total=5
    )
    recent = probationary(world, today() - datetime.timedelta(days=90), full_name="Vũ Văn Mới")
    probationary(world, months_ago(16), branch=world.outside_branch, full_name="Ngoài Phạm Vi")
    return {"due": due, "overdue": overdue, "voted": voted, "recent": recent}


def test_reminders_count_due_and_overdue_members(world):
    people = reminders(world)
    page = world.client(Role.OFFICER).get("/admissions/probation/").content.decode()
    assert counts(page) == {"due": 1, "review": 1, "overdue": 1}
    rows = table(page)
    for person in people.values():
        assert person.full_name in rows
    assert "Ngoài Phạm Vi" not in page
    # Earliest due first, with the dates the branch works to.
    assert rows.index("Đỗ Thị Quá Hạn") < rows.index("Hà Văn Sắp Hết") < rows.index("Vũ Văn Mới")
    end = add_months(people["overdue"].admitted_on, 12)
    assert f"{end:%d/%m/%Y}" in rows and f"{deadline(end, 30):%d/%m/%Y}" in rows
    overdue_row = rows.split("Đỗ Thị Quá Hạn")[1].split("</tr>")[0]
    assert "Quá hạn xét" in overdue_row
    due_row = rows.split("Hà Văn Sắp Hết")[1].split("</tr>")[0]
    assert "Sắp hết dự bị" in due_row
    voted_row = rows.split("Mai Văn Đã Xét")[1].split("</tr>")[0]
    assert "Quá hạn xét" not in voted_row and "Chờ nghị quyết đảng ủy cơ sở" in voted_row


def test_filters_show_due_and_overdue_members(world):
    reminders(world)
    client = world.client(Role.OFFICER)
    due = table(client.get("/admissions/probation/", {"show": "due"}).content.decode())
    assert "Hà Văn Sắp Hết" in due
    assert not {"Đỗ Thị Quá Hạn", "Mai Văn Đã Xét", "Vũ Văn Mới"} & set(
        re.findall(r">([^<>]+)</a>", due)
    )
    overdue = table(client.get("/admissions/probation/", {"show": "overdue"}).content.decode())
    assert re.findall(r">([^<>]+)</a>", overdue) == ["Đỗ Thị Quá Hạn"]
    review = table(client.get("/admissions/probation/", {"show": "review"}).content.decode())
    assert re.findall(r">([^<>]+)</a>", review) == ["Mai Văn Đã Xét"]
    other = client.get("/admissions/probation/", {"org": world.other_branch.code}).content.decode()
    assert re.findall(r">([^<>]+)</a>", table(other)) == ["Mai Văn Đã Xét"]
    assert counts(other) == {"due": 0, "review": 1, "overdue": 0}


def test_secretary_sees_her_branch_and_a_member_sees_nothing(world):
    reminders(world)
    page = world.client(Role.SECRETARY).get("/admissions/probation/").content.decode()
    assert "Mai Văn Đã Xét" not in page and "Đỗ Thị Quá Hạn" in page
    assert counts(page) == {"due": 1, "review": 0, "overdue": 1}
    assert world.client(Role.MEMBER).get("/admissions/probation/").status_code == 403


def test_member_page_warns_when_the_review_is_overdue(world):
    overdue = reminders(world)["overdue"]
    page = world.client(Role.INSPECTOR).get(f"/admissions/probation/{overdue.pk}/").content.decode()
    assert 'id="overdue"' in page and "Quá hạn xét công nhận" in page
    # Read-only: no forms to record steps or decisions.
    assert '<form method="post" action="/admissions/probation/' not in page


def test_reminder_boundaries_agree_with_the_probation_and_working_day_rules(world):
    """The SQL conditions on admission dates give the same answer as the rules row by row:
    probation end = admission + 12 months (29/02 included), review deadline = 30 working days
    later (weekends and Tết skipped)."""
    rules = RuleBook.load()
    start = datetime.date(2024, 2, 20)
    members = [
        probationary(world, start + datetime.timedelta(days=offset), code=f"DB-{offset}")
        for offset in range(0, 20)
    ]
    for day in (datetime.date(2025, 2, 27), datetime.date(2025, 2, 28), datetime.date(2025, 3, 1)):
        matched = set(
            Member.unscoped.filter(pk__in=[m.pk for m in members])
            .filter(ended_by(day, rules))
            .values_list("pk", flat=True)
        )
        assert matched == {m.pk for m in members if probation_end(m) <= day}, day
    for on in (datetime.date(2025, 2, 3) + datetime.timedelta(days=n) for n in range(0, 60, 3)):
        last = last_overdue_end(on, 30)
        assert deadline(last, 30) < on <= deadline(last + datetime.timedelta(days=1), 30), on
