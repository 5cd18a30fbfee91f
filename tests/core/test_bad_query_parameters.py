"""A bad query parameter or an id beyond a bigint answers 400 or 404 with a Vietnamese message,
never a 500, on SQLite and PostgreSQL alike."""

import pytest

from dangvien.core.roles import Role


@pytest.mark.parametrize(
    "url",
    [
        "/members/?page=²",
        "/members/?age_from=99999999999999999999999",
        "/members/?admitted_year=abc",
        "/members/?page=--5",
        "/api/v1/members/?age_from=99999999999999999999999",
    ],
)
def test_a_bad_query_parameter_is_a_400_in_vietnamese(world, url):
    client = world.client(Role.OFFICER)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "không phải là một số" in text or "phải là số từ" in text or "không phải là một năm" in text
    )


@pytest.mark.parametrize(
    "url",
    [
        "/members/99999999999999999999999/",
        "/members/9223372036854775808/",
        "/admissions/candidates/99999999999999999999/",
        "/api/v1/members/99999999999999999999/",
        "/api/v1/members/abc/",
        "/api/v1/members/0.5/",
    ],
)
def test_an_id_that_is_not_one_is_a_404(world, url):
    client = world.client(Role.OFFICER)
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


def test_a_year_that_is_not_one_is_explained_not_a_500(world):
    client = world.client(Role.OFFICER)
    client.raise_request_exception = False
    response = client.get("/reports/structure/", {"org": "P.U1", "year": "²²²²"})
    assert response.status_code in (200, 400)
    assert "“²²²²” không phải là một năm" in response.content.decode()
