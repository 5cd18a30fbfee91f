"""The report pages keep their report, tables and charts in the cache under the data version of
the organisation shown: a change below it shows on the next request, a user outside its scope
never gets what was cached for someone else, and the PDF draws the same charts."""

import re

import pytest
from django.urls import reverse

from dangvien.assessments import services as assessments
from dangvien.assessments.models import Grade
from dangvien.core.roles import Role
from dangvien.members.models import Gender
from dangvien.reports import charts, views
from tests.assessments.workflow import open_round, this_year
from tests.factories import MemberFactory
from tests.reports.test_view_structure_report import stat
from tests.transfers.steps import ONE_DAY, issue, today

STRUCTURE = reverse("reports:structure")
QUALITY = reverse("reports:quality")
WAITING = "Đã cấp giấy giới thiệu, chưa đến nơi sinh hoạt mới"


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The codes of the organisations whose structure report the pages built."""
    codes = []
    build = views.structure_report

    def counted(org, as_of=None, **options):
        codes.append(org.code)
        return build(org, as_of, **options)

    monkeypatch.setattr(views, "structure_report", counted)
    return codes


@pytest.fixture
def drawn(monkeypatch) -> list[float]:
    """The widths of the charts matplotlib drew."""
    widths = []
    draw = charts._draw

    def counted(width, height, paint):
        widths.append(width)
        return draw(width, height, paint)

    monkeypatch.setattr(charts, "_draw", counted)
    return widths


def page(client, url: str = STRUCTURE, query=None) -> str:
    """The page without its per-request CSRF token."""
    html = client.get(url, query).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def gender_chart(html: str) -> str:
    match = re.search(r'<img class="chart chart-gioi_tinh" src="([^"]+)"', html)
    assert match, "no gender chart"
    return match.group(1)


def row(html: str, label: str) -> str:
    match = re.search(f'<td>{label}</td><td class="num">([^<]*)</td>', html)
    assert match, f"no row {label}"
    return match.group(1)


def test_a_new_member_shows_on_the_next_request(world, built, drawn):
    client = world.client(Role.OFFICER)
    first = page(client)
    assert page(client) == first
    assert built == ["P.U1"]  # the second request read the cache
    charts_drawn = len(drawn)
    assert charts_drawn == first.count('src="data:image/svg+xml;base64,') == 7

    MemberFactory(branch=world.other_branch, gender=Gender.FEMALE)
    after = page(client)
    assert built == ["P.U1", "P.U1"]
    assert int(stat(after, "đảng viên")) == int(stat(first, "đảng viên")) + 1
    assert gender_chart(after) != gender_chart(first)  # the new shares are drawn
    assert len(drawn) > charts_drawn


def test_a_chart_is_drawn_once_for_the_same_figures(world, drawn, settings):
    settings.REPORT_CACHE_SECONDS = 0  # the report is built every time, its charts are not redrawn
    client = world.client(Role.OFFICER)
    first = page(client)
    assert len(drawn) == 7
    assert page(client) == first
    assert len(drawn) == 7


def test_a_transfer_letter_shows_on_the_next_request(world, built):
    client = world.client(Role.OFFICER)
    assert row(page(client), WAITING) == "0"
    letter_on = today() - ONE_DAY * 2
    response = issue(
        client,
        world.member,
        to_code=world.outside_branch.code,
        trigger_on=letter_on,
        letter_issued_on=letter_on,
    )
    assert response.status_code == 302
    assert row(page(client), WAITING) == "1"
    assert built == ["P.U1", "P.U1"]


def test_an_organisation_grade_shows_on_the_next_request(world):
    open_round(world)
    client = world.client(Role.OFFICER)
    query = {"org": world.upper.code, "year": this_year()}

    def organisations() -> str:
        html = page(client, QUALITY, query)
        return html.split('id="organizations"')[1].split("</section>")[0]

    before = organisations()
    assert organisations() == before
    officer = world.users[Role.OFFICER]
    assessments.grade_child_organizations(
        officer, world.upper, this_year(), {world.base.pk: {"grade": Grade.GOOD}}
    )
    after = organisations()
    assert after != before
    assert '<td>Hoàn thành tốt nhiệm vụ</td><td class="num">1</td>' in after


@pytest.mark.parametrize("url", [STRUCTURE, QUALITY])
def test_a_page_cached_for_one_scope_is_not_served_to_another(world, url, built):
    inside, outside = world.client(Role.OFFICER), world.client("outside_officer")
    outside_code, inside_code = world.outside_upper.code, world.upper.code
    assert outside.get(url, {"org": outside_code}).status_code == 200
    assert inside.get(url, {"org": inside_code}).status_code == 200
    # Each was cached for its officer; the other officer is refused either page.
    assert inside.get(url, {"org": outside_code}).status_code == 404
    assert outside.get(url, {"org": inside_code}).status_code == 404
    for name in ("reports:structure-pdf", "reports:quality-pdf"):
        assert inside.get(reverse(name), {"org": outside_code}).status_code == 404
    html = outside.get(url, {"org": outside_code}).content.decode()
    assert world.outside_upper.name in html
    assert world.upper.name not in html


def test_the_pdf_draws_the_page_charts(world, drawn):
    client = world.client(Role.OFFICER)
    html = page(client)
    charts_drawn = len(drawn)
    assert charts_drawn == html.count('src="data:image/svg+xml;base64,') == 7
    response = client.get(reverse("reports:structure-pdf"), {"org": world.upper.code})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(drawn) == charts_drawn  # the same charts, from the cache
    response = client.get(reverse("reports:quality-pdf"), {"org": world.upper.code})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
