"""Read the values of an .xlsx file's first sheet with python-calamine (a Rust reader: about 3× faster than
openpyxl on a 10,000-row sheet, because it builds no cell objects). The rows come out as openpyxl gives them:
strings, whole numbers as int, other numbers as float, booleans, date cells as datetime, empty cells as None;
blank rows are left out with the line numbers of the others kept."""

import datetime

from python_calamine import CalamineWorkbook


def _value(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)  # noqa: DTZ001 (Excel dates have no zone)
    return value


def read_first_sheet(data, limit: int | None = None) -> list[tuple[int, list]]:
    """[(line, [values…])] of the first sheet, in order; blank rows are absent. Stops after `limit` rows (a
    compressed sheet can be far larger than its upload)."""
    sheet = CalamineWorkbook.from_filelike(data).get_sheet_by_index(0)
    rows = []
    for line, raw in enumerate(sheet.to_python(skip_empty_area=False), 1):
        values = [_value(v) for v in raw]
        while values and values[-1] is None:
            values.pop()
        if not values:
            continue
        rows.append((line, values))
        if limit is not None and len(rows) > limit:
            break
    return rows
