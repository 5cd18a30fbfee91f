"""Every count on the survey of the pool and on the cards page opens the list it counts, and the
list holds as many rows as the count says (issue 12: every count shown has its list)."""

import datetime
import re

from dangvien.admissions.models import CardEnd
from dangvien.core.decisions import Decision
from dangvien.core.roles import Role
from dangvien.members.models import Status
from dangvien.members.services import transfer_member
from tests.admissions.probation_steps import today
from tests.admissions.test_cards import end, issue, waiting_names
from tests.admissions.test_survey import populate, quota
from tests.factories import MemberFactory


def links(html: str, section_id: str, page: str = "") -> list[tuple[str, str]]:
    """(href, figure) of the links in the element with `section_id` (a row of stats or a
    table), in order; a link within the page (`?…#list`) made whole with `page`."""
    section = html.split(f'id="{section_id}"')[1]
    section = section.split("</table>" if section_id == "survey" else "</div>\n")[0]
    pairs = re.findall(r'href="([^"]+)">(?:<span class="stat-value">)?([\d.]+)<', section)
    return [(page + href.replace("&amp;", "&").split("#")[0], figure) for href, figure in pairs]


def listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    return response.context["page"].paginator.count


def test_each_survey_count_opens_a_list_of_that_many(world):
    populate(world)
    client = world.client(Role.OFFICER)
    html = client.get("/admissions/survey/", {"org": world.base.code}).content.decode()
    totals = links(html, "survey-totals")
    assert [figure for _href, figure in totals] == ["4", "3", "1", "2"]
    table = links(html, "survey")
    assert len(table) == 3 * 4  # two branches and the total, four counts each
    for href, figure in totals + table:
        assert listed(client, href) == int(figure), href
    ready = next(href for href, _figure in totals if "stage=ready" in href)
    names = client.get(ready).content.decode()
    assert "Quần Chúng Ba" in names and "Quần Chúng Bốn" not in names  # expired certificate


def test_a_quota_is_written_the_vietnamese_way(world):
    quota(world.branch, 1200)
    html = world.client(Role.OFFICER).get("/admissions/survey/", {"org": world.base.code})
    row = html.content.decode().split(f'<td><a href="?org={world.branch.code}">')[1]
    row = row.split("</tr>")[0]
    assert '<td class="num">1.200</td>' in row and "0,00%" in row


def test_the_admitted_list_counts_members_who_left_the_scope_without_naming_them(world):
    # Last year's admissions: a member admitted this year may not have moved yet (on 1 January
    # nobody has), and the survey's links to this year's list are checked above.
    year = today().year - 1
    admitted_on = datetime.date(year, 1, 2)
    kept = MemberFactory(
        branch=world.branch,
        full_name="Vũ Văn Ở Lại",
        admitted_on=admitted_on,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    moved = MemberFactory(
        branch=world.branch,
        full_name="Vũ Thị Chuyển Đi",
        admitted_on=admitted_on,
        official_on=None,
        status=Status.PROBATIONARY,
    )
    decision = Decision(effective_on=admitted_on + datetime.timedelta(days=30), number="1-QĐ")
    transfer_member(world.users[Role.ADMIN], moved, world.outside_branch, decision)
    client = world.client(Role.OFFICER)
    page = client.get("/admissions/admitted/", {"org": world.base.code, "year": year})
    html = page.content.decode()
    assert page.context["page"].paginator.count == 1 and kept.full_name in html
    assert moved.full_name not in html
    assert "2 đảng viên được kết nạp" in html
    assert "1 đảng viên trong số này nay sinh hoạt ngoài phạm vi của bạn" in html
    assert f"Đảng viên được kết nạp năm {year}" in html


def test_the_admitted_list_sorts_on_the_server_and_refuses_what_it_does_not_offer(world):
    for name in ("Bạch Văn Hai", "An Thị Một"):
        MemberFactory(
            branch=world.branch,
            full_name=name,
            admitted_on=datetime.date(2024, 3, 1),
            official_on=datetime.date(2025, 3, 1),
        )
    client = world.client(Role.OFFICER)
    base = {"org": world.base.code, "year": "2024"}
    by_name = client.get("/admissions/admitted/", {**base, "sort": "name"}).content.decode()
    assert by_name.index("Bạch Văn Hai") < by_name.index("An Thị Một")  # by the given name
    reverse = client.get("/admissions/admitted/", {**base, "sort": "-name"}).content.decode()
    assert reverse.index("An Thị Một") < reverse.index("Bạch Văn Hai")
    term = client.get("/admissions/admitted/", {"org": world.base.code, "from": 2020, "to": 2025})
    assert term.context["page"].paginator.count == 2
    assert "nhiệm kỳ 2020-2025" in term.content.decode()
    assert client.get("/admissions/admitted/", {**base, "sort": "age"}).status_code == 400
    assert client.get("/admissions/admitted/", {"org": world.base.code}).status_code == 400
    outside = {"org": world.outside_base.code, "year": "2024"}
    assert client.get("/admissions/admitted/", outside).status_code == 404
    assert world.client(Role.MEMBER).get("/admissions/admitted/", base).status_code == 403


def test_each_card_count_opens_its_list(world):
    client = world.client(Role.OFFICER)
    this_year, last_year = today(), datetime.date(today().year - 1, 6, 1)
    MemberFactory(branch=world.branch, full_name="Lâm Văn Chờ")
    issue(client, world.member, "11112222", on=last_year)
    issue(client, world.other_member, "33334444", on=this_year)
    end(client, world.member, CardEnd.LOST)
    html = client.get("/admissions/cards/").content.decode()
    counts = links(html, "card-summary", "/admissions/cards/")
    assert [figure for _href, figure in counts] == ["2", "1", "1", "1"]
    waiting, new, replace, issued = (client.get(href) for href, _figure in counts)
    assert set(waiting_names(waiting.content.decode())) == {"Lâm Văn Chờ", "Nguyễn Văn An"}
    assert waiting_names(new.content.decode()) == ["Lâm Văn Chờ"]
    assert waiting_names(replace.content.decode()) == ["Nguyễn Văn An"]
    assert issued.context["issued"].paginator.count == 1
    section = issued.content.decode().split('id="issued-heading"')[1].split("</table>")[0]
    assert f"Thẻ cấp năm {today().year}" in section
    assert "33334444" in section and "11112222" not in section
    every_year = client.get("/admissions/cards/").content.decode().split('id="issued"')[1]
    assert "11112222" in every_year and "33334444" in every_year
    assert client.get("/admissions/cards/", {"year": "năm"}).status_code == 400


def test_the_card_counts_keep_the_chosen_organisation(world):
    client = world.client(Role.OFFICER)
    html = client.get("/admissions/cards/", {"org": world.other_branch.code}).content.decode()
    counts = links(html, "card-summary", "/admissions/cards/")
    assert all(f"org={world.other_branch.code}" in href for href, _figure in counts)
    assert [figure for _href, figure in counts] == ["1", "1", "0", "0"]
    assert waiting_names(client.get(counts[1][0]).content.decode()) == ["Trần Thị Bình"]
