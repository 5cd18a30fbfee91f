"""Helpers for the tests of two editors and double submits (core.versions): the version a
page hands out, and the refusal of a save made on a stale page."""

import html
import re


def opened_version(client, url: str) -> str:
    """The version token the page at `url` hands out (its hidden field «version»)."""
    page = client.get(url).content.decode()
    return re.search(r'name="version" value="([^"]*)"', page)[1]


def refused_as_stale(response, who) -> str:
    """The page of a save refused because `who` changed the record after it was opened; its
    text, unescaped, for the test to check what it names."""
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "sau khi bạn mở trang" in page and who.full_name in page
    return page
