"""The comparison of provinces (`/staff/provinces/compare/`): every province × recognitions by level, OCOP products
by stars, khuyến công projects and funding, trade fairs; sortable by any column through the query string, with
the national totals, a rank and Excel/CSV export of the same table. Seven queries whatever the data: the session
and the user, the reference (provinces, levels, groups) and one aggregate per measure.

Ministry officials and superusers read every province; a province's staff read their own row against the
national totals (portal.comparison.table)."""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.core.access import can_read_lists, requires
from portal.core.formatting import group_digits, vn_date
from portal.core.list_exports import EXPORT_PARAM, FORMATS
from portal.core.palette import level_colour
from portal.dashboards import charts
from portal.dashboards.blocks.links import Links
from portal.dashboards.by_province import RECORDED, TODAY
from portal.dashboards.reference import Scope, dashboard_reference
from portal.dashboards.tallies import last_refresh

from . import export
from .forms import BASES, ComparisonForm
from .table import NAME, OCOP, PROJECTS, RECOGNITIONS, Comparison, Row, compare

CHART_ROWS = 10


@dataclass
class Cell:
    key: str
    text: str
    url: str | None
    strong: bool


def cell_url(links: Links, key: str, comparison: Comparison) -> str:
    """The list of the records a figure counts, filtered the same way."""
    kind, _sep, arg = key.partition(":")
    if kind == "level":
        return links.recognitions(level=arg)
    if kind == RECOGNITIONS:
        return links.recognitions()
    as_of = vn_date(comparison.ocop_day)
    if kind == "stars":
        return links.ocop(stars=arg, as_of=as_of)
    if kind == OCOP:
        return links.ocop(stars_min=3, as_of=as_of)
    if kind == "funding":
        return links.projects(source=arg or None)
    if kind == PROJECTS:
        return links.projects()
    return links.fairs()


def row_links(row: Row, comparison: Comparison) -> Links | None:
    """Links for a province's row; the totals row links to the national lists for a national reader only (a
    province's lists hold its own records, not the country's)."""
    period = comparison.period
    years = {"year_from": period.year_from, "year_to": period.year_to, "group": period.group}
    if row.pk is None:
        return Links(Scope(**years)) if comparison.national else None
    if period.basis == RECORDED:
        return Links(Scope(recorded_province=row.pk, **years))
    return Links(Scope(province=row.pk, **years))


def cells(row: Row, comparison: Comparison) -> list[Cell]:
    links = row_links(row, comparison)
    out = []
    for column in comparison.columns:
        value = row.values[column.key]
        url = cell_url(links, column.key, comparison) if links is not None and value else None
        out.append(Cell(column.key, group_digits(value), url, column.total))
    return out


def ranking_chart(comparison: Comparison, levels) -> str:
    """The first provinces in the table's order, their recognitions stacked by level (each level its colour)."""
    rows = [r for r in comparison.rows if r.values[RECOGNITIONS]][:CHART_ROWS]
    series = [
        charts.Series(
            lv.name,
            [r.values[f"level:{lv.code}"] for r in rows],
            [cell_url(row_links(r, comparison), f"level:{lv.code}", comparison) for r in rows],
            colour=level_colour(lv.code),
        )
        for lv in levels
        if any(r.values[f"level:{lv.code}"] for r in rows)
    ]
    return charts.stacked_bar_chart(
        title=_("Recognitions by level: the first %(n)d provinces in the table's order") % {"n": len(rows)},
        categories=[r.name for r in rows],
        series=series,
        y_label=_("products"),
        empty=_("No recognition matches these filters."),
    )


class ProvinceComparisonView(requires(can_read_lists), View):
    template_name = "portal/comparison/province_comparison.html"

    def get(self, request):
        reference = dashboard_reference(request.user)
        reference.refresh = last_refresh()
        form = ComparisonForm(request.GET or None)
        period = form.period()
        comparison = compare(reference, period, timezone.localdate(), request.GET.get("sort"))
        fmt = request.GET.get(EXPORT_PARAM)
        if fmt in FORMATS:
            return export.response(comparison, fmt)
        sort = comparison.sort
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "comparison": comparison,
                # Not "rows": components/export_links.html reads that name for a second kind of rows.
                "province_rows": [(row, cells(row, comparison)) for row in comparison.rows],
                "totals": cells(comparison.totals, comparison) if comparison.totals else None,
                "headings": headings(comparison),
                "name_sort": f"-{NAME}" if sort == NAME and not comparison.descending else NAME,
                "bases": [(value, label, value == period.basis) for value, label in BASES],
                "recorded": period.basis == RECORDED,
                "today_basis": TODAY,
                "chart": ranking_chart(comparison, reference.levels)
                if comparison.national and len(comparison.rows) > 1
                else "",
            },
        )


def headings(comparison: Comparison) -> list[dict]:
    """Each column with the `sort` value its heading links to (largest first, or the other way round when the
    table is already ordered by that column largest first) and its `aria-sort` when the table is ordered by it."""
    out = []
    for column in comparison.columns:
        current = comparison.sort == column.key
        out.append(
            {
                "column": column,
                "sort": column.key if current and comparison.descending else f"-{column.key}",
                "aria": ("descending" if comparison.descending else "ascending") if current else "",
            }
        )
    return out
