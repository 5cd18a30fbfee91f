"""Party cards: only for official members, 8-digit numbers for the old series, one card in use,
lost and replaced cards kept with their reason (domain-rules §2.6)."""

import datetime
import re

from dangvien.admissions.models import CardEnd, PartyCard
from dangvien.core.roles import Role
from dangvien.members.models import EventKind, MemberEvent
from tests.admissions.probation_steps import fresh, months_ago, probationary, text, today
from tests.factories import MemberFactory


def issue(client, member, number, *, series="old", on=None, **extra):
    data = {"number": number, "series": series, "issued_on": text(on or today()), **extra}
    return client.post(f"/admissions/cards/{member.pk}/issue/", data, follow=True)


def end(client, member, reason, on=None, note=""):
    data = {"ended_on": text(on or today()), "reason": reason, "note": note}
    return client.post(f"/admissions/cards/{member.pk}/end/", data, follow=True)


def waiting_names(page: str) -> list[str]:
    section = page.split('id="waiting"')[1].split("</table>")[0]
    return re.findall(r'/admissions/cards/\d+/">([^<]+)</a>', section)


def test_card_is_issued_to_an_official_member(world):
    client = world.client(Role.OFFICER)
    page = issue(client, world.member, "01234567", decision_number="5-QĐ/TU").content.decode()
    assert "Đã cấp thẻ đảng viên số 01234567." in page
    member = fresh(world.member)
    assert (member.card_number, member.card_issued_on) == ("01234567", today())
    card = PartyCard.objects.get(member=member)
    assert (card.series, card.decision_number, card.ended_on) == ("old", "5-QĐ/TU", None)
    assert MemberEvent.objects.filter(member=member, kind=EventKind.CARD_ISSUED).exists()
    listing = client.get("/admissions/cards/").content.decode()
    assert "Nguyễn Văn An" not in waiting_names(listing)
    assert "01234567" in listing.split('id="issued"')[1]


def test_probationary_member_cannot_receive_a_card(world):
    member = probationary(world, months_ago(6), full_name="Tạ Văn Dự Bị")
    page = issue(world.client(Role.OFFICER), member, "11112222").content.decode()
    assert "Tạ Văn Dự Bị là dự bị: thẻ đảng viên chỉ cấp cho đảng viên chính thức." in page
    assert not PartyCard.objects.filter(member=member).exists()
    listing = world.client(Role.OFFICER).get("/admissions/cards/").content.decode()
    assert "Tạ Văn Dự Bị" not in waiting_names(listing)


def test_old_card_numbers_have_eight_digits_chip_cards_are_kept_as_text(world):
    client = world.client(Role.OFFICER)
    for number in ("1234567", "123456789", "1234567A"):
        page = issue(client, world.member, number).content.decode()
        assert "Số thẻ mẫu cũ gồm đúng 8 chữ số." in page
    assert not PartyCard.objects.exists()
    issue(client, world.member, "VN-2025-000123", series="chip")
    assert fresh(world.member).card_number == "VN-2025-000123"


def test_duplicate_card_number_is_refused(world):
    client = world.client(Role.OFFICER)
    issue(client, world.member, "22223333")
    page = issue(client, world.other_member, "22223333").content.decode()
    assert "Số thẻ 22223333 đã được cấp cho một đảng viên." in page
    assert fresh(world.other_member).card_number is None


def test_replacement_ends_the_card_in_use_with_its_reason(world):
    client = world.client(Role.OFFICER)
    first_day = today() - datetime.timedelta(days=100)
    issue(client, world.member, "33334444", on=first_day)
    page = issue(client, world.member, "VN-000777", series="chip").content.decode()
    assert "đang dùng thẻ số 33334444: chọn lý do đổi thẻ." in page
    issue(client, world.member, "VN-000777", series="chip", replaces=CardEnd.DAMAGED)
    old = PartyCard.objects.get(number="33334444")
    assert (old.ended_on, old.end_reason) == (today(), CardEnd.DAMAGED)
    new = PartyCard.objects.get(number="VN-000777")
    assert new.ended_on is None and fresh(world.member).card_number == "VN-000777"
    history = client.get(f"/admissions/cards/{world.member.pk}/").content.decode()
    rows = history.split('id="card-history"')[1].split("</table>")[0]
    assert rows.index("VN-000777") < rows.index("33334444")
    assert "Hỏng thẻ" in rows and f"{first_day:%d/%m/%Y}" in rows


def test_lost_card_puts_the_member_back_on_the_waiting_list(world):
    client = world.client(Role.OFFICER)
    issue(client, world.member, "44445555", on=today() - datetime.timedelta(days=30))
    assert "Nguyễn Văn An" not in waiting_names(client.get("/admissions/cards/").content.decode())
    page = end(client, world.member, CardEnd.LOST, note="Mất khi đi công tác").content.decode()
    assert "Đã ghi: thẻ số 44445555 – Mất thẻ." in page
    member = fresh(world.member)
    assert member.card_number is None
    card = PartyCard.objects.get(number="44445555")
    assert (card.end_reason, card.ended_on) == (CardEnd.LOST, today())
    assert MemberEvent.objects.filter(member=member, kind=EventKind.CARD_ENDED).exists()
    listing = client.get("/admissions/cards/", {"kind": "replace"}).content.decode()
    assert waiting_names(listing) == ["Nguyễn Văn An"]
    assert "Cấp lại: mất thẻ" in listing
    # A new card takes the member off the list again; the lost one stays in the history.
    issue(client, world.member, "55556666")
    assert "Nguyễn Văn An" not in waiting_names(client.get("/admissions/cards/").content.decode())
    assert PartyCard.objects.filter(member=world.member).count() == 2


def test_revoked_card_is_not_waiting_for_a_replacement(world):
    client = world.client(Role.OFFICER)
    issue(client, world.other_member, "66667777")
    end(client, world.other_member, CardEnd.REVOKED)
    assert "Trần Thị Bình" not in waiting_names(client.get("/admissions/cards/").content.decode())


def test_waiting_list_is_ordered_by_official_date_with_counts(world):
    early = MemberFactory(
        branch=world.branch,
        full_name="Lâm Văn Sớm",
        admitted_on=datetime.date(2000, 1, 1),
        official_on=datetime.date(2001, 1, 1),
    )
    MemberFactory(branch=world.other_branch, full_name="Có Thẻ Rồi", card_number="77778888")
    client = world.client(Role.OFFICER)
    page = client.get("/admissions/cards/").content.decode()
    assert waiting_names(page)[0] == early.full_name
    assert set(waiting_names(page)) == {"Lâm Văn Sớm", "Nguyễn Văn An", "Trần Thị Bình"}
    summary = page.split('id="card-summary"')[1].split("</div>\n</div>")[0]
    assert re.findall(r'stat-value">(\d+)<', summary)[:3] == ["3", "3", "0"]
    branch_only = client.get("/admissions/cards/", {"org": world.other_branch.code})
    assert waiting_names(branch_only.content.decode()) == ["Trần Thị Bình"]


def test_card_number_already_on_the_record_can_be_reported_lost(world):
    member = MemberFactory(branch=world.branch, full_name="Lưu Văn Thẻ Cũ", card_number="88889999")
    client = world.client(Role.OFFICER)
    page = client.get(f"/admissions/cards/{member.pk}/").content.decode()
    assert "88889999" in page and "Số thẻ có sẵn trong hồ sơ" in page
    end(client, member, CardEnd.DAMAGED)
    card = PartyCard.objects.get(member=member)
    assert (card.number, card.end_reason) == ("88889999", CardEnd.DAMAGED)


def test_secretary_and_inspector_cannot_issue_or_end_cards(world):
    MemberFactory(branch=world.branch, full_name="Phan Văn Thẻ", card_number="12121212")
    for role in (Role.SECRETARY, Role.INSPECTOR):
        client = world.client(role)
        assert client.get(f"/admissions/cards/{world.member.pk}/").status_code == 200
        assert (
            'id="issue-form"'
            not in client.get(f"/admissions/cards/{world.member.pk}/").content.decode()
        )
        assert issue(client, world.member, "99990000").status_code == 403
        assert end(client, world.member, CardEnd.LOST).status_code == 403
    assert not PartyCard.objects.exists()
    assert fresh(world.member).card_number is None
    response = issue(world.client(Role.OFFICER), world.outside_member, "99990001")
    assert response.status_code == 404
