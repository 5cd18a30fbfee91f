"""A user who owes no second step (no device, no role that requires one) costs no query of the
two-factor check after the first page: the session remembers it until their roles or devices
change, in this session or any other."""

import pytest

from dangvien.core.roles import Role
from tests.accounts.totp import code_for, enrol, secret_on_page, verified_client

# The password page for a signed-in secretary: the session, the user, their roles (the scope
# and the inspected subtrees the menu asks for, read once) and the member record linked to the
# account. Nothing of the two-factor check: before the session remembered it, two more
# (devices, required roles).
PASSWORD_PAGE_QUERIES = 4


@pytest.fixture
def required(settings):
    settings.DANGVIEN_REQUIRE_2FA = True


def test_a_user_who_owes_nothing_costs_no_two_factor_query(
    world, required, django_assert_num_queries
):
    client = world.client(Role.SECRETARY)
    assert client.get("/password/").status_code == 200  # the check runs once and is remembered
    with django_assert_num_queries(PASSWORD_PAGE_QUERIES) as queries:
        assert client.get("/password/").status_code == 200
    assert not [q for q in queries.captured_queries if "otp_totp" in q["sql"]]


def test_a_role_that_requires_the_step_is_asked_for_at_once(world, required):
    secretary = world.users[Role.SECRETARY]
    client = world.client(Role.SECRETARY)
    assert client.get("/members/").status_code == 200
    admin = world.users[Role.ADMIN]
    response = verified_client(admin, enrol(admin)).post(
        f"/users/{secretary.pk}/", {"role": Role.OFFICER, "organization_code": world.base.code}
    )
    assert response["Location"] == f"/users/{secretary.pk}/"
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"] == "/account/two-factor/?next=%2Fmembers%2F"


def test_a_device_added_in_another_session_is_asked_for_in_this_one(world, required):
    secretary = world.users[Role.SECRETARY]
    first = world.client(Role.SECRETARY)
    assert first.get("/members/").status_code == 200
    second = world.client(Role.SECRETARY)
    key = secret_on_page(second.get("/account/two-factor/").content.decode())
    assert second.post("/account/two-factor/", {"token": code_for(key)}).status_code == 302
    assert secretary.totpdevice_set.filter(confirmed=True).exists()
    response = first.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/verify/?next=")


def test_the_setting_turned_on_is_seen_by_a_remembered_session(world, settings):
    settings.DANGVIEN_REQUIRE_2FA = False
    client = world.client(Role.OFFICER)
    assert client.get("/members/").status_code == 200
    settings.DANGVIEN_REQUIRE_2FA = True
    assert client.get("/members/")["Location"].startswith("/account/two-factor/?next=")
