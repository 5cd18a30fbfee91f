"""A member writes the self-assessment on their own page, with the commitment beside it."""

from dangvien.assessments import services
from dangvien.assessments.models import Grade, MemberAssessment
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    open_round,
    propose,
    save_my_page,
    table_rows,
    this_year,
)
from tests.members.test_print_record import pdf_text

MY = "/assessments/my/"
TEXT = "Ưu điểm: hoàn thành tốt nhiệm vụ chuyên môn.\nKhuyết điểm: đôi lúc chưa đúng giờ."


def _self(client, grade=Grade.GOOD, text=TEXT):
    return save_my_page(client, {"action": "self", "self_grade": grade, "self_assessment": text})


def test_the_member_writes_the_self_assessment_beside_the_commitment(world):
    services.register_commitment(
        world.users[Role.MEMBER], world.member, this_year(), Grade.GOOD, "Không đi muộn."
    )
    open_round(world)
    client = world.client(Role.MEMBER)
    page = client.get(MY).content.decode()
    beside = page.split('class="assess-commitment"')[1].split("</aside>")[0]
    assert "Hoàn thành tốt nhiệm vụ" in beside and "Không đi muộn." in beside
    assert 'name="self_assessment"' in page

    response = _self(client)
    assert response.status_code == 302
    assessment = assessment_of(world.member)
    assert (assessment.self_grade, assessment.self_assessment) == (Grade.GOOD, TEXT)
    assert assessment.self_submitted_at is not None
    assert assessment.branch == world.branch
    assert AuditEntry.unscoped.filter(action="assessment.self").count() == 1
    assert "Bạn đã nộp lúc" in client.get(MY).content.decode()


def test_the_member_may_rewrite_it_until_the_final_grade(world):
    open_round(world)
    client = world.client(Role.MEMBER)
    _self(client)
    _self(client, Grade.EXCELLENT, "Bản sửa lại.")
    assert assessment_of(world.member).self_grade == Grade.EXCELLENT
    assert MemberAssessment.unscoped.count() == 1

    propose(world, {world.member: {"grade": Grade.GOOD}})
    services.decide_grades(
        world.users[Role.OFFICER], world.base, this_year(), {world.member.pk: {"grade": "tot"}}
    )
    page = client.get(MY).content.decode()
    assert 'name="self_assessment"' not in page
    assert "bản tự kiểm điểm không sửa được nữa" in page
    response = _self(client, Grade.GOOD, "Sửa sau khi có kết quả.")
    assert "Đã có kết quả xếp loại; không sửa được bản tự kiểm điểm." in response.content.decode()
    assert assessment_of(world.member).self_assessment == "Bản sửa lại."


def test_an_empty_self_assessment_is_refused(world):
    open_round(world)
    response = _self(world.client(Role.MEMBER), text="   ")
    assert response.status_code == 400  # refused
    assert assessment_of(world.member) is None


def test_without_an_open_round_there_is_no_form(world):
    client = world.client(Role.MEMBER)
    page = client.get(MY).content.decode()
    assert "Hiện chưa có đợt đánh giá nào đang mở cho chi bộ của bạn." in page
    _self(client)
    assert not MemberAssessment.unscoped.exists()


def test_a_round_on_another_branch_does_not_reach_the_member(world):
    open_round(world, org=world.other_branch)
    page = world.client(Role.MEMBER).get(MY).content.decode()
    assert 'name="self_assessment"' not in page


def test_past_years_are_listed_with_their_grades(world):
    year = this_year()
    for past, grade in [(year - 2, Grade.EXCELLENT), (year - 1, Grade.COMPLETED)]:
        MemberAssessment.unscoped.create(
            member=world.member,
            year=past,
            branch=world.branch,
            branch_path=world.branch.path,
            grade=grade,
            imported=True,
        )
    services.register_commitment(world.users[Role.MEMBER], world.member, year - 1, "tot", "")
    response = world.client(Role.MEMBER).get(MY)
    assert table_rows(response, "my-grades")[1:] == [
        [str(year - 1), "Tốt", "—", "—", "Hoàn thành"],
        [str(year - 2), "—", "—", "—", "Xuất sắc"],
    ]


def test_the_self_assessment_starts_from_its_form_and_prints_on_it(world):
    """HD 25 / HD 43-HD/BTCTW forms by member category (issue 16): the outline of the form the
    member most likely uses prefills the text; the chosen form and, in a year scored out of
    100 (QĐ 366), the self-score are kept and printed."""
    open_round(world)
    client = world.client(Role.MEMBER)
    page = client.get(MY).content.decode()
    assert '<option value="2C" selected>' in page  # no post held: an ordinary member's form
    assert "1. Về tư tưởng chính trị" in page and 'name="self_score"' in page
    assert client.get(f"/assessments/my/{this_year()}/print/").status_code == 404
    refused = save_my_page(
        client,
        {"action": "self", "self_grade": Grade.GOOD, "self_assessment": TEXT, "self_score": 101},
    )
    assert refused.status_code == 400 and assessment_of(world.member) is None
    post = {"action": "self", "self_grade": Grade.GOOD, "self_assessment": TEXT}
    assert save_my_page(client, {**post, "self_form": "2A", "self_score": 84}).status_code == 302
    saved = assessment_of(world.member)
    assert (saved.self_form, saved.self_score) == ("2A", 84)
    response = client.get(f"/assessments/my/{this_year()}/print/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "Mẫu 2A" in text
    assert "Tự chấm điểm: 84/100" in " ".join(text.split())
