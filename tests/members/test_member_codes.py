"""A member's code, card number and citizen ID are typed from a fixed alphabet, checked by the
service whatever the path (the record form, its correction, the import preview, the command
line): a code or card number is letters without diacritics, digits, ".", "-", "_" (no space,
no "/"); a citizen ID is 12 ASCII digits (not full-width or other scripts' digits)."""

import pytest
from django.test import Client

from dangvien.core.roles import Role
from dangvien.members.models import Member
from tests.members.test_import_members import row, run_import
from tests.members.test_member_record import create
from tests.spreadsheets import MEMBER_HEADERS, write_csv

FULL_WIDTH_ID = "０１４３０１０００１２３"  # twelve digits, but not ASCII ones
ARABIC_INDIC_ID = "٠١٤٣٠١٠٠٠١٢٣"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "DV/01"}, "Mã đảng viên: mã “DV/01” không hợp lệ"),
        ({"code": "DV 01"}, "Mã đảng viên: mã “DV 01” không hợp lệ"),
        ({"code": "ĐV-01"}, "Mã đảng viên: mã “ĐV-01” không hợp lệ"),
        ({"card_number": "1234/5678"}, "Số thẻ đảng viên: mã “1234/5678” không hợp lệ"),
        ({"card_number": "1234 5678"}, "Số thẻ đảng viên: mã “1234 5678” không hợp lệ"),
        ({"citizen_id": FULL_WIDTH_ID}, "Số CCCD phải gồm đúng 12 chữ số"),
        ({"citizen_id": ARABIC_INDIC_ID}, "Số CCCD phải gồm đúng 12 chữ số"),
    ],
)
def test_the_record_form_refuses_a_malformed_code(world, changes, message):
    response = create(world, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Member.unscoped.filter(full_name="Đinh Thị Hương").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("card_number", "12/345678", "Số thẻ đảng viên: mã “12/345678” không hợp lệ"),
        ("citizen_id", FULL_WIDTH_ID, "Số CCCD phải gồm đúng 12 chữ số"),
    ],
)
def test_a_correction_refuses_a_malformed_number(world, field, value, message):
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    url = f"/members/{world.other_member.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(url, {**data, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert getattr(Member.unscoped.get(pk=world.other_member.pk), field) != value


def test_the_import_refuses_a_malformed_card_number_or_citizen_id(world, tmp_path):
    rows = [row("K1", card="1234/5678"), row("K2", cid=FULL_WIDTH_ID)]
    path = write_csv(tmp_path / "members.csv", MEMBER_HEADERS, rows)
    client = world.client(Role.OFFICER)
    with path.open("rb") as handle:
        preview = client.post("/imports/members/", {"file": handle})["Location"]
    page = client.get(preview).content.decode()
    assert "Tệp hợp lệ" not in page
    assert "<tr><td>2</td><td>Số thẻ đảng viên</td><td>mã “1234/5678” không hợp lệ" in page
    assert "<tr><td>3</td><td>Số CCCD</td><td>số CCCD phải gồm đúng 12 chữ số." in page
    code, out, err = run_import(path)
    assert code == 1
    assert 'dòng 2, cột "Số thẻ đảng viên": mã “1234/5678” không hợp lệ' in out + err
    assert 'dòng 3, cột "Số CCCD": số CCCD phải gồm đúng 12 chữ số.' in out + err
    assert not Member.unscoped.filter(code__in=["K1", "K2"]).exists()
