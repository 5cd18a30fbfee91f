"""The import templates and the API schema describe every field kept: signed-in users only."""

from dangvien.core.roles import Role


def test_templates_need_a_signed_in_user(world, client):
    for url in ("/templates/members.xlsx", "/templates/orgs.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    response = world.client(Role.MEMBER).get("/templates/members.xlsx")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_schema_needs_a_signed_in_user(world, client):
    response = client.get("/api/v1/schema/")
    assert response.status_code in {401, 403}
    assert b"openapi" not in response.content
    response = world.client(Role.INSPECTOR).get("/api/v1/schema/")
    assert response.status_code == 200 and b"openapi" in response.content
