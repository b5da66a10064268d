"""Formula injection guard for every spreadsheet the portal writes or reads (OWASP "CSV injection").

Text a user typed (a product called `=HYPERLINK("http://…","Xem")`) must never become a formula in the file a
colleague opens in Excel. Every writer goes through this module:

- XLSX: text that starts with `= + - @ TAB CR` is written as a plain string cell (openpyxl would otherwise store a
  text starting with `=` as a formula); numbers and dates are untouched, so negative amounts stay numbers.
- CSV: such text gets a leading `'` (which Excel shows as a text marker), and the importer removes it again, so an
  export re-imports unchanged.
"""

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _escaped(value) -> bool:
    return isinstance(value, str) and value.startswith("'") and is_formula_like(value[1:])


def csv_text(value):
    """A CSV cell: formula-like text behind a `'` (and text that already starts with `'=`… gets a second one, so
    that the importer gives it back as it was); anything else as it is."""
    return "'" + value if is_formula_like(value) or _escaped(value) else value


def from_csv_text(value):
    """What the importer reads back from a CSV: the `'` that `csv_text` put before the text is removed."""
    if isinstance(value, str) and value.startswith("'") and (is_formula_like(value[1:]) or _escaped(value[1:])):
        return value[1:]
    return value


def write_only_value(sheet, value):
    """A value for `sheet.append()` on a write-only sheet: formula-like text as a string cell."""
    if is_formula_like(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def set_cell(cell, value):
    """Assign a value to an ordinary (not write-only) cell; formula-like text stays text."""
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
    return cell


def plain_text_cells(book) -> None:
    """Before saving an ordinary workbook: every cell openpyxl took for a formula (text starting with `=`) becomes
    a string cell. The portal writes no formulas of its own, so every such cell holds text a user typed."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
