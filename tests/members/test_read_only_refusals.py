"""A user who may read a record but not change it is told so (403 «Không có quyền»), not that
the record does not exist; outside the scope nothing is said (404). A member's own page links
only to what the member may open."""

from dangvien.core.roles import Role


def test_the_inspector_is_told_edit_pages_are_not_theirs(world):
    client = world.client(Role.INSPECTOR)
    assert client.get(f"/members/{world.member.pk}/").status_code == 200
    for url in (
        f"/members/{world.member.pk}/edit/",
        f"/orgs/{world.branch.code}/rename/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in response.content.decode()
        assert "chỉ được xem" in response.content.decode()


def test_outside_the_scope_the_edit_page_says_nothing(world):
    client = world.client(Role.INSPECTOR)
    assert client.get(f"/members/{world.outside_member.pk}/edit/").status_code == 404
    assert client.get(f"/orgs/{world.outside_branch.code}/rename/").status_code == 404


def test_a_member_sees_the_branch_name_without_a_link_they_cannot_open(world):
    client = world.client(Role.MEMBER)
    own = client.get("/members/me/", follow=True)
    page = own.content.decode()
    assert world.member.branch.name in page
    assert f'href="/orgs/{world.member.branch.code}/"' not in page
    home = client.get("/").content.decode()
    assert f'href="/orgs/{world.member.branch.code}/"' not in home
    assert "và các tổ chức trực thuộc" not in home
