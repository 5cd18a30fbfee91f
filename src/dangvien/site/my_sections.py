"""The sections of a member's own summary page (/me/summary/, issue 17 point 7), each
contributed by an app in one line from its AppConfig.ready():

    my_sections.register(my_section, order=40)

A section is a callable `(member, today) -> Section | None`: None when the app has nothing to
show this member, or its dotted path ("dangvien.awards.selectors.my_section"), imported when
the page is first made: a selector that imports much is not imported by every process's
start-up. The page renders each section's template with its context, in `order`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Section:
    key: str  # the section's HTML id: "training", "party-age", "dues" …
    title: str
    template: str
    context: dict = field(default_factory=dict)


SectionSource = Callable[[object, datetime.date], Section | None]
_SOURCES: list[tuple[int, str, SectionSource | str]] = []


def register(source: SectionSource | str, *, order: int = 100) -> None:
    """Add a section; registering the same callable twice (a reloaded app) keeps one."""
    name = source if isinstance(source, str) else f"{source.__module__}.{source.__qualname__}"
    _SOURCES[:] = [entry for entry in _SOURCES if entry[1] != name]
    _SOURCES.append((order, name, source))
    _SOURCES.sort(key=lambda entry: (entry[0], entry[1]))


def sections_for(member, today: datetime.date) -> list[Section]:
    """The sections the apps have for this member, in order."""
    sources = [import_string(s) if isinstance(s, str) else s for _o, _n, s in _SOURCES]
    return [section for source in sources if (section := source(member, today))]
