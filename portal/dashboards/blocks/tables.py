"""What a dashboard block shows: a chart drawn on the server and the tables of the same numbers next to it."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.core.formatting import group_digits

from .. import charts


@dataclass
class Cell:
    value: object
    url: str | None = None
    text: str = ""
    strong: bool = False
    label: str = ""  # its column's heading (the narrow screen's layout shows it)

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
    def body(self) -> list[Row]:
        """The rows, each cell labelled with its column's heading."""
        for row in (*self.rows, self.footer) if self.footer else self.rows:
            for cell, column in zip(row.cells, self.columns, strict=False):
                cell.label = column
        return self.rows


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
