"""Every figure of a supplement round opens its list: on the round's page (and per
organisation below) and on the branch's queue page, «đã nộp phiếu», «phiếu chi bộ đã xác nhận»
and «đã duyệt» list exactly the members they count, paged and sorted on the server; «đảng
viên» opens the member list, «chưa nộp» the list on the page."""

import html
import re

from dangvien.core.roles import Role
from tests.supplements.test_progress_dashboard import progress_world  # noqa: F401

SUBMITTED = {"Nguyễn Văn An", "Bùi Văn Giấy", "Cao Thị Duyệt"}
CONFIRMED = {"Bùi Văn Giấy", "Cao Thị Duyệt"}
APPROVED = {"Cao Thị Duyệt"}


def stat_links(page: str) -> dict[str, str]:
    return {
        key: html.unescape(href)
        for href, key in re.findall(r'<a class="stat" id="count-(\w+)" href="([^"]*)"', page)
        for key, href in [(href, key)]
    }


def names(response) -> set[str]:
    return {proposal.member.full_name for proposal in response.context["proposals"]}


def test_the_rounds_figures_open_their_lists(progress_world, supplement_round):  # noqa: F811
    client = progress_world.client(Role.OFFICER)
    response = client.get(f"/supplements/{supplement_round.pk}/")
    total = response.context["total"]
    links = stat_links(response.content.decode())
    reached = f"/supplements/{supplement_round.pk}/proposals/?org=P.U1"
    assert links == {
        "members": "/members/?org=P.U1",
        "submitted": f"{reached}&state=submitted",
        "confirmed": f"{reached}&state=confirmed",
        "approved": f"{reached}&state=approved",
        "missing": "#missing-members",
    }
    for key, expected, figure in (
        ("submitted", SUBMITTED, total.submitted),
        ("confirmed", CONFIRMED, total.confirmed),
        ("approved", APPROVED, total.approved),
    ):
        listed = client.get(links[key])
        assert listed.status_code == 200
        assert listed.context["proposals"].paginator.count == figure == len(expected)
        assert names(listed) == expected
        assert f"{figure} đảng viên" in listed.content.decode()
    members = client.get(links["members"]).content.decode()
    assert f"{total.members} đảng viên" in members
    assert 'id="missing-members"' in response.content.decode()


def test_each_organisation_below_links_its_counts(progress_world, supplement_round):  # noqa: F811
    client = progress_world.client(Role.OFFICER)
    page = client.get(f"/supplements/{supplement_round.pk}/").content.decode()
    reached = f"/supplements/{supplement_round.pk}/proposals/"
    assert f'href="{reached}?org=P.U1.01&amp;state=confirmed">2</a>' in page
    assert f'href="{reached}?org=P.U1.02&amp;state=submitted">0</a>' in page
    assert 'href="/members/?org=P.U1.01">6</a>' in page

    empty = client.get(f"{reached}?org=P.U1.02&state=submitted")
    assert empty.context["proposals"].paginator.count == 0
    assert "Không có đảng viên nào trong danh sách này." in empty.content.decode()
    drilled = client.get(f"{reached}?org=P.U1.01.01&state=submitted")
    assert names(drilled) == SUBMITTED


def test_the_list_sorts_and_refuses_an_unknown_list(progress_world, supplement_round):  # noqa: F811
    client = progress_world.client(Role.OFFICER)
    reached = f"/supplements/{supplement_round.pk}/proposals/?state=submitted"
    by_name = [p.member.full_name for p in client.get(reached).context["proposals"]]
    assert by_name == ["Nguyễn Văn An", "Cao Thị Duyệt", "Bùi Văn Giấy"]  # by given name
    reversed_ = client.get(f"{reached}&sort=-name").context["proposals"]
    assert [p.member.full_name for p in reversed_] == by_name[::-1]
    assert client.get(f"/supplements/{supplement_round.pk}/proposals/?state=x").status_code == 400
    assert client.get(f"{reached}&sort=x").status_code == 400


def test_the_branch_pages_figures_open_their_lists(progress_world, supplement_round):  # noqa: F811
    client = progress_world.client(Role.SECRETARY)
    response = client.get(f"/supplements/branch/?round={supplement_round.pk}")
    figures = response.context["figures"]
    assert (figures.members, figures.submitted, figures.confirmed, figures.approved) == (4, 3, 2, 1)
    links = stat_links(response.content.decode())
    reached = f"/supplements/branch/proposals/?round={supplement_round.pk}"
    assert links["submitted"] == f"{reached}&state=submitted"
    assert links["approved"] == f"{reached}&state=approved"
    assert links["members"] == "/members/"  # the round covers the secretary's whole scope
    for key, expected in (
        ("submitted", SUBMITTED),
        ("confirmed", CONFIRMED),
        ("approved", APPROVED),
    ):
        listed = client.get(links[key])
        assert listed.status_code == 200
        assert listed.context["proposals"].paginator.count == len(expected)
        assert names(listed) == expected
    assert "4 đảng viên" in client.get(links["members"]).content.decode()


def test_outside_the_scope_the_lists_are_not_found(progress_world, supplement_round):  # noqa: F811
    outside = progress_world.client(None)
    outside.force_login(progress_world.users["outside_officer"])
    assert outside.get(f"/supplements/{supplement_round.pk}/proposals/").status_code == 404
    response = outside.get(f"/supplements/branch/proposals/?round={supplement_round.pk}")
    assert response.status_code == 404
    inspector = progress_world.client(Role.INSPECTOR)
    assert (
        inspector.get(f"/supplements/branch/proposals/?round={supplement_round.pk}").status_code
        == 403
    )
