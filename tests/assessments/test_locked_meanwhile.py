"""A round locked while a page was open: the save is refused at the top of the page (400), nothing
is saved, and what the user typed stays on the page (issue 12, review gaps 1 and 2)."""

from html import unescape

from django.utils import timezone

from dangvien.assessments import services
from dangvien.assessments.models import Commitment, Grade
from dangvien.core.roles import Role
from tests.assessments.workflow import (
    assessment_of,
    base_url,
    branch_url,
    decisions_post,
    open_round,
    page_fields,
    proposals_post,
    propose,
    this_year,
)

MY = "/assessments/my/"
BANNER = 'id="refused-banner"'
TEXT = "Ưu điểm: đi sinh hoạt đầy đủ.\nKhuyết điểm: còn chậm cập nhật văn bản mới."


def _lock(world, round_):
    services.close_round(world.users[Role.OFFICER], round_, reason="Hết thời hạn báo cáo")


def _banner(response) -> str:
    page = response.content.decode()
    assert BANNER in page, "no «Chưa lưu» banner"
    return unescape(page.split(BANNER)[1].split("</div>")[0])


def _locked_on() -> str:
    return f"Đợt đánh giá năm {this_year()} đã khóa ngày {timezone.localdate():%d/%m/%Y}"


def _select(page: str, name: str) -> str:
    return page.split(f'name="{name}"')[1].split("</select>")[0]


def _select_tag(page: str, name: str) -> str:
    return next(c.split(">")[0] for c in page.split("<select")[1:] if f'name="{name}"' in c)


def _textarea(page: str, name: str) -> str:
    return unescape(page.split(f'name="{name}"')[1].split(">", 1)[1].split("</textarea>")[0])


def test_the_member_s_self_assessment_stays_on_the_page(world):
    round_ = open_round(world)
    client = world.client(Role.MEMBER)
    form = client.get(MY).context["self_form"]
    _lock(world, round_)
    sent = {
        **page_fields(form),
        "action": "self",
        "self_grade": Grade.GOOD,
        "self_assessment": TEXT,
    }

    response = client.post(MY, sent)
    assert response.status_code == 400
    banner = _banner(response)
    assert "Chưa lưu." in banner
    assert f"{_locked_on()}: bản tự kiểm điểm không nộp, không sửa được nữa" in banner
    page = response.content.decode()
    assert 'id="self-kept"' in page
    assert _textarea(page, "self_assessment").strip() == TEXT
    assert '<option value="tot" selected>' in _select(page, "self_grade")
    assert assessment_of(world.member) is None

    # The round reopened, the same page sends it again and it is saved.
    services.reopen_round(world.users[Role.OFFICER], round_, reason="Khóa nhầm")
    assert client.post(MY, sent).status_code == 302
    assert assessment_of(world.member).self_assessment == TEXT


def test_a_result_decided_meanwhile_keeps_the_text_too(world):
    open_round(world)
    client = world.client(Role.MEMBER)
    form = client.get(MY).context["self_form"]
    propose(world, {world.member: {"grade": Grade.GOOD}})
    services.decide_grades(
        world.users[Role.OFFICER], world.base, this_year(), {world.member.pk: {"grade": "tot"}}
    )
    sent = {
        **page_fields(form),
        "action": "self",
        "self_grade": Grade.GOOD,
        "self_assessment": TEXT,
    }
    response = client.post(MY, sent)
    assert response.status_code == 400
    assert "Đã có kết quả xếp loại; không sửa được bản tự kiểm điểm." in _banner(response)
    assert _textarea(response.content.decode(), "self_assessment").strip() == TEXT
    assert assessment_of(world.member).self_assessment == ""


def test_the_member_s_commitment_stays_on_the_page(world):
    round_ = open_round(world)
    client = world.client(Role.MEMBER)
    form = client.get(MY).context["commitment_form"]
    _lock(world, round_)
    pledges = "Không đi họp muộn; hoàn thành lớp bồi dưỡng lý luận."
    response = client.post(
        MY, {**page_fields(form), "action": "commit", "level": Grade.GOOD, "pledges": pledges}
    )
    assert response.status_code == 400
    assert f"Đợt đánh giá năm {this_year()} đã khóa" in _banner(response)
    page = response.content.decode()
    assert "Nội dung bạn vừa gửi chưa được lưu" in page
    assert _textarea(page, "pledges").strip() == pledges
    assert not Commitment.unscoped.filter(member=world.member).exists()


def test_the_branch_s_proposals_stay_on_the_screen(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    client = world.client(Role.SECRETARY)
    assert "Lưu tất cả" in client.get(branch_url(world.branch)).content.decode()
    _lock(world, round_)

    post = proposals_post({world.member: {"grade": Grade.EXCELLENT, "comment": "Gương mẫu"}})
    response = client.post(branch_url(world.branch), post)
    assert response.status_code == 400
    banner = _banner(response)
    assert f"{_locked_on()}: chi bộ không đề xuất được nữa" in banner
    page = response.content.decode()
    assert page.index(BANNER) < page.index('id="grading"')
    grade = _select(page, f"g-{world.member.pk}")
    assert '<option value="xuat_sac" selected>' in grade  # what was typed, not what is stored
    assert " disabled" in _select_tag(page, f"g-{world.member.pk}")  # shown, not to be changed
    assert 'value="Gương mẫu"' in page
    assert 'id="kept-notice"' in page and "Lưu tất cả" not in page
    assert "grading.js" not in page
    assert assessment_of(world.member).proposed_grade == Grade.GOOD


def test_the_committee_s_decisions_stay_on_the_screen(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    client = world.client(Role.OFFICER)
    assert "Lưu kết quả xếp loại" in client.get(base_url(world.base)).content.decode()
    _lock(world, round_)

    response = client.post(base_url(world.base), decisions_post({world.member: "hoan_thanh"}))
    assert response.status_code == 400
    assert f"{_locked_on()}: chỉ sửa bằng đính chính có lý do." in _banner(response)
    page = response.content.decode()
    assert '<option value="hoan_thanh" selected>' in _select(page, f"f-{world.member.pk}")
    assert " disabled" in _select_tag(page, f"f-{world.member.pk}")
    assert 'id="kept-notice"' in page and "Lưu kết quả xếp loại" not in page
    assert assessment_of(world.member).grade == ""


def test_a_screen_without_any_round_says_so(world):
    response = world.client(Role.SECRETARY).post(
        branch_url(world.branch), proposals_post({world.member: {"grade": Grade.GOOD}})
    )
    assert response.status_code == 400
    assert f"Chưa mở đợt đánh giá năm {this_year()} cho tổ chức này." in _banner(response)
    assert "chưa được mở" in response.content.decode()
    assert assessment_of(world.member) is None


def test_an_unchanged_screen_of_a_locked_round_saves_nothing_and_says_so(world):
    round_ = open_round(world)
    propose(world, {world.member: {"grade": Grade.GOOD}})
    _lock(world, round_)
    client = world.client(Role.SECRETARY)
    response = client.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": "tot"}})
    )
    assert response.status_code == 302
    assert "Không có thay đổi nào để lưu." in client.get(response.url).content.decode()
