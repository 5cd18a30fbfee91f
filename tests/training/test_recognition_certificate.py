"""The recognition of an official member needs the new-member class certificate where the
rule set asks for it ([U] HD 12-HD/BTCTW 2022, `new_member_class_required`): the checklist shows
it from the training records; without it the decision is refused unless an authorised officer
records an exception with its reason."""

import datetime

from django.utils import timezone

from dangvien.core.models import AuditEntry, RuleException, RuleSet
from dangvien.core.roles import Role
from dangvien.members.models import Member, Status
from dangvien.training.selectors import new_member_class
from tests.admissions.probation_steps import (
    decide,
    fresh,
    months_ago,
    probationary,
    record_step,
    today,
)
from tests.training.worlds import certify


def _reviewed(world):
    member = probationary(world, months_ago(13))
    secretary, officer = world.client(Role.SECRETARY), world.client(Role.OFFICER)
    for kind in ("self_review", "introducer_opinion", "mass_org_comment"):
        record_step(secretary, member, kind, today())
    record_step(secretary, member, "branch_vote", today(), votes_for=5, votes_total=6)
    record_step(officer, member, "committee_vote", today(), votes_for=7, votes_total=9)
    return member


def test_refused_without_the_certificate_and_shown_once_recorded(world):
    member = _reviewed(world)
    officer = world.client(Role.OFFICER)
    page = decide(officer, member, today()).content.decode()
    assert "chưa có giấy chứng nhận lớp bồi dưỡng đảng viên mới" in page
    assert 'id="new-member-class-missing"' in page
    assert fresh(member).status == Status.PROBATIONARY

    certify(world, member, number="45/CN-TTCT")
    page = officer.get(f"/admissions/probation/{member.pk}/").content.decode()
    assert "45/CN-TTCT" in page and 'id="new-member-class-missing"' not in page
    assert "là đảng viên chính thức từ" in decide(officer, member, today()).content.decode()
    assert fresh(member).status == Status.OFFICIAL


def test_an_exception_with_its_reason_lets_the_decision_through(world):
    member = _reviewed(world)
    url = f"/training/member/{member.pk}/exception/"
    # The branch secretary may not; the officer must give a reason.
    assert world.client(Role.SECRETARY).post(url, {"reason": "Ốm"}).status_code == 403
    officer = world.client(Role.OFFICER)
    assert officer.post(url, {"reason": ""}).status_code == 400
    response = officer.post(url, {"reason": "Lớp năm nay không mở", "document": "12-CV/ĐU"})
    assert response.status_code == 302
    entry = AuditEntry.unscoped.get(action="training.exception", target_id=member.pk)
    assert (entry.reason, entry.decision_number) == ("Lớp năm nay không mở", "12-CV/ĐU")
    page = officer.get(f"/admissions/probation/{member.pk}/").content.decode()
    assert "Ngoại lệ: Lớp năm nay không mở" in page
    assert "là đảng viên chính thức từ" in decide(officer, member, today()).content.decode()


def test_a_rule_set_that_does_not_ask_for_it(world):
    for rule_set in RuleSet.objects.all():
        rule_set.values = {**rule_set.values, "new_member_class_required": 0}
        rule_set.save()
    member = _reviewed(world)
    officer = world.client(Role.OFFICER)
    page = officer.get(f"/admissions/probation/{member.pk}/").content.decode()
    assert "bộ quy tắc hiện hành không bắt buộc" in page
    assert "là đảng viên chính thức từ" in decide(officer, member, today()).content.decode()


def test_a_certificate_of_an_earlier_probation_does_not_count(world):
    """A member re-admitted serves a full probation again (QĐ 294-QĐ/TW §3.5) and takes the
    new-member class again: the certificate and the exception of the first probation no longer
    count once the probation starts anew."""
    member = _reviewed(world)
    certify(world, member, number="45/CN-TTCT")
    officer = world.client(Role.OFFICER)
    officer.post(
        f"/training/member/{member.pk}/exception/",
        {"reason": "Lớp năm nay không mở", "document": "12-CV/ĐU"},
    )
    # Both belong to the first probation; the re-admission's ceremony is today.
    RuleException.unscoped.filter(target_id=member.pk).update(
        at=timezone.now() - datetime.timedelta(days=40)
    )
    Member.unscoped.filter(pk=member.pk).update(
        readmitted_on=today(), ceremony_on=today(), official_on=None
    )
    page = officer.get(f"/admissions/probation/{member.pk}/").content.decode()
    step = page.split('id="step-new-member-class"')[1].split("</li>")[0]
    assert 'id="new-member-class-missing"' in step and "45/CN-TTCT" not in step
    line = new_member_class(fresh(member), today())
    assert (line.certificate, line.exception, line.satisfied) == (None, None, False)
