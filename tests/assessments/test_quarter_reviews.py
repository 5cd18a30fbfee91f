"""Quarterly reviews (QĐ 366-QĐ/TW Điều 1; issue 16): from the assessment rule set that holds
them, the branch records each member's review of a quarter once it has begun, its score bounded
as the year's (Điều 11); the year's screen and the member's own page show them."""

from django.urls import reverse

from dangvien.assessments.models import Grade, QuarterReview
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.assessments.workflow import open_round, this_year


def _url(branch, year, quarter) -> str:
    return reverse("assessments:quarter", args=[branch.code, year, quarter])


def _post(rows: dict) -> dict:
    """member → (grade, score, comment)."""
    data = {"row": [str(member.pk) for member in rows]}
    for member, (grade, score, comment) in rows.items():
        data |= {f"g-{member.pk}": grade, f"s-{member.pk}": score, f"c-{member.pk}": comment}
    return data


def test_the_branch_records_a_quarter_and_the_year_shows_it(world):
    client = world.client(Role.SECRETARY)
    url = _url(world.branch, this_year(), 1)
    page = client.get(url).content.decode()
    assert world.member.full_name in page and 'name="g-' in page
    response = client.post(url, _post({world.member: (Grade.GOOD, "80", "Hoàn thành tốt")}))
    assert response.status_code == 302
    review = QuarterReview.unscoped.get(member=world.member, year=this_year(), quarter=1)
    assert (review.grade, review.score, review.branch) == (Grade.GOOD, 80, world.branch)
    assert AuditEntry.unscoped.filter(action="quarter.record", target_id=world.member.pk).exists()
    # The same again changes nothing; a second quarter is its own record.
    client.post(url, _post({world.member: (Grade.GOOD, "80", "Hoàn thành tốt")}))
    assert AuditEntry.unscoped.filter(action="quarter.record").count() == 1
    open_round(world)
    year_page = client.get(reverse("assessments:branch", args=[world.branch.code, this_year()]))
    assert "Q1 Tốt" in year_page.content.decode()
    own = world.client(Role.MEMBER).get("/assessments/my/").content.decode()
    assert 'id="quarter-reviews"' in own and "Quý 1/" in own and "Hoàn thành tốt" in own


def test_a_score_below_the_grade_is_refused_and_the_rule_set_decides_when(world):
    client = world.client(Role.SECRETARY)
    url = _url(world.branch, this_year(), 1)
    refused = client.post(url, _post({world.member: (Grade.GOOD, "65", "")}))
    row = refused.content.decode().split(f'id="row-{world.member.pk}"')[1].split("</tr>")[0]
    assert "65 điểm: chỉ được xếp loại từ «Hoàn thành» trở xuống" in row
    assert not QuarterReview.unscoped.exists()
    # Before QĐ 366 (a 2024 quarter), and a quarter not begun: no such screen.
    assert client.get(_url(world.branch, 2024, 2)).status_code == 404
    assert client.get(_url(world.branch, this_year() + 1, 1)).status_code == 404
    # Another branch's members are out of the secretary's reach.
    assert client.get(_url(world.outside_branch, this_year(), 1)).status_code == 404


def test_a_quarter_opened_by_two_people_refuses_the_second_save(world):
    from tests.assessments.test_grading_edit_conflict import screen, signed_in

    url = _url(world.branch, this_year(), 1)
    first, second = signed_in(world, Role.SECRETARY), signed_in(world, Role.OFFICER)
    first_screen, second_screen = screen(first, url), screen(second, url)
    key = f"g-{world.member.pk}"
    assert first.post(url, {**first_screen, key: Grade.GOOD}).status_code == 302
    response = second.post(url, {**second_screen, key: Grade.COMPLETED})
    page = response.content.decode()
    assert response.status_code == 400
    assert "sau khi bạn mở trang" in page
    assert f"Xếp loại quý 1 năm {this_year()}: — → Tốt" in page  # the change named, in words
    review = QuarterReview.unscoped.get(member=world.member, year=this_year(), quarter=1)
    assert review.grade == Grade.GOOD
