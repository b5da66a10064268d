"""The trade fairs block: fairs and participations by year and level."""

from django.utils.translation import gettext as _

from extension_projects.enums import FairLevel

from .. import charts
from ..selectors import fairs_by_year
from .base import Block
from .tables import Cell, Panel, Row, Table


class FairsBlock(Block):
    def context(self) -> dict:
        scope, links = self.scope, self.links
        counts = fairs_by_year(scope, self.reference.memo)
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
            Cell(level_totals[lv.value], links.fairs(level=lv.value) if level_totals[lv.value] else None)
            for lv in levels
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
        figures = [
            {"id": "key-fairs", "label": _("Trade fairs"), "value": total_fairs, "url": links.fairs()},
            {"id": "key-participations", "label": _("Fair participations"), "value": total_parts, "url": links.fairs()},
        ]
        panel = Panel("fairs", _("Trade fairs"), chart, table, note=note, stacked=True)
        return {"fairs": panel, "key_figures": figures}
