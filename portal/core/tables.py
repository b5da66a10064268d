"""Reading an uploaded spreadsheet (the first sheet of an .xlsx, or a CSV) into rows, the one way the portal
does it: the staff import pages and the admin's import both call `read_table`. Every refusal is an
`ImportRefused` (a ValidationError) with a Vietnamese reason naming the file: wrong kind (by content, not name),
too large, an .xlsx "bomb" (sizes, ratio, rows and columns are checked before a cell is read, `xlsx.py`), not
UTF-8, empty, no headings. CSV formula markers written by the portal's exports are removed."""

import csv
import io
import unicodedata
import zipfile

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .formatting import group_digits
from .spreadsheets import from_csv_text
from .xlsx import SheetRefused, read_first_sheet

EXTENSIONS = (".xlsx", ".csv")
MAX_ROWS = 20_000


class ImportRefused(ValidationError):  # noqa: N818 (a ValidationError the form shows, named for what the user sees)
    """The file as a whole cannot be read (wrong kind, too large, damaged, empty)."""


def _cell(value, from_csv=False):
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value).strip()
    # A CSV written by the portal has a ' before text that starts like a formula (portal.core.spreadsheets): removed.
    # An XLSX holds such text as a string cell, with nothing to remove.
    return from_csv_text(value) if from_csv else value


def check_size(name, size):
    if size > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(
            _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


def read_table(name: str, data: bytes) -> tuple[tablib.Dataset, list[int]]:
    """The first sheet (XLSX) or the CSV as a dataset, and the spreadsheet line of each data row (blank lines are
    skipped, so line numbers stay those the user sees)."""
    lower = name.lower()
    if not lower.endswith(EXTENSIONS):
        raise ImportRefused(
            _("“%(name)s” is not an Excel (.xlsx) or CSV (.csv) file: download a template and fill it in.")
            % {"name": name},
            code="bad_type",
        )
    check_size(name, len(data))
    if not data:
        raise ImportRefused(_("The file “%(name)s” is empty.") % {"name": name}, code="empty")
    from_csv = not lower.endswith(".xlsx")
    rows = _csv_rows(name, data) if from_csv else _xlsx_rows(name, data)
    lines = []
    table = []
    headers = None
    for line, values in rows:
        values = [_cell(v, from_csv) for v in values]
        if all(v is None or v == "" for v in values):
            continue
        if headers is None:
            if line != 1:
                raise ImportRefused(_("The headings must be on the first line of the sheet."), code="no_headings")
            headers = [str(v).strip() if v is not None else "" for v in values]
            while headers and not headers[-1]:
                headers.pop()
            continue
        values = list(values[: len(headers)]) + [None] * (len(headers) - len(values))
        table.append(values)
        lines.append(line)
        if len(table) > MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(max)s rows: split it into several files.") % {"max": f"{MAX_ROWS:,}"},
                code="too_many_rows",
            )
    if not headers:
        raise ImportRefused(_("The file “%(name)s” has no headings and no rows.") % {"name": name}, code="empty")
    if not table:
        raise ImportRefused(_("The file “%(name)s” has headings but no rows.") % {"name": name}, code="empty")
    dataset = tablib.Dataset(*table, headers=headers)
    return dataset, lines


def _xlsx_rows(name, data):
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(
            _("“%(name)s” cannot be read as an Excel file (its content was checked, not its name).") % {"name": name},
            code="bad_content",
        )
    try:
        return read_first_sheet(io.BytesIO(data), limit=MAX_ROWS + 1)
    except SheetRefused as exc:
        raise ImportRefused(
            _("“%(name)s” cannot be read: %(reason)s") % {"name": name, "reason": exc}, code="too_large"
        ) from None
    except Exception as exc:
        raise ImportRefused(
            _("“%(name)s” cannot be read as an Excel file (its content was checked, not its name).") % {"name": name},
            code="bad_content",
        ) from exc


def _csv_rows(name, data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("“%(name)s” is not a UTF-8 CSV file: in Excel, save it as “CSV UTF-8”.") % {"name": name},
            code="bad_content",
        ) from None
    if "\x00" in text:
        raise ImportRefused(_("“%(name)s” is not a text file.") % {"name": name}, code="bad_content")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))
    except csv.Error:
        raise ImportRefused(
            _(
                "“%(name)s” cannot be read as a CSV file: a cell is longer than %(limit)s characters or a quotation "
                "mark is not closed."
            )
            % {"name": name, "limit": group_digits(csv.field_size_limit())},
            code="bad_content",
        ) from None
