"""Every restructuring page finds its organisation the same way as the page correcting its
code: a rename, move or dissolve page opened on an organisation imported with a code from
before the code rules, and sent after an officer corrected that code, is refused with the
correction named (not a 404), then saves once the officer has seen it."""

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import OrganizationFactory

LEGACY = "P.U1/01 02"  # a "/" and a space: refused by today's code rules
ADDRESS = "P.U1%252F01%2002"  # as the pages link to it (core/converters.py)


def fresh(org: Organization) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


@pytest.fixture
def legacy(world) -> Organization:
    """A sub-branch as an import before the code rules left it: the code written with the ORM,
    past every validation."""
    org = OrganizationFactory(
        code="TAM-THOI",
        name="Chi bộ Cũ",
        kind=OrgKind.SUB_BRANCH,
        parent=world.base,
        founded_on=datetime.date(2000, 1, 1),
    )
    Organization.unscoped.filter(pk=org.pk).update(code=LEGACY)
    return fresh(org)


@pytest.fixture
def other_base(world) -> Organization:
    """A second base committee in the officer's scope, to move the sub-branch under."""
    return OrganizationFactory(
        code="P.U1.02", name="Đảng bộ Trường THCS", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )


def version_on(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["form"]["version"].value()


def today() -> str:
    return f"{timezone.localdate():%d/%m/%Y}"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("rename", {"name": "Chi bộ Mới"}),
        ("move", {"parent_code": "P.U1.02"}),
        ("dissolve", {"effective_on": "today", "reason": "Sáp nhập vào chi bộ khác"}),
    ],
)
def test_a_page_opened_before_the_code_was_corrected(world, legacy, other_base, action, data):
    data = {**data, "effective_on": today()} if "effective_on" in data else data
    officer, admin = world.client(Role.OFFICER), world.client(Role.ADMIN)
    old_page = f"/orgs/{ADDRESS}/{action}/"
    opened = version_on(officer, old_page)
    correct = f"/orgs/{ADDRESS}/code/"
    corrected = {"code": "P.U1.01.09", "version": version_on(admin, correct)}
    assert admin.post(correct, corrected).status_code == 302

    response = officer.post(old_page, {**data, "version": opened})

    text = response.content.decode()
    assert response.status_code == 400
    assert "sau khi bạn mở trang" in text and f"{LEGACY} → P.U1.01.09" in text
    org = fresh(legacy)
    assert (org.name, org.parent_id, org.ended_on) == ("Chi bộ Cũ", world.base.pk, None)
    assert not AuditEntry.unscoped.filter(action=f"org.{action}").exists()

    again = dict(response.context["form"].data.items())  # now carries the version shown
    response = officer.post(old_page, again)
    assert response.status_code == 302 and response["Location"] == "/orgs/P.U1.01.09/"
    assert AuditEntry.unscoped.filter(action=f"org.{action}", target_id=legacy.pk).count() == 1


@pytest.mark.parametrize("code", ["P.U1.01\u202e09", "P.U1.01\t09", "P.U1.01\x0709"])
def test_a_code_with_characters_refused_today_does_not_block_a_rename_or_dissolve(
    world, legacy, code
):
    """The last check before the database looks at the columns a save writes: a legacy code
    (a bidi override, a tab, a control character) left alone by a rename is no reason to
    refuse it. (A code longer than its column cannot be stored by PostgreSQL at all.)"""
    Organization.unscoped.filter(pk=legacy.pk).update(code=code)
    officer = world.client(Role.OFFICER)
    address = f"/orgs/{quote(code.replace('%', '%25').replace('/', '%2F'), safe='')}"
    page = f"{address}/rename/"
    response = officer.post(page, {"name": "Chi bộ Mới", "version": version_on(officer, page)})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert fresh(legacy).name == "Chi bộ Mới"
    page = f"{address}/dissolve/"
    data = {"effective_on": today(), "reason": "Sáp nhập", "version": version_on(officer, page)}
    assert officer.post(page, data).status_code == 302
    assert fresh(legacy).ended_on == timezone.localdate()
