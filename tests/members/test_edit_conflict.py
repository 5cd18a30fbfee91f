"""Two officers edit one member record: the second save is refused, never silently overwrites."""

import pytest
from django.core.management import call_command
from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member
from dangvien.members.services import update_member
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def two_editors(world):
    url = f"/members/{world.member.pk}/edit/"
    first, second = signed_in(world, Role.SECRETARY), signed_in(world, Role.OFFICER)
    return url, first, open_form(first, url), second, open_form(second, url)


def test_second_save_is_refused_with_the_change_named(world, two_editors):
    url, first, first_data, second, second_data = two_editors
    response = first.post(url, {**first_data, "residence": "Tổ 5, phường Hòa Bình"})
    assert response.status_code == 302

    response = second.post(url, {**second_data, "phone": "0912345678"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "sau khi bạn mở trang" in page and "Hãy xem lại và lưu lại" in page
    assert "Nơi cư trú: — → Tổ 5, phường Hòa Bình" in page
    assert world.users[Role.SECRETARY].full_name in page
    assert 'value="0912345678"' in page  # what the second officer typed is still there
    member = Member.unscoped.get(pk=world.member.pk)
    assert member.residence == "Tổ 5, phường Hòa Bình" and member.phone == ""
    updates = AuditEntry.unscoped.filter(action="member.update")
    assert [entry.changes for entry in updates] == [{"residence": ["", "Tổ 5, phường Hòa Bình"]}]


def test_saving_again_after_the_refusal_keeps_both_changes(world, two_editors):
    url, first, first_data, second, second_data = two_editors
    first.post(url, {**first_data, "residence": "Tổ 5, phường Hòa Bình"})
    refused = second.post(url, {**second_data, "phone": "0912345678"}).context["form"]
    again = {name: refused[name].value() or "" for name in refused.fields}
    assert again["residence"] == "Tổ 5, phường Hòa Bình"  # the untouched field took the change

    assert second.post(url, again).status_code == 302
    member = Member.unscoped.get(pk=world.member.pk)
    assert (member.residence, member.phone) == ("Tổ 5, phường Hòa Bình", "0912345678")
    changes = [e.changes for e in AuditEntry.unscoped.filter(action="member.update").order_by("id")]
    assert changes == [
        {"residence": ["", "Tổ 5, phường Hòa Bình"]},
        {"phone": ["", "0912345678"]},
    ]


def test_both_changing_one_field_keeps_the_typed_value_and_names_the_other(world, two_editors):
    url, first, first_data, second, second_data = two_editors
    first.post(url, {**first_data, "residence": "Tổ 5"})
    response = second.post(url, {**second_data, "residence": "Tổ 9"})
    page = response.content.decode()
    assert "Người khác đã sửa thành «Tổ 5»" in page and 'value="Tổ 9"' in page
    assert Member.unscoped.get(pk=world.member.pk).residence == "Tổ 5"


def test_a_save_after_reopening_works(world, two_editors):
    url, first, first_data, second, _stale = two_editors
    first.post(url, {**first_data, "residence": "Tổ 5"})
    response = second.post(url, {**open_form(second, url), "phone": "0912345678"})
    assert response.status_code == 302
    assert Member.unscoped.get(pk=world.member.pk).phone == "0912345678"


def test_a_lifecycle_action_makes_an_open_form_stale(world, two_editors):
    url, _first, _first_data, second, second_data = two_editors
    other = world.other_branch
    response = signed_in(world, Role.OFFICER).post(
        f"/members/{world.member.pk}/transfer/",
        {"branch_code": other.code, "effective_on": "01/01/2026"},
    )
    assert response.status_code == 302
    response = second.post(url, {**second_data, "phone": "0912345678"})
    page = response.content.decode()
    assert "Hồ sơ đã được" in page
    assert "chuyển sinh hoạt đảng: Chi bộ: Chi bộ Tổ Toán → Chi bộ Tổ Văn" in page
    assert Member.unscoped.get(pk=world.member.pk).phone == ""


def test_an_import_makes_an_open_form_stale(world, two_editors, tmp_path):
    url, first, first_data, _second, _data = two_editors
    member = world.member
    row = [member.code, member.full_name, "Nam", "15/04/1985", world.branch.code, "03/02/2010"]
    row += ["03/02/2011", "", "", "Kinh", "Không", "", "Tổ 7 (nhập từ tệp)", "", "Đại học", ""]
    call_command("import", "members", str(write_xlsx(tmp_path / "m.xlsx", MEMBER_HEADERS, [row])))
    assert Member.unscoped.get(pk=member.pk).residence == "Tổ 7 (nhập từ tệp)"
    response = first.post(url, {**first_data, "phone": "0912345678"})
    page = response.content.decode()
    assert "sau khi bạn mở trang" in page and "Tổ 7 (nhập từ tệp)" in page
    assert Member.unscoped.get(pk=member.pk).phone == ""


def test_the_service_refuses_a_stale_version(world):
    member = world.member
    officer = world.users[Role.OFFICER]
    read = f"{member.version}.0"
    update_member(officer, member, {"phone": "0900000001"}, expected_version=read)
    with pytest.raises(Exception, match="sau khi bạn mở trang") as refused:
        update_member(officer, member, {"phone": "0900000002"}, expected_version=read)
    assert "0900000001" in refused.value.message
    assert Member.unscoped.get(pk=member.pk).phone == "0900000001"


def test_a_save_without_the_version_is_refused_and_asks_to_reload(world, two_editors):
    """A form without the hidden version (a page from before, or hand-made) saves nothing."""
    url, first, first_data, _second, _data = two_editors
    del first_data["version"]
    response = first.post(url, {**first_data, "phone": "0912345678"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Trang bạn dùng đã cũ" in page and "hãy tải lại trang" in page
    assert 'value="0912345678"' in page
    assert Member.unscoped.get(pk=world.member.pk).phone == ""
    assert not AuditEntry.unscoped.filter(action="member.update").exists()
    # Internal callers (imports, other services) pass None: no check, as before.
    update_member(world.users[Role.OFFICER], world.member, {"phone": "0900000003"})
    assert Member.unscoped.get(pk=world.member.pk).phone == "0900000003"


def test_a_card_issued_after_the_form_opened_is_not_written_back(world):
    """The edit form posts the card number: a card issued meanwhile must refuse the save, not
    let the old, empty number overwrite it."""
    from django.utils import timezone

    from dangvien.admissions.cards.services import issue_card

    Member.unscoped.filter(pk=world.member.pk).update(card_number=None, card_issued_on=None)
    url = f"/members/{world.member.pk}/edit/"
    client = signed_in(world, Role.OFFICER)
    data = open_form(client, url)
    issue_card(
        world.users[Role.OFFICER],
        Member.unscoped.get(pk=world.member.pk),
        number="12345678",
        series="old",
        issued_on=timezone.localdate(),
    )

    response = client.post(url, {**data, "phone": "0912345678"})

    assert response.status_code == 400
    assert "sau khi bạn mở trang" in response.content.decode()
    assert Member.unscoped.get(pk=world.member.pk).card_number == "12345678"
