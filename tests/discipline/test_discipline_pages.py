"""Recording a discipline decision on the member's or the organisation's page, and annulling one
(QĐ 117-QĐ/TW): confirmation pages that say what they change, refusals at the top with the
input kept, the effects undone by the annulment."""

from dangvien.core.roles import Role
from dangvien.discipline.models import Discipline, DisciplineForm
from dangvien.members.models import Member, Status
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import MemberFactory, OrganizationFactory
from tests.members.test_print_record import pdf_text
from tests.transfers.steps import ONE_DAY, ddmmyyyy, members_on, today


def _post(client, url: str, body, **fields):
    data = {
        "decision_number": "60-QĐ/ĐU",
        "decided_on": ddmmyyyy(today() - ONE_DAY * 10),
        "form": DisciplineForm.REPRIMAND,
        "deciding_org": str(body.pk),
        "violation": "Vi phạm quy định về những điều đảng viên không được làm",
    }
    data.update(fields)
    return client.post(url, data)


def test_an_officer_expels_on_the_page_and_annuls_it_with_a_reason(world):
    day = today() - ONE_DAY * 10
    member = world.other_member
    counted = members_on(world.upper, day)
    client = world.client(Role.OFFICER)
    url = f"/discipline/member/{member.pk}/new/"
    page = client.get(url).content.decode()
    assert "Khai trừ: đảng viên ra khỏi Đảng từ ngày quyết định" in page
    assert world.upper.name in page and world.outside_upper.name not in page

    response = _post(client, url, world.upper, form=DisciplineForm.EXPULSION)
    assert response.status_code == 302 and response["Location"] == f"/members/{member.pk}/"
    member = Member.unscoped.get(pk=member.pk)
    assert (member.status, member.left_on) == (Status.EXPELLED, day)
    assert members_on(world.upper, day) == counted - 1
    discipline = Discipline.unscoped.get(member=member)
    page = client.get(f"/members/{member.pk}/").content.decode()
    assert f'href="/discipline/{discipline.pk}/annul/"' in page

    annul_url = f"/discipline/{discipline.pk}/annul/"
    assert "tuổi đảng liên tục" in client.get(annul_url).content.decode()
    refused = client.post(annul_url, {"reason": ""})
    assert refused.status_code == 400 and "Chưa hủy" in refused.content.decode()
    assert Discipline.unscoped.get(pk=discipline.pk).annulled_at is None

    reason = "Ủy ban Kiểm tra Tỉnh ủy hủy quyết định: không đủ căn cứ"
    assert client.post(annul_url, {"reason": reason}).status_code == 302
    discipline = Discipline.unscoped.get(pk=discipline.pk)
    assert discipline.annulled_at is not None and discipline.annul_reason == reason
    member = Member.unscoped.get(pk=member.pk)
    assert (member.status, member.left_on) == (Status.OFFICIAL, None)
    # Back from the day they left, as if they never left: counted on every day since.
    assert members_on(world.upper, day) == counted
    page = client.get(f"/members/{member.pk}/").content.decode()
    section = page.split('id="disciplines"')[1].split("</section>")[0]
    assert "Đã hủy" in section and reason in section and "Hủy quyết định</a>" not in section


def test_a_decision_found_wrongful_later_returns_the_member_on_a_later_day(world):
    """QĐ 117-QĐ/TW: the expelled member comes back on the day the annulment gives; the reports
    of the days between keep what they showed, and the timeline says the party age is
    continuous."""
    day, back = today() - ONE_DAY * 20, today() - ONE_DAY * 5
    member = world.other_member
    counted = members_on(world.upper, day)
    client = world.client(Role.OFFICER)
    url = f"/discipline/member/{member.pk}/new/"
    _post(client, url, world.upper, form=DisciplineForm.EXPULSION, decided_on=ddmmyyyy(day))
    discipline = Discipline.unscoped.get(member=member)
    annul_url = f"/discipline/{discipline.pk}/annul/"
    page = client.get(annul_url).content.decode()
    assert 'name="return_on"' in page and f'value="{ddmmyyyy(day)}"' in page

    reason = "Quyết định bị Ủy ban Kiểm tra cấp trên hủy bỏ"
    early = client.post(annul_url, {"reason": reason, "return_on": ddmmyyyy(day - ONE_DAY)})
    assert (
        early.status_code == 400 and "không thể trước ngày ra khỏi Đảng" in early.content.decode()
    )
    assert Discipline.unscoped.get(pk=discipline.pk).annulled_at is None

    response = client.post(annul_url, {"reason": reason, "return_on": ddmmyyyy(back)})
    assert response.status_code == 302
    member = Member.unscoped.get(pk=member.pk)
    assert (member.status, member.left_on) == (Status.OFFICIAL, None)
    assert members_on(world.upper, day) == counted - 1  # as reported then
    assert members_on(world.upper, back - ONE_DAY) == counted - 1
    assert members_on(world.upper, back) == counted
    returned = member.events.get(kind="reinstated")
    assert returned.on == back and "tuổi đảng liên tục" in returned.reason


def test_a_disbandment_annulment_asks_no_return_day(world):
    empty = OrganizationFactory(
        code="P.U1.01.09", name="Chi bộ Tổ Bảo vệ", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    client = world.client(Role.OFFICER)
    _post(
        client, f"/discipline/org/{empty.code}/new/", world.upper, form=DisciplineForm.DISBANDMENT
    )
    discipline = Discipline.unscoped.get(organization=empty)
    assert (
        'name="return_on"' not in client.get(f"/discipline/{discipline.pk}/annul/").content.decode()
    )


def test_a_form_the_member_could_not_receive_on_the_day_is_refused_at_the_top(world):
    member = MemberFactory(
        code="DV-MOI-1",
        branch=world.branch,
        admitted_on=today() - ONE_DAY * 500,
        official_on=today() - ONE_DAY * 30,
    )
    client = world.client(Role.OFFICER)
    url = f"/discipline/member/{member.pk}/new/"
    response = _post(
        client,
        url,
        world.base,
        form=DisciplineForm.EXPULSION,
        decided_on=ddmmyyyy(today() - ONE_DAY * 60),
        decision_number="61-QĐ/ĐU",
    )
    page = response.content.decode()
    assert response.status_code == 400
    banner = page.split('class="form-errors"')[1].split("</div>")[0]
    assert "Chưa ghi" in banner and "còn là đảng viên dự bị vào ngày quyết định" in banner
    assert 'value="61-QĐ/ĐU"' in page  # what was typed is kept
    assert not Discipline.unscoped.exists()
    assert Member.unscoped.get(pk=member.pk).status == Status.OFFICIAL


def test_a_secretary_records_only_decisions_of_their_own_branch(world):
    client = world.client(Role.SECRETARY)
    url = f"/discipline/member/{world.member.pk}/new/"
    page = client.get(url).content.decode()
    assert f'<option value="{world.branch.pk}"' in page
    assert f'<option value="{world.upper.pk}"' not in page
    assert _post(client, url, world.upper).status_code == 400
    assert _post(client, url, world.branch, form=DisciplineForm.WARNING).status_code == 302
    assert Discipline.unscoped.get().deciding_org == world.branch
    again = _post(client, url, world.branch, form=DisciplineForm.WARNING)  # sent twice
    assert (
        again.status_code == 400
        and "60-QĐ/ĐU về đối tượng này đã được ghi" in again.content.decode()
    )
    assert Discipline.unscoped.count() == 1
    assert client.get(f"/discipline/member/{world.other_member.pk}/new/").status_code == 404
    inspector = world.client(Role.INSPECTOR)
    assert inspector.get(url).status_code == 403


def test_a_disbandment_recorded_and_annulled_on_the_organisation_page(world):
    empty = OrganizationFactory(
        code="P.U1.01.08", name="Chi bộ Tổ Lái xe", kind=OrgKind.SUB_BRANCH, parent=world.base
    )
    client = world.client(Role.OFFICER)
    url = f"/discipline/org/{empty.code}/new/"
    assert 'id="discipline-new"' in client.get(f"/orgs/{empty.code}/").content.decode()
    response = _post(client, url, world.upper, form=DisciplineForm.DISBANDMENT)
    assert response.status_code == 302
    assert Organization.unscoped.get(pk=empty.pk).ended_on == today() - ONE_DAY * 10
    discipline = Discipline.unscoped.get(organization=empty)
    response = client.post(f"/discipline/{discipline.pk}/annul/", {"reason": "Ghi nhầm tổ chức"})
    assert response.status_code == 302
    assert Organization.unscoped.get(pk=empty.pk).ended_on is None


def test_the_leave_page_no_longer_expels(world):
    client = world.client(Role.OFFICER)
    url = f"/members/{world.other_member.pk}/leave/"
    page = client.get(url).content.decode()
    assert 'value="expelled"' not in page and "mục «Kỷ luật»" in page
    response = client.post(
        url,
        {
            "status": "expelled",
            "effective_on": ddmmyyyy(today()),
            "decision_number": "1",
            "decision_body": "",
            "reason": "Thử",
        },
    )
    assert response.status_code == 400
    assert Member.unscoped.get(pk=world.other_member.pk).status == Status.OFFICIAL


def test_the_decision_prints_as_a_party_document(world):
    client = world.client(Role.OFFICER)
    _post(client, f"/discipline/member/{world.other_member.pk}/new/", world.upper)
    discipline = Discipline.unscoped.get()
    response = client.get(f"/discipline/{discipline.pk}/decision.pdf?place=Hòa Bình")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số: 60-QĐ/ĐU",
        f"Hòa Bình, ngày {discipline.decided_on:%d} tháng {discipline.decided_on:%m}",
        "QUYẾT ĐỊNH",
        "KHIỂN TRÁCH đối với đồng chí Trần Thị Bình",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
    ):
        assert expected in text, expected
    assert (
        world.client(Role.SECRETARY).get(f"/discipline/{discipline.pk}/decision.pdf").status_code
        == 404
    )  # another branch's member
