"""Ending a card (lost, damaged, taken back) is confirmed on a page that says what the record
loses, and an end recorded by mistake is undone with a reason while no new card is issued
(domain-rules §2.6; issue 12: every final action confirms and can be undone)."""

import datetime

import pytest

from dangvien.admissions.cards import services
from dangvien.admissions.models import CardEnd, PartyCard
from dangvien.core.errors import DomainError
from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, MemberEvent, Status
from tests.admissions.probation_steps import fresh, text, today
from tests.admissions.test_cards import issue, waiting_names
from tests.factories import MemberFactory

ISSUED = today() - datetime.timedelta(days=60)


def url(member, action: str = "end") -> str:
    return f"/admissions/cards/{member.pk}/{action}/"


def with_card(world, number: str = "44445555"):
    issue(world.client(Role.OFFICER), world.member, number, on=ISSUED)
    return fresh(world.member)


def end_data(reason=CardEnd.LOST, note="") -> dict:
    return {"ended_on": text(today()), "reason": reason, "note": note}


def test_the_card_page_links_to_a_confirmation_that_names_the_consequences(world):
    member = with_card(world)
    client = world.client(Role.OFFICER)
    card_page = client.get(f"/admissions/cards/{member.pk}/").content.decode()
    assert 'id="end-form"' not in card_page  # no one-click form any more
    assert f'href="{url(member)}"' in card_page
    response = client.get(url(member))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo mất, hỏng hoặc thu hồi thẻ số 44445555: Nguyễn Văn An" in page
    consequences = page.split('id="consequences"')[1].split("</ul>")[0]
    assert "Thẻ số 44445555 hết dùng từ ngày báo" in consequences
    assert "Chờ cấp lại (mất, hỏng thẻ)" in consequences
    assert "hủy ghi nhận (có lý do)" in consequences
    assert fresh(member).card_number == "44445555"  # a GET changes nothing


def test_a_post_without_a_reason_is_refused_and_keeps_the_input(world):
    member = with_card(world)
    client = world.client(Role.OFFICER)
    response = client.post(url(member), end_data(reason="", note="Mất khi đi công tác"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa ghi nhận:" in page.split('id="card-action"')[1].split("Khi xác nhận")[0]
    assert "Mất khi đi công tác" in page  # what was typed stays
    assert fresh(member).card_number == "44445555"
    assert PartyCard.objects.get(number="44445555").ended_on is None


def test_the_end_is_recorded_with_its_reason_and_undone_with_another(world):
    member = with_card(world)
    client = world.client(Role.OFFICER)
    response = client.post(url(member), end_data(note="Mất khi đi công tác"), follow=True)
    assert "Đã ghi: thẻ số 44445555 – Mất thẻ." in response.content.decode()
    assert fresh(member).card_number is None
    entry = AuditEntry.unscoped.get(action="card.end", target_id=member.pk)
    assert entry.reason == "Mất thẻ. Mất khi đi công tác"
    listing = client.get("/admissions/cards/", {"kind": "replace"}).content.decode()
    assert waiting_names(listing) == ["Nguyễn Văn An"]

    card_page = client.get(f"/admissions/cards/{member.pk}/").content.decode()
    assert f'href="{url(member, "end/undo")}"' in card_page
    confirm = client.get(url(member, "end/undo"))
    assert confirm.status_code == 200
    consequences = confirm.content.decode().split('id="consequences"')[1].split("</ul>")[0]
    assert f"Thẻ số 44445555 (cấp ngày {text(ISSUED)}) trở lại «Đang dùng»" in consequences
    assert "ra khỏi danh sách chờ cấp thẻ" in consequences

    refused = client.post(url(member, "end/undo"), {"reason": "  "})
    assert refused.status_code == 400
    assert "Cần ghi lý do hủy ghi nhận mất thẻ ngày" in refused.content.decode()
    assert fresh(member).card_number is None

    reason = "Đảng viên tìm lại được thẻ"
    done = client.post(url(member, "end/undo"), {"reason": reason}, follow=True)
    assert "Đã hủy ghi nhận mất thẻ ngày" in done.content.decode()
    member = fresh(member)
    assert (member.card_number, member.card_issued_on) == ("44445555", ISSUED)
    card = PartyCard.objects.get(number="44445555")
    assert (card.ended_on, card.end_reason) == (None, "")
    assert reason in card.note
    event = MemberEvent.objects.get(member=member, kind=EventKind.CARD_ENDED)
    assert event.reason.endswith(f"Đã hủy ghi nhận: {reason}")  # the timeline says it
    undo = AuditEntry.unscoped.get(action="card.end_undo", target_id=member.pk)
    assert undo.reason == reason
    assert undo.changes["card_number"] == [None, "44445555"]
    listing = client.get("/admissions/cards/").content.decode()
    assert "Nguyễn Văn An" not in waiting_names(listing)
    history = client.get("/history/").content.decode()
    assert "Hủy ghi nhận mất, hỏng, thu hồi thẻ đảng viên" in history


def test_an_end_cannot_be_undone_once_a_new_card_is_issued(world):
    member = with_card(world)
    client = world.client(Role.OFFICER)
    client.post(url(member), end_data(CardEnd.DAMAGED))
    issue(client, member, "55556666")
    assert "Hủy ghi nhận…" not in client.get(f"/admissions/cards/{member.pk}/").content.decode()
    response = client.get(url(member, "end/undo"), follow=True)
    assert "không có thẻ nào được ghi mất, hỏng hoặc thu hồi để hủy" in response.content.decode()
    # The service says why, whatever the page offered.
    with pytest.raises(DomainError, match="đang dùng thẻ số 55556666: thẻ số 44445555 đã"):
        services.undo_card_end(world.users[Role.OFFICER], member, reason="Nhầm")
    assert fresh(member).card_number == "55556666"


def test_an_end_cannot_be_undone_for_a_member_who_has_left(world):
    member = with_card(world)
    client = world.client(Role.OFFICER)
    client.post(url(member), end_data(CardEnd.REVOKED))
    type(member).unscoped.filter(pk=member.pk).update(status=Status.EXPELLED)
    response = client.post(url(member, "end/undo"), {"reason": "Nhầm"}, follow=True)
    assert "không có thẻ nào được ghi mất, hỏng hoặc thu hồi để hủy" in response.content.decode()
    with pytest.raises(DomainError, match="chỉ dùng khi là đảng viên chính thức"):
        services.undo_card_end(world.users[Role.OFFICER], member, reason="Nhầm")
    assert fresh(member).card_number is None


def test_only_officers_of_the_branch_end_or_restore_a_card(world):
    member = with_card(world)
    outside = MemberFactory(branch=world.outside_branch, card_number="12121212")
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        assert client.get(url(member)).status_code == 403
        assert client.post(url(member), end_data()).status_code == 403
        assert client.post(url(member, "end/undo"), {"reason": "x"}).status_code == 403
    officer = world.client(Role.OFFICER)
    assert officer.get(url(outside)).status_code == 404
    assert officer.post(url(outside), end_data()).status_code == 404
    assert officer.get(url(outside, "end/undo")).status_code == 404
    assert fresh(member).card_number == "44445555"
    assert fresh(outside).card_number == "12121212"


def test_a_refused_card_issue_answers_400_with_the_banner(world):
    client = world.client(Role.OFFICER)
    response = issue(client, world.member, "1234567")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="refused-banner"' in page and "Số thẻ mẫu cũ gồm đúng 8 chữ số." in page
    assert 'value="1234567"' in page
