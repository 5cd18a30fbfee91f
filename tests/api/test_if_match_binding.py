"""The API's ETag belongs to the organisation it was read from: sent in If-Match (or as
`version`) to change another organisation it is refused with 412, whatever the version numbers;
"If-Match: *" is refused with 428 like no version; an organisation whose code predates the code
rules, or whose code changed since the client read it, is edited like any other."""

from django.test import Client
from django.utils import timezone

from dangvien.core.models import AuditEntry
from dangvien.core.roles import Role
from dangvien.organizations.models import Organization, OrgKind
from tests.factories import OrganizationFactory


def api(world, role: str = Role.ADMIN) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def etag(client, code: str) -> str:
    response = client.get(f"/api/v1/organizations/{code}/")
    assert response.status_code == 200, response.content
    return response["ETag"]


def post(client, code: str, action: str, body: dict, **headers):
    return client.post(
        f"/api/v1/organizations/{code}/{action}/",
        body,
        content_type="application/json",
        headers=headers,
    )


def fresh(org: Organization) -> Organization:
    return Organization.unscoped.get(pk=org.pk)


def test_an_etag_read_from_one_organisation_is_refused_on_another(world):
    client = api(world)
    branch, other = world.branch, world.other_branch
    assert branch.version == other.version == 1
    read_branch = etag(client, branch.code)

    response = post(client, other.code, "rename", {"name": "Chi bộ Văn"}, If_Match=read_branch)

    assert response.status_code == 412, response.content
    assert "không được đọc từ chính hồ sơ này" in response.json()["detail"]
    assert response["ETag"] == etag(client, other.code)  # the other's own, to read and retry
    assert response.json()["version"] == response["ETag"].strip('"')
    assert fresh(other).name == "Chi bộ Tổ Văn"
    assert not AuditEntry.unscoped.filter(action="org.rename").exists()

    response = post(client, other.code, "rename", {"name": "Chi bộ Văn"}, If_Match=response["ETag"])
    assert response.status_code == 200
    assert fresh(other).name == "Chi bộ Văn"


def test_the_version_field_of_another_organisation_is_refused_too(world):
    """Both organisations edited once (version 2, each with its own history): the body's
    `version` of one does not change the other, on any of the three edits."""
    client = api(world)
    branch, other = world.branch, world.other_branch
    for org in (branch, other):
        body = {"name": f"{org.name} (mới)", "version": etag(client, org.code)}
        assert post(client, org.code, "rename", body).status_code == 200
    version_of_branch = client.get(f"/api/v1/organizations/{branch.code}/").json()["version"]
    assert fresh(branch).version == fresh(other).version == 2
    for action, body in (
        ("rename", {"name": "Chi bộ Văn"}),
        ("move", {"parent_code": world.outside_base.code}),
        ("dissolve", {"effective_on": "2026-01-01", "reason": "Sáp nhập chi bộ"}),
    ):
        response = post(client, other.code, action, {**body, "version": version_of_branch})
        assert response.status_code == 412, (action, response.content)
    other_now = fresh(other)
    assert (other_now.name, other_now.parent_id, other_now.ended_on) == (
        "Chi bộ Tổ Văn (mới)",
        world.base.pk,
        None,
    )


def test_a_bare_version_number_says_nothing_of_the_record_and_is_refused(world):
    client = api(world)
    for body, headers in (({"version": "1"}, {}), ({"version": 1}, {}), ({}, {"If_Match": '"1"'})):
        response = post(client, world.other_branch.code, "rename", {"name": "X", **body}, **headers)
        assert response.status_code == 412, (body, headers, response.content)
    assert fresh(world.other_branch).name == "Chi bộ Tổ Văn"
    # "1.0" ("version 1, no history") is what the branch itself showed before tokens were
    # bound: it is still accepted there while it is true.
    response = post(client, world.other_branch.code, "rename", {"name": "Y"}, If_Match='"1.0"')
    assert response.status_code == 200 and fresh(world.other_branch).name == "Y"


def test_if_match_star_is_428_and_changes_nothing(world):
    client = api(world)
    code = world.branch.code
    for action, body, headers in (
        ("rename", {"name": "Chi bộ Toán"}, {"If_Match": "*"}),
        ("move", {"parent_code": world.outside_base.code}, {"If_Match": "*"}),
        ("dissolve", {"effective_on": "2026-01-01", "reason": "Sáp nhập"}, {"If_Match": "*"}),
        ("rename", {"name": "Chi bộ Toán", "version": "*"}, {}),
    ):
        response = post(client, code, action, body, **headers)
        assert response.status_code == 428, (action, response.content)
        detail = response.json()["detail"]
        assert "Thiếu phiên bản đã đọc" in detail and "«If-Match: *»" in detail
    org = fresh(world.branch)
    assert (org.name, org.parent_id, org.ended_on) == ("Chi bộ Tổ Toán", world.base.pk, None)
    assert not AuditEntry.unscoped.filter(action__startswith="org.").exists()


def test_the_list_gives_each_organisation_its_own_version(world):
    client = api(world, Role.OFFICER)
    items = client.get("/api/v1/organizations/").json()["results"]
    assert len(items) == 4
    for item in items:
        assert item["version"] == etag(client, item["code"]).strip('"'), item["code"]
    assert len({item["version"] for item in items}) == 4


def test_the_schema_says_star_and_another_record_are_refused(world):
    schema = api(world).get("/api/v1/schema/", {"format": "json"}).json()
    rename = schema["paths"]["/api/v1/organizations/{code}/rename/"]["post"]
    if_match = next(p for p in rename["parameters"] if p["name"] == "If-Match")["description"]
    assert "«If-Match: *» (khớp mọi phiên bản) không được chấp nhận và cũng trả 428" in if_match
    assert "hoặc ETag đọc từ một tổ chức khác: 412" in if_match
    assert "đọc từ một tổ chức khác" in rename["responses"]["412"]["description"]
    assert "«If-Match: *»" in rename["responses"]["428"]["description"]
    version = schema["components"]["schemas"]["Organization"]["properties"]["version"]
    assert version["type"] == "string" and "tổ chức khác bị từ chối (412)" in version["description"]


def legacy(world, code: str, kind=OrgKind.SUB_BRANCH) -> Organization:
    """An organisation as imported before codes were checked: its code is written with the ORM,
    past every validation."""
    org = OrganizationFactory(code="TAM-THOI", name="Chi bộ Cũ", kind=kind, parent=world.base)
    Organization.unscoped.filter(pk=org.pk).update(code=code)
    return fresh(org)


def test_an_organisation_with_a_legacy_code_is_renamed_moved_and_dissolved(world):
    """ "/" and "%" travel percent-encoded in the URL, as on the web pages."""
    org = legacy(world, "P.U1/01%02")
    other_base = OrganizationFactory(
        code="P.U1.02", name="Đảng bộ Trường THCS", kind=OrgKind.BASE_COMMITTEE, parent=world.upper
    )
    client = api(world, Role.OFFICER)
    encoded = "P.U1%252F01%252502"
    assert client.get(f"/api/v1/organizations/{encoded}/").json()["code"] == "P.U1/01%02"

    response = post(
        client, encoded, "rename", {"name": "Chi bộ Mới"}, If_Match=etag(client, encoded)
    )
    assert response.status_code == 200, response.content
    body = {"parent_code": other_base.code}
    response = post(client, encoded, "move", body, If_Match=response["ETag"])
    assert response.status_code == 200, response.content
    body = {"effective_on": timezone.localdate().isoformat(), "reason": "Sáp nhập"}
    response = post(client, encoded, "dissolve", body, If_Match=response["ETag"])
    assert response.status_code == 200, response.content
    org = fresh(org)
    assert (org.code, org.name, org.parent_id) == ("P.U1/01%02", "Chi bộ Mới", other_base.pk)
    assert org.ended_on == timezone.localdate()
    actions = AuditEntry.unscoped.filter(target_id=org.pk, action__startswith="org.")
    assert set(actions.values_list("action", flat=True)) >= {"org.rename", "org.move"}


def test_an_edit_sent_to_a_code_changed_since_is_412_naming_the_change(world):
    """A client read the organisation under its legacy code; an officer corrected the code
    meanwhile: the client's rename, sent to the address it knew, is refused naming the new code
    (not a 404), and applies once re-read."""
    org = legacy(world, "P.U1/09")
    client, officer = api(world, Role.OFFICER), api(world, Role.ADMIN)
    read = etag(client, "P.U1%252F09")
    form = officer.get("/orgs/P.U1%252F09/code/").context["form"]
    data = {"code": "P.U1.09", "version": form["version"].value()}
    assert officer.post("/orgs/P.U1%252F09/code/", data).status_code == 302

    response = post(client, "P.U1%252F09", "rename", {"name": "Chi bộ Mới"}, If_Match=read)
    assert response.status_code == 412, response.content
    assert "P.U1/09 → P.U1.09" in response.json()["detail"]
    assert fresh(org).name == "Chi bộ Cũ"

    response = post(client, "P.U1.09", "rename", {"name": "Chi bộ Mới"}, If_Match=response["ETag"])
    assert response.status_code == 200
    assert fresh(org).name == "Chi bộ Mới"
