"""Two officers restructure one organisation from pages opened at the same time: the second save
is refused with what changed, and nothing is overwritten."""

import pytest
from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def open_form(client, url) -> dict:
    form = client.get(url).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def fresh(org) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


@pytest.fixture
def officers(world):
    return signed_in(world, Role.OFFICER), signed_in(world, Role.ADMIN)


def test_second_rename_is_refused_and_names_the_first(world, officers):
    first, second = officers
    url = f"/orgs/{world.branch.code}/rename/"
    first_data, second_data = open_form(first, url), open_form(second, url)
    assert first_data["version"]  # the page carries the version it read

    assert first.post(url, {**first_data, "name": "Chi bộ Tổ Toán – Tin"}).status_code == 302
    response = second.post(url, {**second_data, "name": "Chi bộ Toán học"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tổ chức đã được" in page and "sau khi bạn mở trang" in page
    assert "Tên: Chi bộ Tổ Toán → Chi bộ Tổ Toán – Tin" in page
    assert world.users[Role.OFFICER].full_name in page
    assert 'value="Chi bộ Toán học"' in page  # the typed name is kept
    assert fresh(world.branch).name == "Chi bộ Tổ Toán – Tin"
    renames = AuditEntry.unscoped.filter(action="org.rename")
    assert [e.changes for e in renames] == [{"name": ["Chi bộ Tổ Toán", "Chi bộ Tổ Toán – Tin"]}]

    # Saving again, knowingly, over what the page now shows works; so does a reopened page.
    refused = response.context["form"]
    again = {name: refused[name].value() or "" for name in refused.fields}
    assert second.post(url, again).status_code == 302
    assert fresh(world.branch).name == "Chi bộ Toán học"
    reopened = open_form(first, url)
    assert first.post(url, {**reopened, "name": "Chi bộ Tổ Toán"}).status_code == 302
    assert fresh(world.branch).name == "Chi bộ Tổ Toán"


def test_a_rename_makes_an_open_dissolve_page_stale(world, officers):
    first, second = officers
    dissolve_url = f"/orgs/{world.other_branch.code}/dissolve/"
    stale = open_form(second, dissolve_url)
    rename_url = f"/orgs/{world.other_branch.code}/rename/"
    first.post(rename_url, {**open_form(first, rename_url), "name": "Chi bộ Tổ Văn – Sử"})
    response = second.post(
        dissolve_url, {**stale, "effective_on": "01/01/2026", "reason": "Sáp nhập"}
    )
    assert "Tên: Chi bộ Tổ Văn → Chi bộ Tổ Văn – Sử" in response.content.decode()
    assert fresh(world.other_branch).ended_on is None
    assert not AuditEntry.unscoped.filter(action="org.dissolve").exists()


def test_second_move_is_refused(world):
    first, second = signed_in(world, Role.ADMIN), signed_in(world, Role.ADMIN)
    url = f"/orgs/{world.base.code}/move/"
    first_data, second_data = open_form(first, url), open_form(second, url)
    target = world.outside_upper.code
    assert first.post(url, {**first_data, "parent_code": target}).status_code == 302
    response = second.post(url, {**second_data, "parent_code": target})
    page = response.content.decode()
    assert "Tổ chức đã được" in page and f"Cấp trên: {world.upper.code} → {target}" in page
    assert fresh(world.base).parent_id == world.outside_upper.pk
    assert AuditEntry.unscoped.filter(action="org.move").count() == 1


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("rename", "name", "Chi bộ Toán"), ("dissolve", "effective_on", "01/01/2026")],
)
def test_a_post_without_the_version_is_refused_and_asks_to_reload(
    world, officers, action, field, value
):
    """A page without the hidden version (opened before versions, or hand-made) saves nothing."""
    url = f"/orgs/{world.branch.code}/{action}/"
    data = open_form(officers[0], url)
    del data["version"]
    response = officers[0].post(url, {**data, field: value, "reason": "Sáp nhập"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Trang bạn dùng đã cũ" in page and "hãy tải lại trang" in page
    org = fresh(world.branch)
    assert (org.name, org.ended_on) == ("Chi bộ Tổ Toán", None)
    assert not AuditEntry.unscoped.filter(action__startswith="org.").exists()
