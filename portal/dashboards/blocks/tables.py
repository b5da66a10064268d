"""What a dashboard block shows: a chart drawn on the server and the tables of the same numbers next to it."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.core.formatting import group_digits
from portal.core.widgets import escape

from .. import charts


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

    @property
    def html(self) -> SafeString:
        """The table's markup, written here rather than by a template: a national page has some 600 cells, and
        the template way (or format_html per cell) cost tens of milliseconds. Every text goes through `escape`."""
        head = "".join(f'<th scope="col" class="num">{escape(c)}</th>' for c in self.columns)
        rows = "".join(self._row(row) for row in self.rows)
        if not self.rows:
            empty = escape(_("Nothing to count for these filters."))
            rows = f'<tr><td colspan="{len(self.columns) + 1}" class="empty">{empty}</td></tr>'
        footer = f"<tfoot>{self._row(self.footer, total=True)}</tfoot>" if self.footer and self.rows else ""
        return mark_safe(  # noqa: S308 (every text above and in _row is escaped)
            f'<div class="table-wrap"><table class="dashboard-table"><caption>{escape(self.caption)}</caption>'
            f'<thead><tr><th scope="col">{escape(self.header)}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody>{footer}</table></div>"
        )

    def _row(self, row: Row, total: bool = False) -> str:
        """A row's markup; the totals row's heading has no link and all its figures are strong."""
        label = escape(row.label)
        if row.url and not total:
            label = f'<a href="{escape(row.url)}">{label}</a>'
        cells = []
        for cell, column in zip(row.cells, self.columns, strict=False):
            text = escape(cell.text)
            if cell.url:
                text = f'<a href="{escape(cell.url)}">{text}</a>'
            if cell.strong or total:
                text = f"<strong>{text}</strong>"
            cells.append(f'<td class="num" data-label="{escape(column)}">{text}</td>')
        row_id = f' id="{escape(row.id)}"' if row.id else ""
        return f'<tr{row_id}><th scope="row">{label}</th>{"".join(cells)}</tr>'


@dataclass
class Panel:
    """A chart with its table (and any further tables), as the dashboard template draws it."""

    id: str
    title: str
    chart: str
    table: Table
    note: str = ""
    extra_tables: list[Table] = field(default_factory=list)
    extra_chart: str = ""
    stacked: bool = False  # a wide table goes under its chart rather than beside it


def cross_table(*, caption, header, rows, columns, counts, row_url, cell_url, total_url, empty_rows=False) -> Table:
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


def series_by_column(rows, columns, counts, cell_url, colour=None) -> list[charts.Series]:
    """A series per column with any count; `colour(column key)` gives a column its own colour (a level's)."""
    return [
        charts.Series(
            label,
            [counts.get((row_key, key), 0) for row_key, _l in rows],
            [cell_url(row_key, key) for row_key, _l in rows],
            colour=colour(key) if colour else None,
        )
        for key, label in columns
        if any(counts.get((row_key, key), 0) for row_key, _l in rows)
    ]
