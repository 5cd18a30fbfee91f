"""The shared column headings of sortable lists (core.sorting): a heading sorts by its column,
again the other way, keeps the page's other parameters (a repeated one included) and sends the
list back to its first page; the list's own order leaves the parameter out."""

from django.http import QueryDict

from dangvien.core.sorting import Sorting, headings

SORTING = Sorting({"name": ("sort_key",), "issued": ("issued_on",)}, default="-issued")
COLUMNS = [("Họ và tên", "name"), ("Ngày cấp", "issued", "num"), ("Ghi chú", None)]


def test_a_heading_keeps_the_other_parameters_and_starts_again_on_page_one():
    query = QueryDict("cols=a&cols=b&page=3&ipage=2&sort=name")
    name, issued, note = SORTING.headings(query, "name", COLUMNS)
    assert (name.state, name.url) == ("ascending", "?cols=a&cols=b&ipage=2&sort=-name")
    assert (issued.state, issued.url, issued.css) == (
        "",
        "?cols=a&cols=b&ipage=2&sort=issued",
        "num",
    )
    assert (note.url, note.state) == ("", "")


def test_the_own_order_is_a_descending_column():
    name, issued, _note = SORTING.headings(QueryDict(""), "", COLUMNS)
    assert (issued.state, issued.url) == ("descending", "?sort=issued")
    assert (name.state, name.url) == ("", "?sort=name")
    # Again: back to the list's own order (the newest first), without the parameter.
    _name, issued, _note = SORTING.headings(QueryDict("sort=issued&q=an"), "issued", COLUMNS)
    assert (issued.state, issued.url) == ("ascending", "?q=an")


def test_an_order_without_a_reverse_keeps_its_link():
    """The member list's name order ("") has no reverse: its heading always leads to it."""
    (name,) = headings({"q": "an"}, "", [("Họ và tên", "")])
    assert (name.state, name.url) == ("ascending", "?q=an")
