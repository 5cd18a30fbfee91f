"""Django's {# #} comment ends at the end of its line: a multi-line one is printed on the page
as text (the member list showed «{# The filters, the count … #}» above its filters)."""

from pathlib import Path

import dangvien
from dangvien.core.roles import Role

TEMPLATES = Path(dangvien.__file__).parent / "templates"


def test_no_template_opens_a_comment_it_does_not_close_on_the_same_line():
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert unclosed == []


def test_the_member_list_shows_no_template_source(world):
    page = world.client(Role.OFFICER).get("/members/").content.decode()
    assert 'id="member-filters"' in page
    assert "{#" not in page and "{%" not in page
