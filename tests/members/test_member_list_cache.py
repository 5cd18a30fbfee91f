"""The member list served from its cache: the table comes from the cache only under the scope and
data version it was rendered for; the rest of the page (the user's name, the CSRF token, the
messages, the menu) is made for each request."""

from dangvien.core.roles import Role
from dangvien.members.services import update_member
from tests.conftest import OUTSIDE_MARK
from tests.factories import PASSWORD, user_with_role


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def table_of(response) -> str:
    return response.content.decode().split('id="member-filters"')[1]


def test_an_edit_in_scope_shows_on_the_next_list(world, django_assert_max_num_queries):
    client = world.client(Role.OFFICER)
    assert "Trần Thị Bình" in client.get("/members/").content.decode()
    # Served from the cache: the session, the user, the roles, the user's own record and the
    # scope's data version; no member is read.
    with django_assert_max_num_queries(5):
        assert "Trần Thị Bình" in client.get("/members/").content.decode()
    update_member(world.users[Role.ADMIN], world.other_member, {"full_name": "Trần Thị Bích"})
    page = client.get("/members/").content.decode()
    assert "Trần Thị Bích" in page and "Trần Thị Bình" not in page


def test_an_edit_through_the_form_shows_on_the_list_with_its_message(world):
    """The message of a save shows on whichever page comes next, here the cached list, and the
    list shows the change."""
    client = world.client(Role.OFFICER)
    client.get("/members/")  # cached
    url = f"/members/{world.other_member.pk}/edit/"
    response = client.post(url, {**open_form(client, url), "full_name": "Trần Thị Bích"})
    assert response.status_code == 302
    page = client.get("/members/").content.decode()
    assert "Đã lưu hồ sơ; thay đổi được ghi vào lịch sử." in page
    assert "Trần Thị Bích" in page
    again = client.get("/members/").content.decode()
    assert "Đã lưu hồ sơ" not in again  # shown once
    assert "Trần Thị Bích" in again


def test_a_user_of_another_scope_never_gets_the_cached_table(world):
    officer = world.client(Role.OFFICER)
    inside = officer.get("/members/").content.decode()
    assert "Trần Thị Bình" in inside and OUTSIDE_MARK not in inside
    secretary = world.client(Role.SECRETARY).get("/members/").content.decode()
    assert "Nguyễn Văn An" in secretary and "Trần Thị Bình" not in secretary
    outside = world.client("outside_officer").get("/members/").content.decode()
    assert f"Lê {OUTSIDE_MARK}" in outside
    assert "Trần Thị Bình" not in outside and "Nguyễn Văn An" not in outside
    # and the officer's own table is still theirs
    assert table_of(officer.get("/members/")) == inside.split('id="member-filters"')[1]


def test_two_users_of_one_scope_share_the_table_but_not_the_header(world):
    """A second officer of the same subtree is served the cached table; the name in the header,
    the sign-out form's CSRF token and the menu are their own."""
    user_with_role(Role.OFFICER, world.upper, "canbo2")
    first = world.client(Role.OFFICER)
    second = world.client(None)
    assert second.login(username="canbo2", password=PASSWORD)
    first_page = first.get("/members/")
    second_page = second.get("/members/")
    assert table_of(second_page) == table_of(first_page)
    text = second_page.content.decode()
    assert 'title="canbo2"' in text and 'title="canbo"' not in text
    tokens = [
        page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        for page in (first_page, second_page)
    ]
    assert tokens[0] != tokens[1]
    assert 'href="/members/" class="active" aria-current="page"' in text


def test_the_menu_follows_each_users_roles_and_page(world):
    officer = world.client(Role.OFFICER)
    member = world.client(Role.MEMBER)
    officer_page = officer.get("/members/").content.decode()
    assert "Nhập đảng viên" in officer_page and "Hồ sơ của tôi" not in officer_page
    member_home = member.get("/").content.decode()
    assert "Hồ sơ của tôi" in member_home and "Nhập đảng viên" not in member_home
    assert 'href="/" class="active"' in member_home
    tree = officer.get("/orgs/").content.decode()
    assert 'href="/members/" class="active"' not in tree
