"""The member's own summary page (/me/summary/): the record's dates and the sections the apps
contribute (site.my_sections), the training one with the member's classes and certificates."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.site import my_sections
from dangvien.site.my_sections import Section
from tests.training.worlds import certify


def test_the_member_sees_their_classes_and_certificates(world):
    certify(world, world.member, number="88/CN-TTCT")
    page = world.client(Role.MEMBER).get("/me/summary/").content.decode()
    assert 'id="my-party-age"' in page and world.member.admitted_on.strftime("%d/%m/%Y") in page
    assert 'id="my-training"' in page and "Đào tạo, bồi dưỡng" in page
    assert "88/CN-TTCT" in page and "Lớp bồi dưỡng đảng viên mới khóa I" in page
    assert "Nguyễn Văn An" in page
    assert AuditEntry.unscoped.filter(action="member.view", target_id=world.member.pk).exists()


def test_a_user_without_a_member_record_has_no_summary(world):
    assert world.client(Role.OFFICER).get("/me/summary/").status_code == 404
    assert world.client(None).get("/me/summary/").status_code == 302  # to the login page


def test_an_app_plugs_a_section_in_with_one_line(world):
    def dues(member, today):
        return Section("dues", "Đảng phí", "training/_my_section.html", {"trainings": []})

    my_sections.register(dues, order=30)
    try:
        page = world.client(Role.MEMBER).get("/me/summary/").content.decode()
        assert page.index('id="my-dues"') < page.index('id="my-training"')
    finally:
        my_sections._SOURCES[:] = [s for s in my_sections._SOURCES if s[2] is not dues]
