"""A version token binds the record it was read from: a token read on one record's page and
sent to change another record (at the same version number) is refused, never applied; "*"
(any version) protects nothing and is refused like no version at all."""

import pytest
from django.test import Client

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.members.models import Member


def signed_in(world, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def edit_url(member: Member) -> str:
    return f"/members/{member.pk}/edit/"


def open_form(client, member: Member) -> dict:
    form = client.get(edit_url(member)).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def same_version(world):
    """The two members of the officer's scope, each edited once: both at version 2, each with
    a history of its own."""
    officer = signed_in(world, Role.OFFICER)
    for member, residence in ((world.member, "Tổ 1"), (world.other_member, "Tổ 2")):
        data = open_form(officer, member)
        assert officer.post(edit_url(member), {**data, "residence": residence}).status_code == 302
    first, second = (Member.unscoped.get(pk=m.pk) for m in (world.member, world.other_member))
    assert first.version == second.version == 2
    return officer, first, second


def updates_of(member: Member) -> int:
    return AuditEntry.unscoped.filter(action="member.update", target_id=member.pk).count()


def test_a_token_read_from_one_member_is_refused_on_another(world, same_version):
    officer, first, second = same_version
    token_of_first = open_form(officer, first)["version"]
    data = {**open_form(officer, second), "phone": "0912345678", "version": token_of_first}

    response = officer.post(edit_url(second), data)

    page = response.content.decode()
    assert response.status_code == 400  # refused: said at the top, the input kept
    assert "phiên bản gửi kèm không được đọc từ chính hồ sơ này" in page
    assert 'value="0912345678"' in page  # what the officer typed is kept
    assert Member.unscoped.get(pk=second.pk).phone == ""
    assert updates_of(second) == 1

    # The refused form now carries the second member's own version: saving again applies.
    again = response.context["form"]
    resent = {name: again[name].value() or "" for name in again.fields}
    assert resent["version"] != token_of_first
    assert officer.post(edit_url(second), resent).status_code == 302
    assert Member.unscoped.get(pk=second.pk).phone == "0912345678"
    assert Member.unscoped.get(pk=first.pk).phone == ""


def test_a_page_opened_before_tokens_were_bound_still_saves_its_own_record(world, same_version):
    """A token without its mark ("<version>.<history entry>", as pages opened before carried
    it) is accepted on the record whose history entry it names, and on no other."""
    officer, first, second = same_version
    legacy_first = open_form(officer, first)["version"].rsplit(".", 1)[0]
    legacy_second = open_form(officer, second)["version"].rsplit(".", 1)[0]
    assert legacy_first.count(".") == legacy_second.count(".") == 1

    data = {**open_form(officer, second), "phone": "0912345678", "version": legacy_first}
    response = officer.post(edit_url(second), data)
    assert response.status_code == 400  # refused: said at the top, the input kept
    assert "không được đọc từ chính hồ sơ này" in response.content.decode()
    assert Member.unscoped.get(pk=second.pk).phone == ""

    data["version"] = legacy_second
    assert officer.post(edit_url(second), data).status_code == 302
    assert Member.unscoped.get(pk=second.pk).phone == "0912345678"


def test_a_bare_version_number_is_refused(world, same_version):
    officer, _first, second = same_version
    data = {**open_form(officer, second), "phone": "0912345678", "version": "2"}
    response = officer.post(edit_url(second), data)
    assert response.status_code == 400  # refused: said at the top, the input kept
    assert "không được đọc từ chính hồ sơ này" in response.content.decode()
    assert Member.unscoped.get(pk=second.pk).phone == ""


def test_any_version_is_refused_like_no_version(world):
    officer = signed_in(world, Role.OFFICER)
    data = {**open_form(officer, world.member), "phone": "0912345678", "version": "*"}
    response = officer.post(edit_url(world.member), data)
    page = response.content.decode()
    assert response.status_code == 400  # refused: said at the top, the input kept
    assert "Phiên bản «*» (bất kỳ phiên bản nào) không được chấp nhận" in page
    assert Member.unscoped.get(pk=world.member.pk).phone == ""
    assert not AuditEntry.unscoped.filter(action="member.update").exists()


def test_an_organisation_page_token_is_refused_on_another_organisation(world):
    """The same on the restructuring pages: a rename page's version belongs to its own
    organisation (both branches here are at version 1, with no history)."""
    officer = signed_in(world, Role.OFFICER)
    branch, other = world.branch, world.other_branch
    assert branch.version == other.version == 1
    token = officer.get(f"/orgs/{branch.code}/rename/").context["form"]["version"].value()
    response = officer.post(f"/orgs/{other.code}/rename/", {"name": "Chi bộ Văn", "version": token})
    assert response.status_code == 400  # refused: said at the top, the input kept
    assert "không được đọc từ chính hồ sơ này" in response.content.decode()
    assert not AuditEntry.unscoped.filter(action="org.rename").exists()
