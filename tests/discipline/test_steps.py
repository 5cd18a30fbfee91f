"""The steps before a discipline decision: a reminder, the member's explanation, criticism at the
branch meeting and the vote, recorded by the secretary on the member's record and tied to the
decision once it is recorded."""

from dangvien.core.roles import Role
from dangvien.discipline.models import Discipline, DisciplineStep
from tests.transfers.steps import ONE_DAY, ddmmyyyy, today


def _step(client, member, **fields):
    data = {
        "kind": "nhac_nho",
        "on": ddmmyyyy(today() - ONE_DAY * 20),
        "note": "Không tham gia sinh hoạt chi bộ hai tháng liền",
        "proposed_form": "",
        "voters": "",
        "votes_for": "",
    }
    data.update(fields)
    return client.post(f"/discipline/member/{member.pk}/steps/", data)


def test_the_branch_records_the_steps_and_the_decision_takes_them(world):
    secretary = world.client(Role.SECRETARY)
    member = world.member
    assert _step(secretary, member).status_code == 302
    vote = {
        "kind": "bieu_quyet",
        "on": ddmmyyyy(today() - ONE_DAY * 15),
        "note": "Chi bộ họp, thảo luận, biểu quyết",
        "proposed_form": "khien_trach",
    }
    refused = _step(secretary, member, **vote, voters="1", votes_for="2")
    assert refused.status_code == 400
    assert "Số tán thành không thể lớn hơn" in refused.content.decode()
    too_many = _step(secretary, member, **vote, voters="40", votes_for="30")
    assert (
        too_many.status_code == 400
        and "số biểu quyết không thể lớn hơn" in too_many.content.decode()
    )
    assert _step(secretary, member, **vote, voters="1", votes_for="1").status_code == 302
    page = secretary.get(f"/discipline/member/{member.pk}/steps/").content.decode()
    assert "Khiển trách: 1/1 tán thành (100%)" in page

    secretary.post(
        f"/discipline/member/{member.pk}/new/",
        {
            "decision_number": "9-QĐ/CB",
            "decided_on": ddmmyyyy(today() - ONE_DAY * 10),
            "form": "khien_trach",
            "deciding_org": str(world.branch.pk),
            "violation": "Không tham gia sinh hoạt chi bộ",
        },
    )
    discipline = Discipline.unscoped.get()
    assert set(DisciplineStep.unscoped.values_list("discipline", flat=True)) == {discipline.pk}
    assert "9-QĐ/CB" in secretary.get(f"/discipline/member/{member.pk}/steps/").content.decode()

    inspector = world.client(Role.INSPECTOR)
    read = inspector.get(f"/discipline/member/{member.pk}/steps/")
    assert read.status_code == 200 and 'id="step-new"' not in read.content.decode()
    assert _step(inspector, member).status_code == 403


def test_a_step_recorded_by_mistake_is_annulled_and_leaves_the_next_decision(world):
    secretary = world.client(Role.SECRETARY)
    _step(secretary, world.member)
    step = DisciplineStep.unscoped.get()
    url = f"/discipline/step/{step.pk}/annul/"
    assert secretary.post(url, {"reason": ""}).status_code == 400
    assert secretary.post(url, {"reason": "Ghi nhầm đảng viên"}).status_code == 302
    secretary.post(
        f"/discipline/member/{world.member.pk}/new/",
        {
            "decision_number": "9-QĐ/CB",
            "decided_on": ddmmyyyy(today() - ONE_DAY * 10),
            "form": "khien_trach",
            "deciding_org": str(world.branch.pk),
            "violation": "Vi phạm",
        },
    )
    step = DisciplineStep.unscoped.get()
    assert step.annulled_at is not None and step.discipline is None
    assert world.client(Role.INSPECTOR).post(url, {"reason": "Thử"}).status_code == 403
