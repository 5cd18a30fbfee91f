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


def both_submit(first, second, url: str, data: dict, who_first) -> str:
    """Two pages of `url` opened, then both submitted with `data`: the first is saved, the
    second refused as stale naming `who_first` (the user of `first`); the refusal's text."""
    seen_first, seen_second = opened_version(first, url), opened_version(second, url)
    assert first.post(url, {**data, "version": seen_first}).status_code == 302
    return refused_as_stale(second.post(url, {**data, "version": seen_second}), who_first)
