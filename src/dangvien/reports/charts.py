"""Charts of report breakdowns, drawn offline by matplotlib as SVG data URIs.

The same image goes into the web page and the PDF: no JavaScript, no request to anything
outside the server. Text is drawn as outlines in DejaVu Sans (shipped with matplotlib), so the
Vietnamese diacritics look the same on every screen and printer.

A chart is a pure function of its arguments (the counts and labels it shows), and drawing one
takes 50–200 ms: each is kept in the cache under a hash of the chart's kind and arguments, so
it is drawn once for as long as its figures do not change, and a key holds nothing but what
the chart shows (no scope to check: whoever asks already has the figures).
"""

import base64
import functools
import hashlib
import io
import json

from django.core.cache import cache

RED = "#b91c1c"
PALETTE = ["#b91c1c", "#f59e0b", "#2563eb", "#16a34a", "#7c3aed", "#0891b2", "#db2777", "#78716c"]
MAX_BARS = 10
OTHERS = "Khác"
# How long a drawn chart is kept: it never goes stale (its key is its content), this only
# bounds the memory of the charts of figures no longer shown.
CHART_CACHE_SECONDS = 24 * 3600
# Part of every chart's key: change it when the drawing changes (style, sizes, labels).
DRAWING_VERSION = 1


STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",
    "svg.hashsalt": "dangvien",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _draw(width: float, height: float, draw) -> str:
    """Run `draw(axes)` on a new figure and return the SVG as a data URI."""
    import matplotlib  # heavy import, only when a chart is drawn
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width, height))
        draw(figure.subplots())
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _cached(chart):
    """`chart(...)` drawn once per distinct arguments, then read from the cache."""

    @functools.wraps(chart)
    def cached(*args, **kwargs):
        signature = json.dumps(
            [DRAWING_VERSION, chart.__name__, args, kwargs], ensure_ascii=False, default=str
        )
        key = "report-chart:" + hashlib.sha256(signature.encode()).hexdigest()
        drawn = cache.get(key)
        if drawn is None:
            drawn = chart(*args, **kwargs) or ""
            cache.set(key, drawn, CHART_CACHE_SECONDS)
        return drawn or None

    return cached


def _top(counts: dict[str, int], max_bars: int) -> list[tuple[str, int]]:
    """At most `max_bars` bars: the largest values, the rest summed as "Khác"."""
    items = list(counts.items())
    if len(items) <= max_bars:
        return items
    ranked = sorted(items, key=lambda item: -item[1])
    kept = ranked[: max_bars - 1]
    return [*kept, (OTHERS, sum(count for _, count in ranked[max_bars - 1 :]))]


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@_cached
def bar_chart(counts: dict[str, int], max_bars: int = MAX_BARS) -> str | None:
    """Horizontal bars with their counts, first value on top; None when every count is 0."""
    items = _top(counts, max_bars)
    if not any(count for _, count in items):
        return None
    values = [count for _, count in items]

    def draw(axes) -> None:
        bars = axes.barh(range(len(items)), values, color=RED, height=0.62)
        axes.set_yticks(range(len(items)), [label for label, _ in items])
        axes.invert_yaxis()
        axes.bar_label(bars, labels=[_thousands(value) for value in values], padding=3)
        axes.set_xlim(0, max(values) * 1.18)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)

    return _draw(3.9, 0.3 * len(items) + 0.5, draw)


@_cached
def pie_chart(counts: dict[str, int]) -> str | None:
    """A pie of the shares (for two or three values, such as gender); None when all are 0."""
    items = [(label, count) for label, count in counts.items() if count]
    if not items:
        return None

    def draw(axes) -> None:
        axes.pie(
            [count for _, count in items],
            labels=[label for label, _ in items],
            colors=PALETTE[: len(items)],
            autopct=lambda share: f"{share:.1f}%".replace(".", ","),
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 1, "edgecolor": "white"},
            textprops={"fontsize": 9},
        )
        axes.axis("equal")

    return _draw(3.0, 2.3, draw)


def percent_label(value: float) -> str:
    """A share as the tables print it (floatformat "-2"): 7 → "7", 7.2 → "7,20"."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".replace(".", ",")


@_cached
def grouped_bar_chart(series: dict[str, dict[str, float | None]], colors: list[str]) -> str | None:
    """Vertical bars grouped by category (such as years), one bar per series (such as grades),
    each labelled with its value in percent; None when there is no value at all.

    `series` maps a series label to {category: value}; every series has the same categories.
    """
    names = list(series)
    categories = list(next(iter(series.values()), {}))
    if not any(value for values in series.values() for value in values.values()):
        return None
    width = 0.8 / max(1, len(names))

    def draw(axes) -> None:
        for index, name in enumerate(names):
            values = [series[name][category] or 0 for category in categories]
            offsets = [c + (index - (len(names) - 1) / 2) * width for c in range(len(categories))]
            bars = axes.bar(offsets, values, width=width * 0.92, color=colors[index], label=name)
            labels = [percent_label(value) if value else "" for value in values]
            axes.bar_label(bars, labels=labels, padding=2, fontsize=7, rotation=90)
        axes.set_xticks(range(len(categories)), [str(c) for c in categories])
        axes.set_ylabel("% số đảng viên được xếp loại")
        axes.set_ylim(0, 118)  # room for the labels above a bar of 100%
        axes.set_yticks(range(0, 101, 20))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)

    return _draw(6.4, 3.2, draw)


@_cached
def target_chart(items: list[tuple[str, float, float | None]], unit: str = "") -> str | None:
    """Paired horizontal bars per target: the target (grey) and the actual value (red, none
    when unknown), each labelled; None when there is no target."""
    if not items:
        return None
    import textwrap

    labels = ["\n".join(textwrap.wrap(label, 38)) for label, _, _ in items]
    targets = [float(target) for _, target, _ in items]
    actuals = [float(actual) if actual is not None else 0.0 for _, _, actual in items]
    top = max([*targets, *actuals, 1.0])

    def text(value: float | None) -> str:
        if value is None:
            return "chưa có"
        whole = float(value).is_integer()
        shown = _thousands(int(value)) if whole and unit != "%" else percent_label(value)
        return f"{shown}{unit}"

    def draw(axes) -> None:
        rows = range(len(items))
        height = 0.38
        goal = axes.barh([r - height / 2 for r in rows], targets, height, color="#a8a29e")
        done = axes.barh([r + height / 2 for r in rows], actuals, height, color=RED)
        axes.bar_label(goal, labels=[text(t) for t in targets], padding=3, fontsize=8)
        axes.bar_label(done, labels=[text(actual) for _, _, actual in items], padding=3, fontsize=8)
        axes.set_yticks(list(rows), labels)
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.25)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        axes.legend(
            [goal, done],
            ["Chỉ tiêu", "Thực hiện"],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.02),
            ncol=2,
            frameon=False,
        )

    return _draw(6.4, 0.75 * len(items) + 0.8, draw)
