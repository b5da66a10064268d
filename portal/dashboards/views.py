"""The staff dashboard: a province's figures for its staff, every province's (or one chosen) for a ministry official
or a superuser. Each block is a chart drawn on the server (portal.dashboards.charts) and a table of the same
numbers next to it; every number links to the list of the records it counts, filtered the same way."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from awards.enums import OCOP_COUNT_METRICS, OcopTargetMetric
from extension_projects.enums import FairLevel, FundingSource, OutputField
from portal.core.access import can_read_lists, is_staff, requires
from portal.core.formatting import group_digits, vn_date
from portal.core.widgets import FastSelect
from products.enums import ProducerKind
from products.search import vietnamese_key

from . import charts
from .selectors import (
    Reference,
    Scope,
    dashboard_reference,
    fairs_by_year,
    funding_by_year,
    ocop_figures,
    outputs_by_year,
    recognition_counts,
)

MILLION = 1_000_000
SOURCE_SHORT = {
    FundingSource.NATIONAL: gettext_lazy("National (KCQG)"),
    FundingSource.LOCAL: gettext_lazy("Local (KCĐP)"),
    FundingSource.COUNTERPART: gettext_lazy("Counterpart"),
}


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, with the same names as the lists' filters. Choices come from the page's one
    reference query, so the form costs no query of its own."""

    province = forms.TypedChoiceField(
        label=gettext_lazy("Province (today)"), coerce=int, required=False, widget=FastSelect
    )
    recorded_province = forms.TypedChoiceField(
        label=gettext_lazy("Province as it was (before 1 July 2025)"), coerce=int, required=False, widget=FastSelect
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("From year"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("To year"),
        min_value=2000,
        max_value=2100,
        required=False,
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
    )
    level = forms.ChoiceField(label=gettext_lazy("Level"), required=False, widget=FastSelect)
    group = forms.TypedChoiceField(label=gettext_lazy("Product group"), coerce=int, required=False, widget=FastSelect)

    def __init__(self, *args, reference: Reference, **kwargs):
        super().__init__(*args, **kwargs)
        if reference.national:
            self.fields["province"].choices = [("", _("All provinces"))] + [
                (p.pk, p.name) for p in sorted(reference.today_provinces(), key=lambda p: vietnamese_key(p.name))
            ]
        else:  # a province's staff read their own province: nothing to choose
            del self.fields["province"]
        self.fields["recorded_province"].choices = [("", "—")] + [
            (p.pk, p.name) for p in sorted(reference.old_provinces(), key=lambda p: vietnamese_key(p.name))
        ]
        self.fields["level"].choices = [("", _("All levels"))] + [(lv.code, lv.name) for lv in reference.levels]
        self.fields["group"].choices = [("", _("All groups"))] + [(g.pk, g.name) for g in reference.groups]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The end year comes before the start year."))
        return data


def scope_of(reference: Reference, form: DashboardFilterForm) -> Scope:
    """The reader's province and the filters that validated (an invalid value is shown as an error and ignored)."""
    data = form.cleaned_data if form.is_bound else {}
    errors = form.errors if form.is_bound else {}

    def value(name):
        return None if name in errors else (data.get(name) or None)

    return Scope(
        reach=reference.reach,
        province=value("province"),
        recorded_province=value("recorded_province"),
        year_from=value("year_from"),
        year_to=value("year_to"),
        level=value("level"),
        group=value("group"),
    )


class Links:
    """URLs of the lists behind the figures, carrying the dashboard's province and filters."""

    def __init__(self, scope: Scope):
        self.scope = scope
        today = scope.province or scope.own_province
        self.place = {"province": today} if today else {}
        if scope.recorded_province:
            self.place["recorded_province"] = scope.recorded_province

    @staticmethod
    def _url(name: str, params: dict) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        url = reverse(name)
        return f"{url}?{query}" if query else url

    def _years(self, year=None) -> dict:
        if year is not None:
            return {"year_from": year, "year_to": year}
        return {"year_from": self.scope.year_from, "year_to": self.scope.year_to}

    def recognitions(self, *, year=None, level=None, group=None, kind=None) -> str:
        params = {
            **self.place,
            **self._years(year),
            "level": level or self.scope.level,
            "group": group or self.scope.group,
            "kind": kind,
        }
        return self._url("awards:staff.recognition.list", params)

    def ocop(self, **params) -> str:
        return self._url("awards:staff.ocop.list", {**self.place, "group": self.scope.group, **params})

    def projects(self, *, year=None, source=None) -> str:
        return self._url("extension_projects:staff.project.list", {**self.place, **self._years(year), "source": source})

    def fairs(self, *, year=None, level=None) -> str:
        place = self.scope.recorded_province or self.place.get("province")
        return self._url("extension_projects:staff.fair.list", {"province": place, **self._years(year), "level": level})


# -- the tables next to the charts -------------------------------------------------------------------------------------
@dataclass
class Cell:
    value: object
    url: str | None = None
    text: str = ""
    strong: bool = False

    def __post_init__(self):
        if not self.text:
            self.text = "" if self.value is None else group_digits(self.value)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    url: str | None = None
    id: str = ""


@dataclass
class Table:
    caption: str
    header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    footer: Row | None = None


@dataclass
class Block:
    id: str
    title: str
    chart: str
    table: Table
    note: str = ""
    extra_tables: list[Table] = field(default_factory=list)
    extra_chart: str = ""
    stacked: bool = False  # a wide table goes under its chart rather than beside it


def _cross_table(*, caption, header, rows, columns, counts, row_url, cell_url, total_url, empty_rows=False) -> Table:
    """Rows × columns of counts with row totals and a totals row; `rows`/`columns` are (key, label) pairs."""
    table = Table(caption=caption, header=header, columns=[label for _key, label in columns] + [_("Total")])
    column_totals = {key: 0 for key, _label in columns}
    for row_key, row_label in rows:
        values = [counts.get((row_key, key), 0) for key, _label in columns]
        total = sum(values)
        if not total and not empty_rows:
            continue
        for (key, _label), n in zip(columns, values, strict=True):
            column_totals[key] += n
        cells = [
            Cell(n, cell_url(row_key, key) if n else None) for (key, _label), n in zip(columns, values, strict=True)
        ]
        cells.append(Cell(total, row_url(row_key) if total else None, strong=True))
        table.rows.append(Row(row_label, cells, url=row_url(row_key) if total else None))
    grand = sum(column_totals.values())
    footer_cells = [
        Cell(column_totals[key], cell_url(None, key) if column_totals[key] else None) for key, _l in columns
    ]
    footer_cells.append(Cell(grand, total_url if grand else None, strong=True))
    table.footer = Row(_("Total"), footer_cells, url=total_url if grand else None)
    return table


def _series_by_column(rows, columns, counts, cell_url) -> list[charts.Series]:
    return [
        charts.Series(
            label,
            [counts.get((row_key, key), 0) for row_key, _l in rows],
            [cell_url(row_key, key) for row_key, _l in rows],
        )
        for key, label in columns
        if any(counts.get((row_key, key), 0) for row_key, _l in rows)
    ]


def recognition_blocks(reference: Reference, scope: Scope, links: Links) -> tuple[list[Block], int]:
    counts = recognition_counts(scope)
    used = {key[0] for key in counts.cells}
    # Levels nothing was recognised at (commune before 2025, district in most provinces) are left out.
    levels = [(lv.pk, lv.name) for lv in reference.levels if lv.pk in used or not used]
    code_of = {lv.pk: lv.code for lv in reference.levels}
    empty = _("No recognition matches these filters.")
    blocks = []

    by_year = counts.by_year_level()
    years = [(y, str(y)) for y in counts.years()]
    # The chart runs over every year of the span, those without a recognition included.
    span = [(y, str(y)) for y in range(years[0][0], years[-1][0] + 1)] if years else []
    table = _cross_table(
        caption=_("Recognitions by year and level"),
        header=_("Year"),
        rows=years,
        columns=levels,
        counts=by_year,
        row_url=lambda y: links.recognitions(year=y),
        cell_url=lambda y, lv: links.recognitions(year=y, level=code_of[lv]),
        total_url=links.recognitions(),
    )
    chart = charts.stacked_bar_chart(
        title=_("Recognitions by year and level"),
        categories=[label for _y, label in span],
        series=_series_by_column(span, levels, by_year, lambda y, lv: links.recognitions(year=y, level=code_of[lv])),
        y_label=_("products"),
        empty=empty,
    )
    blocks.append(
        Block(
            "recognitions-year",
            _("Recognitions by year and level"),
            chart,
            table,
            note=_("District level until 30 June 2025, commune level from 1 July 2025."),
        )
    )

    groups = [(g.pk, f"{g.code}. {g.name}") for g in reference.groups]
    by_group = counts.by_group_level()
    table = _cross_table(
        caption=_("Recognitions by product group and level"),
        header=_("Product group"),
        rows=groups,
        columns=levels,
        counts=by_group,
        row_url=lambda g: links.recognitions(group=g),
        cell_url=lambda g, lv: links.recognitions(group=g, level=code_of[lv]),
        total_url=links.recognitions(),
        empty_rows=True,
    )
    chart = charts.stacked_bar_chart(
        title=_("Recognitions by product group and level"),
        categories=[label for _g, label in groups],
        series=_series_by_column(
            groups, levels, by_group, lambda g, lv: links.recognitions(group=g, level=code_of[lv])
        ),
        y_label=_("products"),
        empty=empty,
    )
    blocks.append(Block("recognitions-group", _("By product group"), chart, table))

    kinds = [(k.value, str(k.label)) for k in ProducerKind]
    by_kind = counts.by_kind_level()
    table = _cross_table(
        caption=_("Recognitions by producer kind and level"),
        header=_("Producer kind"),
        rows=kinds,
        columns=levels,
        counts=by_kind,
        row_url=lambda k: links.recognitions(kind=k),
        cell_url=lambda k, lv: links.recognitions(kind=k, level=code_of[lv]),
        total_url=links.recognitions(),
        empty_rows=True,
    )
    chart = charts.stacked_bar_chart(
        title=_("Recognitions by producer kind and level"),
        categories=[label for _k, label in kinds],
        series=_series_by_column(kinds, levels, by_kind, lambda k, lv: links.recognitions(kind=k, level=code_of[lv])),
        y_label=_("products"),
        empty=empty,
    )
    blocks.append(Block("recognitions-kind", _("By producer kind"), chart, table))
    return blocks, counts.total


def ocop_block(scope: Scope, links: Links) -> tuple[Block, int]:
    today = timezone.localdate()
    figures = ocop_figures(scope, today)
    stars = list(range(1, 6))
    table = Table(caption=_("OCOP products by stars"), header=_("Stars"), columns=[_("Products")])
    for s in stars:
        n = figures.by_stars[s]
        table.rows.append(
            Row(f"{s}★", [Cell(n, links.ocop(stars=s) if n else None)], url=links.ocop(stars=s) if n else None)
        )
    table.footer = Row(_("Total"), [Cell(figures.rated, links.ocop() if figures.rated else None, strong=True)])
    chart = charts.bar_chart(
        title=_("OCOP products by stars"),
        categories=[f"{s}★" for s in stars],
        values=[figures.by_stars[s] for s in stars],
        links=[links.ocop(stars=s) for s in stars],
        y_label=_("products"),
        empty=_("No OCOP rating matches these filters."),
    )
    targets = Table(
        caption=_("OCOP targets against what the ratings reach"),
        header=_("Target"),
        columns=[_("By year"), _("Target"), _("Actual"), _("Reached")],
    )
    minimum = {
        OcopTargetMetric.AT_LEAST_3: {"stars_min": 3},
        OcopTargetMetric.FOUR: {"stars": 4},
        OcopTargetMetric.FIVE: {"stars": 5},
    }
    compared = []
    for row in figures.targets:
        old_province = {"recorded_province": row.province_id} if row.province_id else {}
        url = links.ocop(as_of=vn_date(row.as_of), **minimum.get(row.metric, {"stars_min": 3}), **old_province)
        suffix = " %" if row.is_share else ""
        actual_text = "—" if row.actual is None else group_digits(float(row.actual)) + suffix
        targets.rows.append(
            Row(
                row.label,
                [
                    Cell(row.year, text=str(row.year)),
                    Cell(row.value, text=group_digits(float(row.value)) + suffix),
                    Cell(row.actual, url if row.actual else None, text=actual_text),
                    Cell(row.reached, text="" if row.reached is None else f"{group_digits(float(row.reached))} %"),
                ],
            )
        )
        if row.metric in OCOP_COUNT_METRICS:
            compared.append(row)
    short = {OcopTargetMetric.AT_LEAST_3: "≥ 3★", OcopTargetMetric.FOUR: "4★", OcopTargetMetric.FIVE: "5★"}
    target_chart = charts.grouped_bar_chart(
        title=_("OCOP targets and actual"),
        categories=[
            f"{r.year}: {short[r.metric]}" + (f" ({r.province_name})" if r.province_id else "") for r in compared
        ],
        series=[
            charts.Series(_("Target"), [float(r.value) for r in compared]),
            charts.Series(
                _("Actual"),
                [r.actual or 0 for r in compared],
                [
                    links.ocop(
                        as_of=vn_date(r.as_of),
                        **minimum[r.metric],
                        **({"recorded_province": r.province_id} if r.province_id else {}),
                    )
                    for r in compared
                ],
            ),
        ],
        y_label=_("products"),
        empty=_("No OCOP target for this selection."),
    )
    if not figures.targets_comparable:
        note = _(
            "Targets are set for a whole province today: clear the product group and the province as it was to compare."
        )
    else:
        note = _(
            "Stars: each product's latest rating. Actual against a target: ratings still valid on 31 December of the "
            "target year (today while the year runs)."
        )
    block = Block("ocop", _("OCOP ratings"), chart, table, note=note, extra_tables=[targets], extra_chart=target_chart)
    return block, figures.rated


def funding_block(scope: Scope, links: Links) -> tuple[Block, dict]:
    funding = funding_by_year(scope)
    outputs = outputs_by_year(scope)
    years = sorted(set(outputs) | {year for year, _s in funding})
    sources = list(FundingSource)
    table = Table(
        caption=_("Extension funding by plan year and source (VND)"),
        header=_("Plan year"),
        columns=[_("Projects")] + [str(SOURCE_SHORT[s]) for s in sources] + [_("Total (VND)")],
    )
    totals = {"projects": 0, "amount": 0, **{s.value: 0 for s in sources}, **{f"n_{s.value}": 0 for s in sources}}
    for year in years:
        projects = outputs.get(year, {}).get("projects", 0)
        amounts = [funding.get((year, s.value), {}).get("amount", 0) for s in sources]
        cells = [Cell(projects, links.projects(year=year) if projects else None)]
        for s, amount in zip(sources, amounts, strict=True):
            funded = funding.get((year, s.value), {}).get("projects", 0)
            cells.append(Cell(amount, links.projects(year=year, source=s.value) if funded else None))
            totals[s.value] += amount
            totals[f"n_{s.value}"] += funded
        cells.append(Cell(sum(amounts), links.projects(year=year) if projects else None, strong=True))
        totals["projects"] += projects
        totals["amount"] += sum(amounts)
        table.rows.append(
            Row(str(year), cells, url=links.projects(year=year) if projects else None, id=f"funding-{year}")
        )
    footer = [Cell(totals["projects"], links.projects() if totals["projects"] else None, strong=True)]
    footer += [
        Cell(totals[s.value], links.projects(source=s.value) if totals[f"n_{s.value}"] else None, strong=True)
        for s in sources
    ]
    footer.append(Cell(totals["amount"], links.projects() if totals["projects"] else None, strong=True))
    table.footer = Row(_("Total"), footer, id="funding-total")

    output_fields = [(f.value, str(f.label)) for f in OutputField] + [("jobs_created", _("Jobs created"))]
    out_table = Table(
        caption=_("Outputs of the projects by plan year"),
        header=_("Plan year"),
        columns=[label for _name, label in output_fields],
    )
    sums = dict.fromkeys((name for name, _l in output_fields), 0)
    for year in years:
        row = outputs.get(year, {})
        for name, _l in output_fields:
            sums[name] += row.get(name, 0)
        out_table.rows.append(
            Row(str(year), [Cell(row.get(name, 0)) for name, _l in output_fields], url=links.projects(year=year))
        )
    out_table.footer = Row(_("Total"), [Cell(sums[name], strong=True) for name, _l in output_fields])

    chart = charts.stacked_bar_chart(
        title=_("Extension funding by plan year and source (million VND)"),
        categories=[str(y) for y in years],
        series=[
            charts.Series(
                str(SOURCE_SHORT[s]),
                [round(funding.get((y, s.value), {}).get("amount", 0) / MILLION) for y in years],
                [links.projects(year=y, source=s.value) for y in years],
            )
            for s in sources
        ],
        y_label=_("million VND"),
        empty=_("No project matches these filters."),
    )
    note = _(
        "Amounts: the actual amount at settlement where recorded, else the approved amount. A source's link lists "
        "the projects with an approved amount from it. Level and product group do not apply to projects."
    )
    block = Block(
        "funding",
        _("Khuyến công: funding and outputs"),
        chart,
        table,
        note=note,
        extra_tables=[out_table],
        stacked=True,
    )
    return block, {"projects": totals["projects"], "amount": totals["amount"]}


def fairs_block(scope: Scope, links: Links) -> tuple[Block, dict]:
    counts = fairs_by_year(scope)
    years = sorted({year for year, _l in counts})
    levels = list(FairLevel)
    table = Table(
        caption=_("Trade fairs and participations by year and level"),
        header=_("Year"),
        columns=[str(lv.label) for lv in levels] + [_("Fairs"), _("Participations")],
    )
    fair_totals, part_totals = [], []
    level_totals = {lv.value: 0 for lv in levels}
    for year in years:
        cells = []
        for lv in levels:
            n = counts.get((year, lv.value), {}).get("fairs", 0)
            level_totals[lv.value] += n
            cells.append(Cell(n, links.fairs(year=year, level=lv.value) if n else None))
        fairs = sum(counts.get((year, lv.value), {}).get("fairs", 0) for lv in levels)
        parts = sum(counts.get((year, lv.value), {}).get("participations", 0) for lv in levels)
        fair_totals.append(fairs)
        part_totals.append(parts)
        cells += [
            Cell(fairs, links.fairs(year=year), strong=True),
            Cell(parts, links.fairs(year=year) if parts else None),
        ]
        table.rows.append(Row(str(year), cells, url=links.fairs(year=year)))
    total_fairs, total_parts = sum(fair_totals), sum(part_totals)
    footer = [
        Cell(level_totals[lv.value], links.fairs(level=lv.value) if level_totals[lv.value] else None) for lv in levels
    ]
    footer += [
        Cell(total_fairs, links.fairs() if total_fairs else None, strong=True),
        Cell(total_parts, links.fairs() if total_parts else None, strong=True),
    ]
    table.footer = Row(_("Total"), footer, id="fairs-total")
    chart = charts.grouped_bar_chart(
        title=_("Trade fairs and participations by year"),
        categories=[str(y) for y in years],
        series=[
            charts.Series(_("Fairs"), fair_totals, [links.fairs(year=y) for y in years]),
            charts.Series(_("Participations"), part_totals, [links.fairs(year=y) for y in years]),
        ],
        empty=_("No fair matches these filters."),
    )
    note = _("Participations: producers taking part in a fair. Level and product group do not apply to fairs.")
    block = Block("fairs", _("Trade fairs"), chart, table, note=note, stacked=True)
    return block, {"fairs": total_fairs, "participations": total_parts}


class DashboardView(requires(can_read_lists), View):
    """Nine queries whatever the data: two for the session and the user, one for the reference data (provinces,
    levels, groups), six for the blocks."""

    template_name = "portal/dashboards/dashboard.html"

    def get(self, request):
        reference = dashboard_reference(request.user)
        form = DashboardFilterForm(request.GET or None, reference=reference)
        if form.is_bound:
            form.is_valid()
        scope = scope_of(reference, form)
        links = Links(scope)
        recognition, recognitions_total = recognition_blocks(reference, scope, links)
        ocop, rated = ocop_block(scope, links)
        funding, funding_totals = funding_block(scope, links)
        fairs, fair_totals = fairs_block(scope, links)
        chosen = scope.recorded_province or scope.province or scope.own_province
        province = reference.provinces.get(chosen) if chosen else None
        level = reference.level_by_code(scope.level)
        key_figures = [
            {
                "id": "key-recognitions",
                "label": _("Recognitions (all levels)"),
                "value": recognitions_total,
                "url": links.recognitions(),
            },
            {"id": "key-ocop", "label": _("OCOP products rated"), "value": rated, "url": links.ocop()},
            {
                "id": "key-projects",
                "label": _("Khuyến công projects"),
                "value": funding_totals["projects"],
                "url": links.projects(),
            },
            {
                "id": "key-funding",
                "label": _("Khuyến công funding"),
                "value": funding_totals["amount"],
                "money": True,
                "url": links.projects(),
            },
            {"id": "key-fairs", "label": _("Trade fairs"), "value": fair_totals["fairs"], "url": links.fairs()},
            {
                "id": "key-participations",
                "label": _("Fair participations"),
                "value": fair_totals["participations"],
                "url": links.fairs(),
            },
        ]
        return render(
            request,
            self.template_name,
            {
                "filter": {"form": form},
                "form": form,
                "national": reference.national,
                "province": province,
                "own_province": reference.provinces.get(reference.own_province),
                "scope": scope,
                "level": level,
                "key_figures": key_figures,
                "recognition_blocks": recognition,
                "ocop": ocop,
                "funding": funding,
                "fairs": fairs,
                # The staff pages these buttons open do not take ministry accounts (yet).
                "staff_pages": is_staff(request.user),
                "recognition_summary_url": reverse("awards:staff.recognition.summary"),
                "ocop_targets_url": reverse("awards:staff.ocop.targets")
                + (f"?province={scope.province}" if scope.province else ""),
            },
        )
