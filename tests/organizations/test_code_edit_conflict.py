"""Two officers open the page correcting an organisation's code and both save: the first wins,
the second (posting to the old address) is refused with the change named, nothing is
overwritten, and the history shows only the first change."""

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization


def page(code: str) -> str:
    return f"/orgs/{code}/code/"


def opened(client, code: str) -> str:
    return client.get(page(code)).context["form"]["version"].value()


def code_history() -> list[dict]:
    entries = AuditEntry.unscoped.filter(action="org.change_code").order_by("id")
    return [entry.changes for entry in entries]


def test_the_second_code_change_is_refused_with_the_first_named(world):
    old = world.base.code
    first, second = world.client(Role.OFFICER), world.client(Role.ADMIN)
    first_version, second_version = opened(first, old), opened(second, old)
    response = first.post(page(old), {"code": "P.U1.11", "version": first_version})
    assert response.status_code == 302 and response["Location"] == "/orgs/P.U1.11/"

    response = second.post(page(old), {"code": "P.U1.22", "version": second_version})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Tổ chức đã được" in text and "sau khi bạn mở trang" in text
    assert world.users[Role.OFFICER].full_name in text
    assert f"{old} → P.U1.11" in text
    assert Organization.unscoped.get(pk=world.base.pk).code == "P.U1.11"
    assert code_history() == [{"code": [old, "P.U1.11"]}]

    # The refused form carries the version now shown: saving again applies knowingly.
    again = dict(response.context["form"].data.items())
    assert again["code"] == "P.U1.22"
    response = second.post(page(old), again)
    assert response.status_code == 302 and response["Location"] == "/orgs/P.U1.22/"
    assert code_history() == [{"code": [old, "P.U1.11"]}, {"code": ["P.U1.11", "P.U1.22"]}]


def test_a_rename_meanwhile_makes_the_code_page_stale(world):
    old = world.base.code
    officer, admin = world.client(Role.OFFICER), world.client(Role.ADMIN)
    version = opened(officer, old)
    rename = admin.get(f"/orgs/{old}/rename/").context["form"]["version"].value()
    data = {"name": "Đảng bộ Trường Hòa Bình", "version": rename}
    assert admin.post(f"/orgs/{old}/rename/", data).status_code == 302

    text = officer.post(page(old), {"code": "P.U1.33", "version": version}).content.decode()
    assert "Đảng bộ Trường Hòa Bình" in text and "sau khi bạn mở trang" in text
    assert Organization.unscoped.get(pk=world.base.pk).code == old
    assert code_history() == []


def test_a_save_without_the_version_is_refused(world):
    old = world.base.code
    response = world.client(Role.OFFICER).post(page(old), {"code": "P.U1.44"})
    assert "Trang bạn dùng đã cũ" in response.content.decode()
    assert Organization.unscoped.get(pk=world.base.pk).code == old


def test_the_old_address_reveals_nothing_outside_the_scope(world):
    old = world.base.code
    officer = world.client(Role.OFFICER)
    assert (
        officer.post(page(old), {"code": "P.U1.55", "version": opened(officer, old)}).status_code
        == 302
    )
    outsider = world.client("outside_officer")
    assert outsider.get(page(old)).status_code == 404
    assert outsider.post(page(old), {"code": "P.U1.66", "version": "1.0"}).status_code == 404
    assert Organization.unscoped.get(pk=world.base.pk).code == "P.U1.55"
