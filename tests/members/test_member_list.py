"""The member list: scope, filters, diacritic-free search, Vietnamese name order, export."""

import csv
import io

from openpyxl import load_workbook

from dangvien.core.roles import Role
from dangvien.members.models import Gender
from tests.factories import MemberFactory


def names_on(page) -> list[str]:
    body = page.content.decode()
    table = body.split('id="members"')[1].split("</table>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in table.split('href="/members/')[1:]]


def test_officer_sees_the_subtree_in_vietnamese_order(world):
    for name in ("Phạm An", "Lê Đức Anh", "Đỗ Thị Ân", "Vũ Dũng"):
        MemberFactory(full_name=name, branch=world.other_branch)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code"]})
    names = names_on(client.get("/members/"))
    assert names == [
        "Nguyễn Văn An",
        "Phạm An",
        "Lê Đức Anh",
        "Đỗ Thị Ân",
        "Trần Thị Bình",
        "Vũ Dũng",
    ]


def test_search_ignores_diacritics_and_case(world):
    MemberFactory(full_name="Nguyễn Đức Thắng", branch=world.branch)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    assert names_on(client.get("/members/", {"q": "NGUYEN DUC"})) == ["Nguyễn Đức Thắng"]
    assert names_on(client.get("/members/", {"q": "duc th"})) == ["Nguyễn Đức Thắng"]
    assert names_on(client.get("/members/", {"q": "DV-TRONG-2"})) == ["Trần Thị Bình"]


def test_secretary_sees_only_the_branch(world):
    client = world.client(Role.SECRETARY)
    client.get("/members/", {"cols": ["full_name"]})
    assert names_on(client.get("/members/")) == ["Nguyễn Văn An"]


def test_filters_combine(world):
    MemberFactory(
        full_name="Hoàng Thị Mai",
        gender=Gender.FEMALE,
        qualification="Thạc sĩ",
        branch=world.branch,
        ethnicity="Tày",
    )
    MemberFactory(
        full_name="Hoàng Văn Nam",
        gender=Gender.MALE,
        qualification="Thạc sĩ",
        branch=world.branch,
        ethnicity="Tày",
    )
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    found = names_on(
        client.get("/members/", {"gender": "Nữ", "qualification": "Thạc sĩ", "ethnicity": "Tày"})
    )
    assert found == ["Hoàng Thị Mai"]
    assert names_on(client.get("/members/", {"org": world.other_branch.code})) == ["Trần Thị Bình"]
    assert names_on(
        client.get("/members/", {"admitted_year": "2010", "org": world.branch.code, "q": "van an"})
    ) == ["Nguyễn Văn An"]


def test_age_filter_counts_whole_years(world):
    MemberFactory(
        full_name="Trẻ Tuổi",
        birth_date="2000-01-01",
        admitted_on="2019-01-01",
        official_on="2020-01-01",
        branch=world.branch,
    )
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    assert "Trẻ Tuổi" in names_on(client.get("/members/", {"age_to": "30"}))
    assert "Trẻ Tuổi" not in names_on(client.get("/members/", {"age_from": "31"}))


def test_csv_export_escapes_formulas_and_reimports(world):
    MemberFactory(full_name="=HYPERLINK(1)", branch=world.branch)
    response = world.client(Role.OFFICER).get("/members/export.csv", {"all_columns": "1"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == [
        "Mã đảng viên",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Mã chi bộ",
        "Ngày vào Đảng",
    ]
    names = [row[1] for row in rows[1:]]
    assert "'=HYPERLINK(1)" in names
    assert not any("NGOAIPHAMVI" in cell for row in rows for cell in row)
    assert len(rows) == 4


def test_xlsx_export_follows_the_filters(world):
    response = world.client(Role.OFFICER).get("/members/export.xlsx", {"q": "tran thi"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert "Trần Thị Bình" in values[1]


def test_member_role_cannot_list(world):
    assert world.client(Role.MEMBER).get("/members/").status_code == 403


def test_search_finds_the_words_in_order_and_codes_by_their_beginning(world):
    """Issue 12: "nguyen dat" (the middle name skipped) found 0, so did "sh000345" in lower
    case and the partial code "SH0003"."""
    dat = MemberFactory(code="SH000345", full_name="Nguyễn Tiến Đạt", branch=world.branch)
    MemberFactory(code="SH000346", full_name="Đạt Văn Nguyên", branch=world.branch)  # not in order
    MemberFactory(code="SH000501", full_name="Lê Văn Hùng", branch=world.branch)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code"]})
    assert names_on(client.get("/members/", {"q": "nguyen dat"})) == [dat.full_name]
    assert names_on(client.get("/members/", {"q": "sh000345"})) == [dat.full_name]
    assert names_on(client.get("/members/", {"q": "SH0003"})) == [  # by given name
        "Nguyễn Tiến Đạt",
        "Đạt Văn Nguyên",
    ]
    assert names_on(client.get("/members/", {"q": "50%"})) == []  # a wildcard is a character


def test_a_code_prefix_matching_too_many_members_is_not_taken_as_a_code(world, monkeypatch):
    from dangvien.members import search

    MemberFactory.create_batch(3, branch=world.branch)  # codes DV000…
    monkeypatch.setattr(search, "CODE_PREFIX_CAP", 2)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code"]})
    assert names_on(client.get("/members/", {"q": "DV0"})) == []


def test_the_search_box_comes_first_and_the_other_filters_fold(world):
    """On a 390 px phone, 1,200 px of filters came before the first member (issue 12)."""
    client = world.client(Role.OFFICER)
    page = client.get("/members/").content.decode()
    assert page.index('class="skip-link" href="#content"') < page.index('class="sidenav"')
    form = page.split('id="member-filters"')[1].split("</form>")[0]
    assert form.index('id="q"') < form.index('<details class="more-filters">')
    filtered = client.get("/members/", {"gender": Gender.FEMALE}).content.decode()
    assert '<details class="more-filters" open><summary>Lọc thêm (1 đang dùng)' in filtered


def test_xlsx_export_writes_dates_as_dates_and_codes_as_text(world):
    """Exported dates were text, which Excel sorts as text (issue 12)."""
    import datetime

    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code", "birth_date", "admitted_on"]})
    response = client.get("/members/export.xlsx", {"q": "tran thi"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    birth = row["Ngày sinh"]
    assert isinstance(birth.value, datetime.datetime) and birth.number_format == "dd/mm/yyyy"
    assert birth.value.date() == world.other_member.birth_date
    assert row["Mã đảng viên"].value == world.other_member.code


def test_a_code_prefix_counts_only_the_members_the_user_sees(world, monkeypatch):
    """Members outside the scope sharing the prefix do not push the user's own out."""
    from dangvien.members import search

    mine = MemberFactory(code="SH000101", full_name="Hà Văn Trong", branch=world.branch)
    for number in range(3):
        MemberFactory(code=f"SH00020{number}", branch=world.outside_branch)
    monkeypatch.setattr(search, "CODE_PREFIX_CAP", 2)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name", "code"]})
    assert names_on(client.get("/members/", {"q": "sh00"})) == [mine.full_name]
