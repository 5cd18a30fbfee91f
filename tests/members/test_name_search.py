"""A name search finds members by the names they bear now, however the record was written (the
form, an import, a rename), and gives the same list when so many names match that it is checked
along the name order instead (on PostgreSQL, members/search.name_keys)."""

from django.core.management import call_command

from dangvien.core.roles import Role
from dangvien.members import search
from tests.factories import MemberFactory
from tests.members.test_member_list import names_on
from tests.spreadsheets import MEMBER_HEADERS, write_xlsx


def listed(client, text: str) -> list[str]:
    return names_on(client.get("/members/", {"q": text}))


def test_a_renamed_member_is_found_by_the_new_name_and_not_the_old(world):
    member = MemberFactory(full_name="Nguyễn Thị Hoa", branch=world.branch)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    assert listed(client, "thi hoa") == ["Nguyễn Thị Hoa"]
    url = f"/members/{member.pk}/edit/"
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert client.post(url, {**data, "full_name": "Nguyễn Thị Khuê"}).status_code == 302
    assert listed(client, "thi khue") == ["Nguyễn Thị Khuê"]
    assert listed(client, "thi hoa") == []


def test_an_imported_member_is_found_by_name(world, tmp_path):
    row = ["DV900001", "Đinh Thị Xuyến", "Nữ", "15/04/1985", world.branch.code, "03/02/2010"]
    row += ["03/02/2011", "", "", "Kinh", "Không", "", "", "", "Đại học", ""]
    call_command("import", "members", str(write_xlsx(tmp_path / "m.xlsx", MEMBER_HEADERS, [row])))
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    assert listed(client, "dinh xuyen") == ["Đinh Thị Xuyến"]


def test_more_matching_names_than_the_cap_give_the_same_list(world, monkeypatch):
    # "Hà Thị Tâm" sorts between the two names of "van tam" and is not one of them.
    for name in (
        "Lê Văn Tâm",
        "Đỗ Văn Tâm",
        "Hà Thị Tâm",
        "Lê Văn Tâm",
        "Phạm Thị Tâm",
        "Vũ Văn Tấn",
    ):
        MemberFactory(full_name=name, branch=world.branch)
    client = world.client(Role.OFFICER)
    client.get("/members/", {"cols": ["full_name"]})
    by_name = listed(client, "van tam")
    assert by_name == ["Đỗ Văn Tâm", "Lê Văn Tâm", "Lê Văn Tâm"]
    monkeypatch.setattr(search, "NAME_KEY_CAP", 1)  # two names match: their span of the order
    assert listed(client, "van tam") == by_name
    assert listed(client, "tam") == [
        "Đỗ Văn Tâm",
        "Hà Thị Tâm",
        "Lê Văn Tâm",
        "Lê Văn Tâm",
        "Phạm Thị Tâm",
    ]
