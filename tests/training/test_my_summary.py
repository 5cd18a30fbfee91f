"""The member's own summary page (/me/summary/): the record's dates and the sections the apps
contribute (site.my_sections), the training one with the member's classes and certificates."""

import datetime

from django.utils import timezone

from dangvien.awards.services import AwardData, record_award
from dangvien.badges.services import record_awarded
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.core.rules import add_months
from dangvien.dues.models import DuesPayment
from dangvien.dues.services import Basis, declare_basis
from dangvien.members.models import Member
from dangvien.members.party_age import party_age
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


def test_party_age_badges_dues_and_awards_each_have_their_card(world):
    """Admitted 30 years and a month ago, awarded the 30-year badge 20 days ago, salary declared
    from January with only January paid, and a provincial commendation: each app's card shows it
    (issue 17 point 7)."""
    today = timezone.localdate()
    admitted = add_months(today, -30 * 12 - 1)
    Member.unscoped.filter(pk=world.member.pk).update(admitted_on=admitted)
    member = Member.unscoped.get(pk=world.member.pk)
    record_awarded(
        None,
        member,
        milestone=30,
        decision_number="90-QĐ/TU",
        decision_on=today - datetime.timedelta(days=30),
        badge_number="301777",
        certificate_number="GCN-301777",
        awarded_on=today - datetime.timedelta(days=20),
    )
    january = today.replace(month=1, day=1)
    declare_basis(None, member, Basis(january, "luong_bhxh", base_amount=10_000_000))
    DuesPayment.unscoped.create(
        member=member,
        branch=world.branch,
        branch_path=world.branch.path,
        month=january,
        amount=100_000,
        channel="tien_mat",
        paid_on=january,
    )
    record_award(
        None,
        member,
        AwardData(
            form="bang_khen",
            level="tinh",
            title="Đảng viên hoàn thành xuất sắc nhiệm vụ tiêu biểu",
            year_from=today.year - 1,
            year_to=today.year - 1,
            decision_number="12-QĐ/TU",
            decided_on=today - datetime.timedelta(days=10),
            deciding_body="Ban Thường vụ Tỉnh ủy",
        ),
    )

    page = world.client(Role.MEMBER).get("/me/summary/").content.decode()
    years = party_age(member, today).parts[0]
    assert f"{years} năm" in card(page, "party-age") and years == 30
    badges = card(page, "badges")
    assert "Huy hiệu 30 năm tuổi Đảng" in badges and "301777" in badges
    forty = add_months(admitted, 40 * 12)
    assert f"Huy hiệu 40 năm tuổi Đảng, đủ tuổi đảng ngày {forty:%d/%m/%Y}" in badges
    dues = card(page, "dues")
    assert "100.000" in dues.split('id="my-dues-paid"')[1].split("</dd>")[0]
    unpaid = max(0, today.month - 2)  # the months over, January paid
    assert f'id="my-dues-unpaid">{unpaid}' in dues
    assert "12-QĐ/TU" in card(page, "awards")
    order = [page.index(f'id="my-{key}"') for key in ("party-age", "badges", "dues", "awards")]
    assert order == sorted(order) and order[-1] < page.index('id="my-training"')


def card(page: str, key: str) -> str:
    return page.split(f'id="my-{key}"')[1].split("</section>")[0]
