"""The khuyến công block: funding by plan year and source, and the projects' outputs."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from extension_projects.enums import FundingSource, OutputField

from .. import charts
from ..selectors import funding_by_year, outputs_by_year
from .base import Block
from .tables import Cell, Panel, Row, Table

MILLION = 1_000_000
SOURCE_SHORT = {
    FundingSource.NATIONAL: gettext_lazy("National (KCQG)"),
    FundingSource.LOCAL: gettext_lazy("Local (KCĐP)"),
    FundingSource.COUNTERPART: gettext_lazy("Counterpart"),
}
SOURCES = list(FundingSource)


class FundingBlock(Block):
    def context(self) -> dict:
        funding = funding_by_year(self.scope, self.reference.memo)
        outputs = outputs_by_year(self.scope, self.reference.memo)
        years = sorted(set(outputs) | {year for year, _s in funding})
        table, totals = self.funding_table(years, funding, outputs)
        note = _(
            "Amounts: the actual amount at settlement where recorded, else the approved amount. A source's link lists "
            "the projects with an approved amount from it. Level and product group do not apply to projects."
        )
        panel = Panel(
            "funding",
            _("Khuyến công: funding and outputs"),
            self.funding_chart(years, funding),
            table,
            note=note,
            extra_tables=[self.outputs_table(years, outputs)],
            stacked=True,
        )
        links = self.links
        figures = [
            {
                "id": "key-projects",
                "label": _("Khuyến công projects"),
                "value": totals["projects"],
                "url": links.projects(),
            },
            {
                "id": "key-funding",
                "label": _("Khuyến công funding"),
                "value": totals["amount"],
                "money": True,
                "url": links.projects(),
            },
        ]
        return {"funding": panel, "key_figures": figures}

    def funding_table(self, years, funding, outputs) -> tuple[Table, dict]:
        links = self.links
        table = Table(
            caption=_("Extension funding by plan year and source (VND)"),
            header=_("Plan year"),
            columns=[_("Projects")] + [str(SOURCE_SHORT[s]) for s in SOURCES] + [_("Total (VND)")],
        )
        totals = {"projects": 0, "amount": 0, **{s.value: 0 for s in SOURCES}, **{f"n_{s.value}": 0 for s in SOURCES}}
        for year in years:
            projects = outputs.get(year, {}).get("projects", 0)
            amounts = [funding.get((year, s.value), {}).get("amount", 0) for s in SOURCES]
            cells = [Cell(projects, links.projects(year=year) if projects else None)]
            for s, amount in zip(SOURCES, amounts, strict=True):
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
            for s in SOURCES
        ]
        footer.append(Cell(totals["amount"], links.projects() if totals["projects"] else None, strong=True))
        table.footer = Row(_("Total"), footer, id="funding-total")
        return table, totals

    def outputs_table(self, years, outputs) -> Table:
        output_fields = [(f.value, str(f.label)) for f in OutputField] + [("jobs_created", _("Jobs created"))]
        table = Table(
            caption=_("Outputs of the projects by plan year"),
            header=_("Plan year"),
            columns=[label for _name, label in output_fields],
        )
        sums = dict.fromkeys((name for name, _l in output_fields), 0)
        for year in years:
            row = outputs.get(year, {})
            for name, _l in output_fields:
                sums[name] += row.get(name, 0)
            table.rows.append(
                Row(
                    str(year),
                    [Cell(row.get(name, 0)) for name, _l in output_fields],
                    url=self.links.projects(year=year),
                )
            )
        table.footer = Row(_("Total"), [Cell(sums[name], strong=True) for name, _l in output_fields])
        return table

    def funding_chart(self, years, funding) -> str:
        return charts.stacked_bar_chart(
            title=_("Extension funding by plan year and source (million VND)"),
            categories=[str(y) for y in years],
            series=[
                charts.Series(
                    str(SOURCE_SHORT[s]),
                    [round(funding.get((y, s.value), {}).get("amount", 0) / MILLION) for y in years],
                    [self.links.projects(year=y, source=s.value) for y in years],
                )
                for s in SOURCES
            ],
            y_label=_("million VND"),
            empty=_("No project matches these filters."),
        )
