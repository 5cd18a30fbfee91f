"""A member's commitment and self-assessment open in two tabs (or devices): the first save wins,
the second is refused with the change named, and nothing is overwritten."""

from dangvien.assessments import services
from dangvien.assessments.models import Commitment, Grade
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from tests.assessments.workflow import assessment_of, open_round, this_year

MY = "/assessments/my/"


def opened(client, form_name: str) -> str:
    """The version a tab's form carries when the page is opened."""
    return client.get(MY).context[form_name]["version"].value()


def history(action: str) -> list[dict]:
    entries = AuditEntry.unscoped.filter(action=action).order_by("id")
    return [entry.changes for entry in entries]


def test_the_second_tab_cannot_overwrite_the_commitment(world):
    tab1, tab2 = world.client(Role.MEMBER), world.client(Role.MEMBER)
    first, second = opened(tab1, "commitment_form"), opened(tab2, "commitment_form")
    data = {"action": "commit", "pledges": ""}
    assert tab1.post(MY, {**data, "level": Grade.EXCELLENT, "version": first}).status_code == 302

    response = tab2.post(MY, {**data, "level": Grade.GOOD, "version": second})
    page = response.content.decode()
    assert response.status_code == 400  # refused
    assert f"Đăng ký, cam kết năm {this_year()} đã được" in page
    assert "sau khi bạn mở trang" in page and "— → Xuất sắc" in page
    assert Commitment.unscoped.get(member=world.member).level == Grade.EXCELLENT
    assert history("assessment.commit") == [{f"commitment_{this_year()}": [None, "Xuất sắc"]}]

    # The refused form carries the version now shown: saving again applies it knowingly.
    again = dict(response.context["commitment_form"].data.items())
    assert tab2.post(MY, again).status_code == 302
    assert Commitment.unscoped.get(member=world.member).level == Grade.GOOD


def test_a_paper_commitment_recorded_by_the_secretary_makes_the_open_page_stale(world):
    tab = world.client(Role.MEMBER)
    version = opened(tab, "commitment_form")
    secretary = world.users[Role.SECRETARY]
    services.register_commitment(secretary, world.member, this_year(), Grade.GOOD, "Bản giấy.")
    response = tab.post(
        MY, {"action": "commit", "level": Grade.COMPLETED, "pledges": "", "version": version}
    )
    page = response.content.decode()
    assert secretary.full_name in page and "— → Tốt" in page
    commitment = Commitment.unscoped.get(member=world.member)
    assert (commitment.level, commitment.pledges) == (Grade.GOOD, "Bản giấy.")


def test_the_second_tab_cannot_overwrite_the_self_assessment(world):
    open_round(world)
    tab1, tab2 = world.client(Role.MEMBER), world.client(Role.MEMBER)
    first, second = opened(tab1, "self_form"), opened(tab2, "self_form")
    data = {"action": "self"}
    post = {**data, "self_grade": Grade.GOOD, "self_assessment": "Bản thứ nhất.", "version": first}
    assert tab1.post(MY, post).status_code == 302

    post = {**data, "self_grade": Grade.EXCELLENT, "self_assessment": "Bản hai.", "version": second}
    response = tab2.post(MY, post)
    page = response.content.decode()
    assert f"Bản tự kiểm điểm năm {this_year()} đã được" in page and "— → Tốt" in page
    assert "Bản hai." in page  # what the second tab typed is kept
    assessment = assessment_of(world.member)
    assert (assessment.self_grade, assessment.self_assessment) == (Grade.GOOD, "Bản thứ nhất.")
    assert history("assessment.self") == [{f"self_grade_{this_year()}": [None, "Tốt"]}]


def test_a_form_without_the_version_is_refused(world):
    response = world.client(Role.MEMBER).post(MY, {"action": "commit", "level": Grade.GOOD})
    assert "Trang bạn dùng đã cũ" in response.content.decode()
    assert not Commitment.unscoped.exists()
