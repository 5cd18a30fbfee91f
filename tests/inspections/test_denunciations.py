"""Denunciations: the inspection-committee officer records and decides a letter; the denouncer's
name shows on its pages and nowhere else, to no other role (the scope walk checks every page
for every other role, tests/test_scope_walk.py); the history keeps the number and the status."""

from django.test import Client

from dangvien.core.roles import Role
from dangvien.inspections.models import Denunciation, DenunciationStatus
from tests.factories import PASSWORD, user_with_role
from tests.transfers.steps import ONE_DAY, ddmmyyyy, issue, today

NAME = "Hoàng Văn Kín"


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _receive(client, org_code: str, **fields):
    data = {
        "received_on": ddmmyyyy(today() - ONE_DAY * 100),
        "denouncer_name": NAME,
        "denouncer_contact": "Số 5 phố Hàng Bè",
        "subject_code": "DV-TRONG-2",
        "content": "Đảng viên nhận tiền của người dân khi làm thủ tục",
    }
    data.update(fields)
    return client.post(f"/inspections/denunciations/org/{org_code}/new/", data)


def test_only_the_handling_inspection_committee_sees_the_denouncer(world):
    inspector = _client(user_with_role(Role.INSPECTION_OFFICER, world.upper, "ubkt"))
    assert "Đơn tố cáo" in inspector.get("/").content.decode()  # the menu link
    refused = _receive(inspector, world.base.code, subject_code=world.outside_member.code)
    assert (
        refused.status_code == 400
        and world.outside_member.full_name not in refused.content.decode()
    )
    response = _receive(inspector, world.upper.code)
    letter = Denunciation.unscoped.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/inspections/denunciations/{letter.pk}/"
    )
    assert letter.due_on > letter.received_on and not letter.anonymous
    page = inspector.get(response["Location"]).content.decode()
    assert NAME in page and "Số 5 phố Hàng Bè" in page
    register = inspector.get(f"/inspections/denunciations/org/{world.upper.code}/?overdue=1")
    assert "Quá hạn" in register.content.decode()  # received 100 days ago, 60 working days

    # Nobody else: not the officer of the same subtree, not the administrator, not a lower
    # committee's inspection officer; the letter's pages are 404, the menu has no link.
    others = [world.client(Role.OFFICER), world.client(Role.ADMIN)]
    for client in others:
        assert "Đơn tố cáo" not in client.get("/").content.decode()
        for url in (
            f"/inspections/denunciations/{letter.pk}/",
            f"/inspections/denunciations/org/{world.upper.code}/",
            f"/inspections/denunciations/{letter.pk}/decide/",
        ):
            assert client.get(url).status_code == 404, url
    lower = _client(user_with_role(Role.INSPECTION_OFFICER, world.base, "ubktcoso"))
    assert lower.get(f"/inspections/denunciations/{letter.pk}/").status_code == 404
    assert lower.get(f"/inspections/denunciations/org/{world.upper.code}/").status_code == 404
    own = lower.get(f"/inspections/denunciations/org/{world.base.code}/").content.decode()
    assert "Không có đơn nào." in own and NAME not in own
    # Being handled, it holds back the member's transfer, naming neither letter nor denouncer.
    letter_page = issue(
        world.client(Role.OFFICER),
        world.other_member,
        to_code=world.branch.code,
        trigger_on=today(),
        letter_issued_on=today(),
    ).content.decode()
    assert "ủy ban kiểm tra đang giải quyết một việc liên quan" in letter_page
    assert NAME not in letter_page and "tố cáo" not in letter_page
    history = world.client(Role.OFFICER).get("/history/").content.decode()
    assert f"Đơn tố cáo số {letter.pk}" in history and NAME not in history

    decide = f"/inspections/denunciations/{letter.pk}/decide/"
    early = {
        "status": "concluded",
        "result": "dung",
        "decided_on": ddmmyyyy(letter.received_on - ONE_DAY),
        "conclusion": "Đúng",
    }
    assert inspector.post(decide, early).status_code == 400
    done = {**early, "decided_on": ddmmyyyy(today()), "conclusion": "Tố cáo đúng, đề nghị kiểm tra"}
    assert inspector.post(decide, done).status_code == 302
    letter = Denunciation.unscoped.get()
    assert (letter.status, letter.result) == (DenunciationStatus.CONCLUDED, "dung")
    reopen = f"/inspections/denunciations/{letter.pk}/reopen/"
    assert inspector.post(reopen, {"reason": ""}).status_code == 400
    assert inspector.post(reopen, {"reason": "Kết luận nhầm đơn"}).status_code == 302
    assert Denunciation.unscoped.get().status == DenunciationStatus.RECEIVED


def test_an_anonymous_letter_is_kept_as_anonymous(world):
    inspector = _client(user_with_role(Role.INSPECTION_OFFICER, world.upper, "ubkt"))
    assert (
        _receive(inspector, world.upper.code, denouncer_name="", denouncer_contact="").status_code
        == 302
    )
    letter = Denunciation.unscoped.get()
    assert letter.anonymous
    assert "Nặc danh" in inspector.get(f"/inspections/denunciations/{letter.pk}/").content.decode()


def test_only_another_administrator_grants_the_inspection_committee_role(world):
    """The role that sees denouncers: an officer cannot grant it, nor an administrator to their
    own account."""
    from dangvien.accounts.models import RoleBinding

    officer = world.client(Role.OFFICER)
    colleague = world.users[Role.INSPECTOR]
    data = {"role": Role.INSPECTION_OFFICER, "organization_code": world.upper.code}
    officer.post(f"/users/{colleague.pk}/", data)
    assert not RoleBinding.objects.filter(role=Role.INSPECTION_OFFICER).exists()
    admin = world.client(Role.ADMIN)
    own = admin.post(f"/users/{world.users[Role.ADMIN].pk}/", data)
    assert "Không tự cấp vai trò" in own.content.decode()
    assert not RoleBinding.objects.filter(role=Role.INSPECTION_OFFICER).exists()
    assert admin.post(f"/users/{colleague.pk}/", data).status_code == 302
    assert RoleBinding.objects.get(role=Role.INSPECTION_OFFICER).user == colleague


def test_opening_a_letter_is_a_read_for_the_access_review_not_a_change(world):
    from dangvien.core.models import AuditEntry

    inspector = _client(user_with_role(Role.INSPECTION_OFFICER, world.upper, "ubkt"))
    _receive(inspector, world.upper.code)
    letter = Denunciation.unscoped.get()
    inspector.get(f"/inspections/denunciations/{letter.pk}/")
    read = AuditEntry.unscoped.get(action="denunciation.view")
    assert read.target_label == f"Đơn tố cáo số {letter.pk}"
    review = world.client(Role.ADMIN).get("/history/access/").content.decode()
    assert f"Đơn tố cáo số {letter.pk}" in review and NAME not in review
    history = world.client(Role.OFFICER).get("/history/").content.decode()
    assert "Xem đơn tố cáo" not in history
