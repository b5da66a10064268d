"""The OCOP block: rated products by stars, and the province's targets against what the ratings reach."""

from django.utils import timezone
from django.utils.translation import gettext as _

from awards.enums import OCOP_COUNT_METRICS, OcopTargetMetric
from portal.core.formatting import group_digits, vn_date
from portal.core.palette import star_colour

from .. import charts
from ..selectors import ocop_figures
from .base import Block
from .tables import Cell, Panel, Row, Table

# The list filter that counts what a target counts.
TARGET_FILTER = {
    OcopTargetMetric.AT_LEAST_3: {"stars_min": 3},
    OcopTargetMetric.FOUR: {"stars": 4},
    OcopTargetMetric.FIVE: {"stars": 5},
}
TARGET_SHORT = {OcopTargetMetric.AT_LEAST_3: "≥ 3★", OcopTargetMetric.FOUR: "4★", OcopTargetMetric.FIVE: "5★"}
STARS = list(range(1, 6))


class OcopBlock(Block):
    def context(self) -> dict:
        figures = ocop_figures(self.scope, self.reference.refresh, timezone.localdate())
        if not figures.targets_comparable:
            note = _(
                "Targets are set for a whole province today: clear the product group and the province as it was to "
                "compare."
            )
        else:
            note = _(
                "Stars: each product's latest rating. Actual against a target: ratings still valid on 31 December of "
                "the target year (today while the year runs)."
            )
        panel = Panel(
            "ocop",
            _("OCOP ratings"),
            self.stars_chart(figures),
            self.stars_table(figures),
            note=note,
            extra_tables=[self.targets_table(figures)],
            extra_chart=self.targets_chart([r for r in figures.targets if r.metric in OCOP_COUNT_METRICS]),
        )
        figure = {"id": "key-ocop", "label": _("OCOP products rated"), "value": figures.rated, "url": self.links.ocop()}
        return {"ocop": panel, "key_figures": [figure]}

    def stars_table(self, figures) -> Table:
        links = self.links
        table = Table(caption=_("OCOP products by stars"), header=_("Stars"), columns=[_("Products")])
        for s in STARS:
            n = figures.by_stars[s]
            table.rows.append(
                Row(f"{s}★", [Cell(n, links.ocop(stars=s) if n else None)], url=links.ocop(stars=s) if n else None)
            )
        table.footer = Row(_("Total"), [Cell(figures.rated, links.ocop() if figures.rated else None, strong=True)])
        return table

    def stars_chart(self, figures) -> str:
        return charts.bar_chart(
            title=_("OCOP products by stars"),
            categories=[f"{s}★" for s in STARS],
            values=[figures.by_stars[s] for s in STARS],
            links=[self.links.ocop(stars=s) for s in STARS],
            colours=[star_colour(s) for s in STARS],
            y_label=_("products"),
            empty=_("No OCOP rating matches these filters."),
        )

    def _target_url(self, row, metric_filter: dict) -> str:
        old_province = {"recorded_province": row.province_id} if row.province_id else {}
        return self.links.ocop(as_of=vn_date(row.as_of), **metric_filter, **old_province)

    def targets_table(self, figures) -> Table:
        targets = Table(
            caption=_("OCOP targets against what the ratings reach"),
            header=_("Target"),
            columns=[_("By year"), _("Target"), _("Actual"), _("Reached")],
        )
        for row in figures.targets:
            url = self._target_url(row, TARGET_FILTER.get(row.metric, {"stars_min": 3}))
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
        return targets

    def targets_chart(self, compared) -> str:
        return charts.grouped_bar_chart(
            title=_("OCOP targets and actual"),
            categories=[
                f"{r.year}: {TARGET_SHORT[r.metric]}" + (f" ({r.province_name})" if r.province_id else "")
                for r in compared
            ],
            series=[
                charts.Series(_("Target"), [float(r.value) for r in compared]),
                charts.Series(
                    _("Actual"),
                    [r.actual or 0 for r in compared],
                    [self._target_url(r, TARGET_FILTER[r.metric]) for r in compared],
                ),
            ],
            y_label=_("products"),
            empty=_("No OCOP target for this selection."),
        )
