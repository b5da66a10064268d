"""Small SVG charts drawn on the server: vertical bars, stacked bars and grouped bars with a value axis, category
labels and a legend. They need no JavaScript and no chart library. Every chart carries `role="img"` (`role="group"`
when its bars are links), an `aria-label`, a `<title>` and a `<desc>`; every bar has its own `<title>` (a
tooltip in browsers) and, when a link is given, is a link named like its bar to the records it counts. The
numbers themselves are in the table the dashboard prints next to each chart: the chart is the picture, the
table is what screen readers and copying use.

Colours are presentation attributes (not `style=`, which the Content-Security-Policy forbids). A series that
stands for an award level or a star count carries its colour from `portal.core.palette` (the same on every chart
of the portal); other series take the palette below in order. The stylesheet may override them through the
`series-N` classes."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.safestring import SafeString, mark_safe

from portal.core.formatting import group_digits
from portal.core.widgets import escape

# Colour-blind-safe palette (Okabe–Ito, darkened where white text or thin bars need contrast), for series that
# stand for nothing with a colour of its own (fairs and participations, target and actual, funding sources).
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#5b6572", "#b3261e")

WIDTH = 480
HEIGHT = 280
MARGIN_LEFT = 68
MARGIN_RIGHT = 12
MARGIN_TOP = 16
AXIS_LABEL_SPACE = 40
FONT = 13
CHAR_WIDTH = 6.8  # average width of a 12 px label character
LABEL_MAX = 16
ROTATED_EXTRA = 56

_ids = count(1)


@dataclass
class Series:
    name: str
    values: Sequence[float]
    links: Sequence[str | None] = field(default_factory=list)
    colour: str | None = None  # its own colour (portal.core.palette), else the next one of PALETTE
    colours: Sequence[str] = ()  # one colour per bar (a one-series chart of levels or stars)

    def link(self, i: int) -> str | None:
        return self.links[i] if i < len(self.links) else None

    def fill(self, index: int, i: int) -> str:
        """The colour of the series' bar in category `i`, the series being the `index`-th of its chart."""
        if i < len(self.colours):
            return self.colours[i]
        return self.colour or PALETTE[index % len(PALETTE)]


def nice_ticks(maximum: float, target: int = 5) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2, 2.5 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / target
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)  # counts and amounts: no fractional ticks
    top = math.ceil(maximum / step) * step
    n = round(top / step)
    return [i * step for i in range(n + 1)]


def _text(x, y, body, *, anchor="middle", cls="", size=FONT, extra="") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{klass}{extra}>{escape(body)}</text>'
    )


class _Frame:
    """The plot area, value axis and category labels shared by the three kinds of chart."""

    def __init__(self, categories, maximum, *, legend_rows: int, y_label: str, tick_format: Callable):
        self.categories = list(categories)
        self.ticks = nice_ticks(maximum)
        self.top_value = self.ticks[-1] or 1
        self.legend_height = legend_rows * 20 + (8 if legend_rows else 0)
        self.left, self.right, self.top = MARGIN_LEFT, WIDTH - MARGIN_RIGHT, MARGIN_TOP
        longest = max((len(c) for c in self.categories), default=0)
        # Labels wider than their band are turned (and cut at LABEL_MAX characters).
        self.rotate = longest * CHAR_WIDTH > self.band * 0.95
        self.bottom = HEIGHT - (AXIS_LABEL_SPACE + (ROTATED_EXTRA if self.rotate else 0)) - self.legend_height
        self.y_label, self.tick_format = y_label, tick_format

    @property
    def band(self) -> float:
        return (self.right - self.left) / max(len(self.categories), 1)

    def y(self, value) -> float:
        return self.bottom - (self.bottom - self.top) * (value / self.top_value)

    def axes(self) -> list[str]:
        parts = ['<g class="chart-grid" stroke="#d9dee5" stroke-width="1">']
        parts += [
            f'<line x1="{self.left}" x2="{self.right}" y1="{self.y(t):.1f}" y2="{self.y(t):.1f}"/>' for t in self.ticks
        ]
        parts.append("</g>")
        parts.append('<g class="chart-ticks" fill="#5b6572" aria-hidden="true">')
        parts += [_text(self.left - 6, self.y(t) + 4, self.tick_format(t), anchor="end", size=12) for t in self.ticks]
        parts.append("</g>")
        if self.y_label:
            mid = (self.top + self.bottom) / 2
            parts.append(
                _text(
                    12,
                    mid,
                    self.y_label,
                    size=12,
                    cls="chart-axis-label",
                    extra=f' transform="rotate(-90 12 {mid:.1f})"',
                )
            )
        parts.append(
            f'<line class="chart-axis" x1="{self.left}" x2="{self.right}" y1="{self.bottom}" y2="{self.bottom}" '
            'stroke="#1d232b" stroke-width="1"/>'
        )
        parts.append('<g class="chart-categories" fill="#1d232b" aria-hidden="true">')
        for i, name in enumerate(self.categories):
            x = self.left + self.band * (i + 0.5)
            if self.rotate:
                y = self.bottom + 14
                label = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…"
                parts.append(
                    _text(x, y, label, anchor="end", size=12, extra=f' transform="rotate(-40 {x:.1f} {y:.1f})"')
                )
            else:
                parts.append(_text(x, self.bottom + 18, name, size=12))
        parts.append("</g>")
        return parts

    def legend(self, series: Sequence[Series]) -> list[str]:
        if not series:
            return []
        parts, x, y = ['<g class="chart-legend" aria-hidden="true">'], self.left, HEIGHT - self.legend_height + 14
        for i, one in enumerate(series):
            name = one.name
            width = 22 + len(name) * 7.2
            if x + width > self.right and x > self.left:
                x, y = self.left, y + 20
            colour = one.colour or PALETTE[i % len(PALETTE)]
            parts.append(
                f'<rect class="series-{i}" x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            )
            parts.append(_text(x + 16, y, name, anchor="start", size=12))
            x += width + 14
        parts.append("</g>")
        return parts


def _legend_rows(names: Sequence[str]) -> int:
    if not names:
        return 0
    rows, x = 1, MARGIN_LEFT
    for name in names:
        width = 22 + len(name) * 7.2
        if x + width > WIDTH - MARGIN_RIGHT and x > MARGIN_LEFT:
            rows, x = rows + 1, MARGIN_LEFT
        x += width + 14
    return rows


def _bar(x, y, width, height, *, index: int, colour: str, label: str, link: str | None) -> str:
    rect = (
        f'<rect class="series-{index}" x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" '
        f'height="{max(height, 0):.1f}" fill="{escape(colour)}"><title>{escape(label)}</title></rect>'
    )
    if link:
        return f'<a href="{escape(link)}" aria-label="{escape(label)}">{rect}</a>'
    return rect


def _svg(title: str, description: str, body: list[str]) -> SafeString:
    uid = f"chart-{next(_ids)}"
    # A picture is one image to assistive technology; with links to the records behind its bars it is a group whose
    # links stay reachable (an image's children are hidden, and a link inside one is "nested-interactive").
    role = "group" if any("<a " in part for part in body) else "img"
    return mark_safe(  # noqa: S308 (every piece of text above went through escape())
        f'<svg class="chart" role="{role}" aria-label="{escape(title)}" aria-describedby="{uid}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Be Vietnam Pro, system-ui, sans-serif">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _empty(title: str, message: str) -> SafeString:
    body = [_text(WIDTH / 2, HEIGHT / 2, message, size=14, cls="chart-empty")]
    return _svg(title, message, body)


def bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    values: Sequence[float],
    links: Sequence[str | None] = (),
    colours: Sequence[str] = (),
    y_label: str = "",
    value_format: Callable = group_digits,
    empty: str = "",
) -> SafeString:
    """One bar per category (`colours`: one per bar, e.g. each star count's own)."""
    return grouped_bar_chart(
        title=title,
        categories=categories,
        series=[Series(title, values, list(links), colours=list(colours))],
        y_label=y_label,
        value_format=value_format,
        legend=False,
        empty=empty,
    )


def grouped_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str = "",
    value_format: Callable = group_digits,
    legend: bool = True,
    empty: str = "",
) -> SafeString:
    """Bars side by side within each category, one per series."""
    maximum = max((v or 0 for s in series for v in s.values), default=0)
    if not categories or not series or maximum <= 0:
        return _empty(title, empty or title)
    names = [s.name for s in series] if legend else []
    frame = _Frame(categories, maximum, legend_rows=_legend_rows(names), y_label=y_label, tick_format=value_format)
    parts = frame.axes()
    inner = frame.band * 0.8
    width = inner / len(series)
    parts.append('<g class="chart-bars">')
    for i, category in enumerate(frame.categories):
        start = frame.left + frame.band * i + (frame.band - inner) / 2
        for k, s in enumerate(series):
            value = s.values[i] or 0
            if not value:
                continue
            y = frame.y(value)
            label = f"{category} – {s.name}: {value_format(value)}" if legend else f"{category}: {value_format(value)}"
            parts.append(
                _bar(
                    start + k * width + 1,
                    y,
                    width - 2,
                    frame.bottom - y,
                    index=k,
                    colour=s.fill(k, i),
                    label=label,
                    link=s.link(i),
                )
            )
    parts.append("</g>")
    parts += frame.legend(series if legend else [])
    description = "; ".join(
        f"{category}: " + ", ".join(f"{s.name} {value_format(s.values[i] or 0)}" for s in series)
        if legend
        else f"{category}: {value_format(series[0].values[i] or 0)}"
        for i, category in enumerate(frame.categories)
    )
    return _svg(title, description, parts)


def stacked_bar_chart(
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    y_label: str = "",
    value_format: Callable = group_digits,
    empty: str = "",
) -> SafeString:
    """One bar per category, its segments the series stacked from the axis up."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    maximum = max(totals, default=0)
    if not categories or not series or maximum <= 0:
        return _empty(title, empty or title)
    names = [s.name for s in series]
    frame = _Frame(categories, maximum, legend_rows=_legend_rows(names), y_label=y_label, tick_format=value_format)
    parts = frame.axes()
    width = frame.band * 0.7
    parts.append('<g class="chart-bars">')
    for i, category in enumerate(frame.categories):
        x = frame.left + frame.band * i + (frame.band - width) / 2
        base = 0
        for k, s in enumerate(series):
            value = s.values[i] or 0
            if not value:
                continue
            y_top, y_bottom = frame.y(base + value), frame.y(base)
            label = f"{category} – {s.name}: {value_format(value)}"
            colour = s.fill(k, i)
            parts.append(_bar(x, y_top, width, y_bottom - y_top, index=k, colour=colour, label=label, link=s.link(i)))
            base += value
    parts.append("</g>")
    parts += frame.legend(series)
    description = "; ".join(
        f"{category}: {value_format(totals[i])} ("
        + ", ".join(f"{s.name} {value_format(s.values[i] or 0)}" for s in series)
        + ")"
        for i, category in enumerate(frame.categories)
    )
    return _svg(title, description, parts)
