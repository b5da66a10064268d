"""Read the values of an .xlsx file's first sheet with python-calamine (a Rust reader: about 3× faster than
openpyxl on a 10,000-row sheet, because it builds no cell objects). The rows come out as openpyxl gives them:
strings, whole numbers as int, other numbers as float, booleans, date cells as datetime, empty cells as None;
blank rows are left out with the line numbers of the others kept.

calamine builds the whole grid of a sheet, up to its last cell: a few kilobytes naming one cell at XFD1048576 would
take gigabytes. So the file is checked first (`check_bounds`), without calamine: the zip's unpacked size, and every
`<dimension>`, `<row r>` and `<c r>` of the worksheets, streamed."""

import datetime
import re
import zipfile

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from portal.core.formatting import group_digits

MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_RATIO = 300  # unpacked / packed, for members above RATIO_FLOOR (XML compresses well, but not that well)
RATIO_FLOOR = 1024 * 1024
MAX_COLUMNS = 200
DEFAULT_MAX_LINES = 100_000
_MEDIA = re.compile(r"xl/media/", re.IGNORECASE)
_CHUNK = 1024 * 1024


class SheetRefused(ValueError):  # noqa: N818 (the reason is shown to the user)
    """The file is too large, once unpacked, to be read."""


def _column_number(letters):
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _too_large(max_lines, max_columns):
    return SheetRefused(
        _(
            "The sheet reaches beyond line %(lines)s or column %(columns)s (a cell far away, perhaps left by "
            "mistake): delete the rows and columns after the data, or copy the data into a new file."
        )
        % {"lines": group_digits(max_lines), "columns": max_columns}
    )


# A row's `r` is its line ("5"), a cell's its reference ("AB5"); other parts (themes, drawings) have `r`s too.
_LINE = re.compile(rb"<(?:[\w.-]+:)?(?:row|c)\s[^>]*?\br\s*=\s*[\"']\$?[A-Za-z]*\$?(\d+)")
_COLUMN = re.compile(rb"<(?:[\w.-]+:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]+)")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref=[\"']([^\"']*)")
_DIMENSION_PART = re.compile(rb"\$?([A-Za-z]*)\$?(\d*)")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s>/]")


def _scan_sheet(handle, max_lines, max_columns):
    """Stream the worksheet XML (regular expressions over chunks, the numbers compared in C: an XML parser calling
    back per cell would take as long as calamine reading the whole sheet). Rows without an `r` are counted too."""
    rows = 0
    tail = b""
    while True:
        chunk = handle.read(_CHUNK)
        text = tail + chunk
        cut = text.rfind(b"<") if chunk else len(text)  # an element cut by the chunk is read with the next one
        body, tail = text[:cut], text[cut:]
        rows += len(_ROW.findall(body))
        lines = _LINE.findall(body)
        columns = set(_COLUMN.findall(body))
        for ref in _DIMENSION.findall(body):
            for part in ref.split(b":"):
                letters, digits = _DIMENSION_PART.match(part).groups()
                lines += [digits] if digits else []
                columns |= {letters} if letters else set()
        if (
            rows > max_lines
            or (lines and max(map(len, lines)) > 7)
            or (lines and max(map(int, lines)) > max_lines)
            or any(len(c) > 3 or _column_number(c.decode()) > max_columns for c in columns)
        ):
            raise _too_large(max_lines, max_columns)
        if not chunk:
            return
        if len(tail) > _CHUNK:  # no element starts in a whole chunk: not XML, nothing to keep
            tail = b""


def check_bounds(data, max_lines: int = DEFAULT_MAX_LINES, max_columns: int = MAX_COLUMNS):
    """Raise SheetRefused when the file unpacks to too much, or a worksheet reaches past `max_lines` lines or
    `max_columns` columns (its dimension, any row or any cell). Raises ValueError when it is not a readable .xlsx."""
    try:
        archive = zipfile.ZipFile(data)
    except zipfile.BadZipFile as exc:
        raise ValueError("not a zip file") from exc
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        ratio = any(m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
        if unpacked > MAX_UNPACKED_BYTES or ratio:
            raise SheetRefused(
                _("Once unpacked, the file is larger than %(limit)s MB: split it into several files.")
                % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
            )
        for member in members:
            # The workbook's relationships may place a sheet anywhere: every part but the pictures is read.
            if not _MEDIA.match(member.filename):
                with archive.open(member) as handle:
                    _scan_sheet(handle, max_lines, max_columns)
    data.seek(0)


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
    compressed sheet can be far larger than its upload). Raises SheetRefused before reading a sheet that reaches
    past `limit` + 1 lines (the headings) or MAX_COLUMNS columns, or a file that unpacks to too much."""
    check_bounds(data, max_lines=DEFAULT_MAX_LINES if limit is None else limit + 1)
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
