"""The recognitions block: products recognised by year, by product group and by producer kind, per level."""

from django.utils.translation import gettext as _

from portal.core.palette import level_colour
from products.enums import ProducerKind

from .. import charts
from ..selectors import recognition_counts
from .base import Block
from .tables import Panel, cross_table, series_by_column


class RecognitionsBlock(Block):
    def context(self) -> dict:
        counts = recognition_counts(self.scope)
        used = {key[0] for key in counts.cells}
        # Levels nothing was recognised at (commune before 2025, district in most provinces) are left out.
        self.levels = [(lv.pk, lv.name) for lv in self.reference.levels if lv.pk in used or not used]
        self.code_of = {lv.pk: lv.code for lv in self.reference.levels}
        panels = [self.by_year(counts), self.by_group(counts), self.by_kind(counts)]
        figure = {
            "id": "key-recognitions",
            "label": _("Recognitions (all levels)"),
            "value": counts.total,
            "url": self.links.recognitions(),
        }
        return {"recognition_blocks": panels, "key_figures": [figure]}

    def _chart(self, title, rows, counts, cell_url) -> str:
        return charts.stacked_bar_chart(
            title=title,
            categories=[label for _key, label in rows],
            series=series_by_column(rows, self.levels, counts, cell_url, lambda lv: level_colour(self.code_of[lv])),
            y_label=_("products"),
            empty=_("No recognition matches these filters."),
        )

    def by_year(self, counts) -> Panel:
        links, code_of = self.links, self.code_of
        by_year = counts.by_year_level()
        years = [(y, str(y)) for y in counts.years()]
        # The chart runs over every year of the span, those without a recognition included.
        span = [(y, str(y)) for y in range(years[0][0], years[-1][0] + 1)] if years else []
        table = cross_table(
            caption=_("Recognitions by year and level"),
            header=_("Year"),
            rows=years,
            columns=self.levels,
            counts=by_year,
            row_url=lambda y: links.recognitions(year=y),
            cell_url=lambda y, lv: links.recognitions(year=y, level=code_of[lv]),
            total_url=links.recognitions(),
        )
        chart = self._chart(
            _("Recognitions by year and level"),
            span,
            by_year,
            lambda y, lv: links.recognitions(year=y, level=code_of[lv]),
        )
        return Panel(
            "recognitions-year",
            _("Recognitions by year and level"),
            chart,
            table,
            note=_("District level until 30 June 2025, commune level from 1 July 2025."),
        )

    def by_group(self, counts) -> Panel:
        groups = [(g.pk, f"{g.code}. {g.name}") for g in self.reference.groups]
        caption = _("Recognitions by product group and level")
        table, chart = self._level_cross(caption, _("Product group"), groups, counts.by_group_level(), "group")
        return Panel("recognitions-group", _("By product group"), chart, table)

    def by_kind(self, counts) -> Panel:
        kinds = [(k.value, str(k.label)) for k in ProducerKind]
        caption = _("Recognitions by producer kind and level")
        table, chart = self._level_cross(caption, _("Producer kind"), kinds, counts.by_kind_level(), "kind")
        return Panel("recognitions-kind", _("By producer kind"), chart, table)

    def _level_cross(self, caption, header, rows, counts, param: str) -> tuple:
        """A rows × levels table (every row shown, empty ones too) and its chart; `param` is the list filter a
        row's key goes in."""
        links, code_of = self.links, self.code_of

        def cell_url(key, level):
            return links.recognitions(**{param: key}, level=code_of[level])

        table = cross_table(
            caption=caption,
            header=header,
            rows=rows,
            columns=self.levels,
            counts=counts,
            row_url=lambda key: links.recognitions(**{param: key}),
            cell_url=cell_url,
            total_url=links.recognitions(),
            empty_rows=True,
        )
        return table, self._chart(caption, rows, counts, cell_url)
