"""The national dashboard's ranking of provinces: the provinces with the most recognitions (at the chosen level, or
all levels), by level, from the comparison of provinces' read (`by_province`, one query). Shown to national
readers when no province is chosen; the comparison page has every province and every figure."""

from django.utils.translation import gettext as _

from portal.core.palette import level_colour

from .. import charts
from ..by_province import TODAY, Period, recognitions_by_province
from ..reference import Scope
from .base import Block
from .links import Links
from .tables import Cell, Panel, Row, Table

TOP = 10


class ProvincesBlock(Block):
    def context(self) -> dict:
        scope = self.scope
        if not self.reference.national or scope.province or scope.recorded_province:
            return {"provinces": None, "key_figures": []}
        period = Period(basis=TODAY, year_from=scope.year_from, year_to=scope.year_to, group=scope.group)
        counts = recognitions_by_province(period)
        levels = [lv for lv in self.reference.levels if any(lv.code in c for c in counts.values())]
        if scope.level:
            levels = [lv for lv in levels if lv.code == scope.level]
        provinces = [p for p in self.reference.today_provinces() if p.pk in counts]
        total = {p.pk: sum(counts[p.pk].get(lv.code, 0) for lv in levels) for p in provinces}
        ranked = sorted((p for p in provinces if total[p.pk]), key=lambda p: -total[p.pk])[:TOP]
        table = Table(
            caption=_("Provinces with the most recognitions"),
            header=_("Province today"),
            columns=[lv.name for lv in levels] + [_("Total")],
        )
        series = {lv.code: [] for lv in levels}
        for place, province in enumerate(ranked, start=1):
            links = self._links(province.pk)
            cells = []
            for lv in levels:
                n = counts[province.pk].get(lv.code, 0)
                series[lv.code].append((n, links.recognitions(level=lv.code)))
                cells.append(Cell(n, links.recognitions(level=lv.code) if n else None))
            cells.append(Cell(total[province.pk], links.recognitions(), strong=True))
            table.rows.append(Row(f"{place}. {province.name}", cells, url=links.recognitions()))
        chart = charts.stacked_bar_chart(
            title=_("Provinces with the most recognitions, by level"),
            categories=[p.name for p in ranked],
            series=[
                charts.Series(
                    lv.name, [n for n, _u in series[lv.code]], [u for _n, u in series[lv.code]], level_colour(lv.code)
                )
                for lv in levels
            ],
            y_label=_("products"),
            empty=_("No recognition matches these filters."),
        )
        panel = Panel(
            "provinces",
            _("Ranking of provinces"),
            chart,
            table,
            note=_(
                "The %(n)d provinces (today's) with the most recognitions; the comparison of provinces has all of "
                "them and every figure."
            )
            % {"n": TOP},
        )
        return {"provinces": panel, "key_figures": []}

    def _links(self, province: int) -> Links:
        scope = self.scope
        return Links(
            Scope(
                province=province,
                year_from=scope.year_from,
                year_to=scope.year_to,
                level=scope.level,
                group=scope.group,
            )
        )
