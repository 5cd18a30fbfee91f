"""Rule values live in rule sets with effective dates; only the administrator changes them."""

import datetime

from dangvien.core.models import AuditEntry, RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import RuleBook, default_values
from dangvien.members.models import Member

NEW_SET = {
    "name": "QĐ thử nghiệm",
    "effective_from": "01/01/2026",
    "note": "thử",
    **default_values(),
    "probation_months": 18,
}


def test_default_rule_sets_are_loaded(db):
    names = list(RuleSet.objects.order_by("effective_from").values_list("name", flat=True))
    assert names[0].startswith("QĐ 29-QĐ/TW") and names[-1].startswith("QĐ 294-QĐ/TW")


def test_admin_adds_a_rule_set_that_applies_from_its_date(world):
    client = world.client(Role.ADMIN)
    response = client.post("/rules/new/", NEW_SET)
    assert response.status_code == 302
    book = RuleBook.load()
    assert book.value("probation_months", datetime.date(2025, 12, 31)) == 12
    assert book.value("probation_months", datetime.date(2026, 1, 1)) == 18
    assert AuditEntry.unscoped.filter(action="rules.save").exists()
    page = client.get("/rules/").content.decode()
    assert "QĐ thử nghiệm" in page and "18" in page


def test_a_record_is_checked_under_the_rules_of_its_date(world):
    world.client(Role.ADMIN).post("/rules/new/", NEW_SET)
    client = world.client(Role.SECRETARY)
    base = {
        "code": "R1",
        "branch_code": world.branch.code,
        "full_name": "Lý Văn Luật",
        "gender": "Nam",
        "birth_date": "01/01/1990",
    }
    # Admitted in 2025: 12 months of probation apply.
    client.post("/members/new/", {**base, "admitted_on": "02/01/2025", "official_on": "02/01/2026"})
    assert Member.unscoped.filter(code="R1").exists()


def test_others_cannot_see_or_change_rules(world):
    for role in (Role.OFFICER, Role.SECRETARY, Role.INSPECTOR, Role.MEMBER):
        client = world.client(role)
        assert client.get("/rules/").status_code == 403
        assert client.post("/rules/new/", NEW_SET).status_code == 403
    assert not RuleSet.objects.filter(name="QĐ thử nghiệm").exists()


def test_the_rules_page_shows_values_as_an_officer_reads_them(world):
    """Ages were shown as 216/720 months and a choice as 1/0 (issue 12)."""
    page = world.client(Role.ADMIN).get("/rules/").content.decode()
    table = page.split('id="rule-sets"')[1].split("</table>")[0]
    assert "18 tuổi (216 tháng)" in table and "60 tuổi (720 tháng)" in table
    assert "làm tròn xuống" in table and "hoàn thành (3)" in table and "20%" in table
