"""Suspension of party activity (QĐ 296-QĐ/TW chương VI): recorded on the member's page by a
committee above the branch; while it lasts the member is not graded (HD 21) and gets no
introduction letter; it ends or is annulled with a reason."""

from dangvien.assessments.models import Grade, NotGraded
from dangvien.core.roles import Role
from dangvien.discipline.models import Suspension
from tests.assessments.test_discipline_cap import _row
from tests.assessments.workflow import assessment_of, branch_url, open_round, proposals_post
from tests.transfers.steps import ONE_DAY, ddmmyyyy, issue, today


def _suspend(client, member, body, **fields):
    data = {
        "decision_number": "7-QĐ/UBKT",
        "deciding_org": str(body.pk),
        "starts_on": ddmmyyyy(today() - ONE_DAY * 3),
        "ends_on": "",
        "reason": "Bị khởi tố, điều tra",
    }
    data.update(fields)
    return client.post(f"/discipline/member/{member.pk}/suspend/", data)


def _letter(client, member):
    return issue(
        client,
        member,
        to_code="P.U1.01.02",
        trigger_on=today(),
        letter_issued_on=today(),
    )


def test_a_suspended_member_is_not_graded_and_not_transferred_until_it_ends(world):
    client = world.client(Role.OFFICER)
    page = client.get(f"/discipline/member/{world.member.pk}/suspend/").content.decode()
    assert f'<option value="{world.base.pk}"' in page
    assert f'<option value="{world.branch.pk}"' not in page  # a branch does not suspend
    refused = _suspend(client, world.member, world.branch)
    assert refused.status_code == 400 and not Suspension.unscoped.exists()
    assert _suspend(client, world.member, world.base).status_code == 302
    suspension = Suspension.unscoped.get()
    detail = client.get(f"/members/{world.member.pk}/").content.decode()
    assert 'id="suspension-' in detail and "Bị khởi tố, điều tra" in detail

    letter = _letter(client, world.member)
    assert (
        letter.status_code == 400 and "đang bị đình chỉ sinh hoạt đảng" in letter.content.decode()
    )

    open_round(world)
    secretary = world.client(Role.SECRETARY)
    graded = secretary.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": Grade.GOOD}})
    )
    assert "không xếp loại, chọn «Đình chỉ sinh hoạt đảng»" in _row(graded, world.member)
    assert assessment_of(world.member) is None
    not_graded = proposals_post({world.member: {"not_graded": NotGraded.SUSPENDED}})
    assert secretary.post(branch_url(world.branch), not_graded).status_code == 302
    assert assessment_of(world.member).proposed_not_graded == NotGraded.SUSPENDED

    end_url = f"/discipline/suspension/{suspension.pk}/end/"
    assert client.post(end_url, {"ends_on": ddmmyyyy(today()), "reason": ""}).status_code == 400
    ended = client.post(end_url, {"ends_on": ddmmyyyy(today()), "reason": "Đình chỉ điều tra"})
    assert ended.status_code == 302 and Suspension.unscoped.get().ends_on == today()
    graded = secretary.post(
        branch_url(world.branch), proposals_post({world.member: {"grade": Grade.GOOD}})
    )
    assert graded.status_code == 302
    assert _letter(client, world.member).status_code == 302


def test_a_suspension_recorded_by_mistake_is_annulled(world):
    client = world.client(Role.OFFICER)
    _suspend(client, world.member, world.upper)
    suspension = Suspension.unscoped.get()
    url = f"/discipline/suspension/{suspension.pk}/annul/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Ghi nhầm đảng viên"}).status_code == 302
    assert Suspension.unscoped.get().annulled_at is not None
    assert _letter(client, world.member).status_code == 302
    secretary = world.client(Role.SECRETARY)
    # The secretary manages no committee above the branch: the page says who records it.
    assert secretary.get(f"/discipline/member/{world.member.pk}/suspend/").status_code == 302
    assert _suspend(secretary, world.member, world.upper).status_code == 302
    assert Suspension.unscoped.filter(annulled_at__isnull=True).count() == 0


def test_suspensions_of_a_member_do_not_overlap(world):
    client = world.client(Role.OFFICER)
    later = {
        "starts_on": ddmmyyyy(today() - ONE_DAY * 30),
        "ends_on": ddmmyyyy(today() - ONE_DAY * 10),
    }
    assert _suspend(client, world.member, world.base, **later).status_code == 302
    earlier = _suspend(
        client,
        world.member,
        world.base,
        decision_number="8-QĐ",
        starts_on=ddmmyyyy(today() - ONE_DAY * 40),
    )
    assert earlier.status_code == 400 and "Trùng thời gian" in earlier.content.decode()
    after = _suspend(
        client,
        world.member,
        world.base,
        decision_number="9-QĐ",
        starts_on=ddmmyyyy(today() - ONE_DAY * 10),
    )
    assert after.status_code == 302  # from the day the first one ended
    first = Suspension.unscoped.get(decision_number="7-QĐ/UBKT")
    longer = client.post(
        f"/discipline/suspension/{first.pk}/end/",
        {"ends_on": ddmmyyyy(today() - ONE_DAY * 5), "reason": "Gia hạn"},
    )
    assert longer.status_code == 400 and "Trùng thời gian" in longer.content.decode()
