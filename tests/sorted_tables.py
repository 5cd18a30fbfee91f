"""Reading a sortable table as the user sees it: its headings (label, link, aria-sort state),
its rows' cells under a heading, its group rows, and the links of the pagers on the page."""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs


@dataclass
class Heading:
    label: str
    href: str  # "" when the heading does not sort
    state: str  # aria-sort: "ascending", "descending" or ""
    text: str  # as shown, the arrow included


@dataclass
class Table:
    headings: list[Heading] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # the cells (td) of each body row
    groups: list[str] = field(default_factory=list)  # rows of one heading cell (a branch)

    def heading(self, label: str) -> Heading:
        return next(heading for heading in self.headings if heading.label == label)

    def column(self, label: str) -> list[str]:
        index = [heading.label for heading in self.headings].index(label)
        return [row[index] for row in self.rows]


class _Parser(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.depth, self.table = table_id, 0, Table()
        self.section, self.cell, self.cell_attrs, self.href, self.row = "", None, {}, "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (self.depth or attrs.get("id") == self.table_id):
            self.depth += 1
        elif not self.depth:
            return
        elif tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell, self.cell_attrs, self.href = [], {**attrs, "tag": tag}, ""
        elif tag == "a" and self.cell is not None:
            self.href = unescape(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "table":
            self.depth -= 1
        elif tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            if self.section == "thead":
                label = text.removesuffix("▲").removesuffix("▼").strip()
                state = self.cell_attrs.get("aria-sort", "")
                self.table.headings.append(Heading(label, self.href, state, text))
            else:
                self.row.append((self.cell_attrs["tag"], text))
            self.cell = None
        elif tag == "tr" and self.section == "tbody" and self.row:
            if all(kind == "th" for kind, _text in self.row):
                self.table.groups.append(self.row[0][1])
            else:
                self.table.rows.append([text for _kind, text in self.row])
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(response, table_id: str) -> Table:
    parser = _Parser(table_id)
    parser.feed(response.content.decode())
    return parser.table


def query_of(href: str) -> dict[str, list[str]]:
    """The parameters of a link's query string."""
    return parse_qs(href.split("?", 1)[1] if "?" in href else "", keep_blank_values=True)


def pager_links(response) -> list[str]:
    """The links of every pager on the page, in order."""
    page = response.content.decode()
    navs = re.findall(r'<nav class="pager".*?</nav>', page, re.S)
    return [unescape(href) for nav in navs for href in re.findall(r'href="([^"]*)"', nav)]
