"""Rule values live in rule sets with effective dates; only the administrator changes them."""

import datetime

import pytest

from dangvien.core.models import AuditEntry, RuleSet
from dangvien.core.roles import Role
from dangvien.core.rules import Family, RuleBook, default_values, set_in_force
from dangvien.members.models import Member

NEW_SET = {
    "name": "QĐ thử nghiệm",
    "effective_from": "01/01/2026",
    "note": "thử",
    **default_values(),
    "probation_months": 18,
}


def test_default_rule_sets_are_loaded(db):
    charter = RuleSet.objects.filter(family=Family.CHARTER).order_by("effective_from")
    names = list(charter.values_list("name", flat=True))
    assert names[0].startswith("QĐ 29-QĐ/TW") and names[-1].startswith("QĐ 294-QĐ/TW")
    assessment = RuleSet.objects.filter(family=Family.ASSESSMENT).order_by("effective_from")
    assert [name.split(",")[0] for name in assessment.values_list("name", flat=True)] == [
        "Trước QĐ 132-QĐ/TW: xếp loại theo tư cách đảng viên",
        "QĐ 132-QĐ/TW",
        "QĐ 124-QĐ/TW",
        "QĐ 366-QĐ/TW",
    ]


ONE_DAY = datetime.timedelta(days=1)
# Each default rule set at its first day and the day before (domain-rules §4.1, issue 16): the
# set in force, and the values that change there.
BOUNDARIES = [
    (Family.CHARTER, datetime.date(2021, 7, 30), "QĐ 29-QĐ/TW", "QĐ 24-QĐ/TW", {}),
    (Family.CHARTER, datetime.date(2025, 1, 20), "QĐ 24-QĐ/TW", "QĐ 232-QĐ/TW", {}),
    (Family.CHARTER, datetime.date(2025, 7, 1), "QĐ 232-QĐ/TW", "QĐ 294-QĐ/TW", {}),
    (
        Family.ASSESSMENT,
        datetime.date(2018, 3, 8),
        "Trước QĐ 132",
        "QĐ 132-QĐ/TW",
        {
            "grade_labels_before_2018": (1, 0),
            "maternity_not_graded": (1, 0),
            "illness_not_graded": (1, 0),
            "score_scale_in_use": (0, 0),
            "disciplined_max_grade_rank": (4, 4),
            "new_member_not_graded_months": (6, 6),
        },
    ),
    (
        Family.ASSESSMENT,
        datetime.date(2023, 10, 4),
        "QĐ 132-QĐ/TW",
        "QĐ 124-QĐ/TW",
        {"excellent_cap_percent_of_good": (20, 20), "score_scale_in_use": (0, 0)},
    ),
    (
        Family.ASSESSMENT,
        datetime.date(2025, 8, 30),
        "QĐ 124-QĐ/TW",
        "QĐ 366-QĐ/TW",
        {
            "score_scale_in_use": (0, 1),
            "quarterly_reviews_in_use": (0, 1),
            "score_excellent_min": (90, 90),
            "score_good_min": (70, 70),
            "score_completed_min": (50, 50),
            "excellent_exceeding_tasks_min_percent": (30, 30),
            "illness_capped_months": (3, 3),
            "illness_max_grade_rank": (3, 3),
            "maternity_not_graded": (0, 0),
        },
    ),
]


@pytest.mark.parametrize("family, first_day, before, after, values", BOUNDARIES)
def test_every_default_rule_set_at_its_boundary(db, family, first_day, before, after, values):
    assert set_in_force(family, first_day - ONE_DAY).name.startswith(before)
    assert set_in_force(family, first_day).name.startswith(after)
    book = RuleBook.load()
    for key, (old, new) in values.items():
        assert (book.value(key, first_day - ONE_DAY), book.value(key, first_day)) == (old, new), key


def test_the_assessment_of_a_year_reads_the_set_in_force_on_its_last_day(db):
    book = RuleBook.load()
    assert book.value("grade_labels_before_2018", datetime.date(2017, 12, 31)) == 1
    assert book.value("score_scale_in_use", datetime.date(2024, 12, 31)) == 0
    assert book.value("score_scale_in_use", datetime.date(2025, 12, 31)) == 1
    # Older than the first set: the first set's values.
    assert book.value("grade_labels_before_2018", datetime.date(1990, 12, 31)) == 1


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
    assert "18 tuổi" in table and "làm tròn xuống" not in table  # the Charter's table
    assessment = page.split('id="rule-sets-danh_gia"')[1].split("</table>")[0]
    assert "làm tròn xuống" in assessment and "không hoàn thành (4)" in assessment
    assert "20%" in assessment and "QĐ 366-QĐ/TW" in assessment


def test_admin_adds_an_assessment_rule_set_apart_from_the_charter(world):
    client = world.client(Role.ADMIN)
    form = client.get("/rules/new/?family=danh_gia").content.decode()
    assert "score_good_min" in form and "probation_months" not in form
    values = {**default_values(Family.ASSESSMENT), "score_good_min": 75}
    response = client.post(
        "/rules/new/?family=danh_gia",
        {"name": "HD thử", "effective_from": "01/01/2026", "note": "", **values},
    )
    assert response.status_code == 302
    added = RuleSet.objects.get(name="HD thử")
    assert added.family == Family.ASSESSMENT and "probation_months" not in added.values
    book = RuleBook.load()
    assert book.value("score_good_min", datetime.date(2025, 12, 31)) == 70
    assert book.value("score_good_min", datetime.date(2026, 12, 31)) == 75
    # The Charter's rules are untouched by a set of another family on the same day.
    assert book.value("probation_months", datetime.date(2026, 12, 31)) == 12


def test_the_rules_page_reads_as_an_officer_would(world):
    """Ceremony days as dd/mm, and no internal markers of unconfirmed values."""
    page = world.client(Role.ADMIN).get("/rules/").content.decode()
    for day in ("03/02", "19/05", "02/09", "07/11"):
        assert day in page
    assert "[U" not in page
