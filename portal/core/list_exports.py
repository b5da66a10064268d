"""Excel and CSV exports of the staff lists: every row the list's filters keep (on all pages), scoped exactly like
the list, through export-only django-import-export resources.

A list view gets the export by adding `ListExportMixin` and naming its resource; its template includes
`components/export_links.html`, whose links repeat the current query string with `export=xlsx` or `export=csv`.
The resources live next to each app's models (`<app>/list_exports.py`) and derive from `ListResource`."""

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.files import generated_file
from portal.core.formatting import vn_date
from portal.core.spreadsheets import csv_text, write_only_value

EXPORT_PARAM = "export"
XLSX, CSV = "xlsx", "csv"
FORMATS = (XLSX, CSV)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Excel reads a CSV file as UTF-8 (and so shows Vietnamese correctly) only when it starts with a byte-order mark.
BOM = "\ufeff"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DECIMAL_FORMAT = "0.00"
COUNT_FORMAT = "#,##0"
CHUNK_SIZE = 2000
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")


# -- widgets: what a column holds, so the writers can format it -------------------------------------------------
class MoneyWidget(widgets.IntegerWidget):
    """Integer VND: a number in both files (never '1.075.000.000' text), shown with thousands in Excel."""

    def __init__(self):
        super().__init__(coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        return None if value is None else int(value)


class NumberWidget(widgets.DecimalWidget):
    def __init__(self):
        super().__init__(coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        return value


class DateWidget(widgets.DateWidget):
    """A date cell in Excel, dd/mm/yyyy in CSV; a date-time is written as its local date."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y", coerce_to_string=False)

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return value if isinstance(value, datetime.date) else None


class YesNoWidget(widgets.BooleanWidget):
    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("Yes") if value else _("No")


def text_col(attribute, heading, **kwargs) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, widget=widgets.Widget(), readonly=True, **kwargs)


def money_col(attribute, heading) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, widget=MoneyWidget(), readonly=True)


def number_col(attribute, heading) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, widget=NumberWidget(), readonly=True)


def date_col(attribute, heading) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, widget=DateWidget(), readonly=True)


def yes_no_col(attribute, heading) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, widget=YesNoWidget(), readonly=True)


def label_col(field_name, heading) -> fields.Field:
    """The label of a choice ('Hợp tác xã'), never its code ('cooperative')."""
    return text_col(f"get_{field_name}_display", heading)


class ListResource(resources.ModelResource):
    """Export only: `prepare()` adds what the columns read (joins, annotations) to the list's queryset, so a file
    costs the same few queries whatever its length; rows are read in chunks, not all at once."""

    def prepare(self, queryset):
        return queryset

    def iter_queryset(self, queryset):
        # Django reads prefetches chunk by chunk with iterator(chunk_size=…), unlike import-export's paginator.
        yield from queryset.iterator(chunk_size=CHUNK_SIZE)

    def column_kinds(self) -> list[str | None]:
        kinds = {MoneyWidget: "money", DateWidget: "date", NumberWidget: "decimal"}
        return [kinds.get(type(field.widget)) for field in self.get_export_fields()]

    def rows(self, queryset):
        for obj in self.iter_queryset(self.prepare(queryset)):
            yield self.export_resource(obj, force_native_type=True)


# -- writers -------------------------------------------------------------------------------------------------------
def cell_text(value) -> str:
    """A value as CSV text: dates dd/mm/yyyy, numbers as plain digits (a dot before decimals)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return vn_date(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, rows, language=None):
    """The CSV text line by line. The rows are read while the response streams, after the view returned: they
    are rendered in the request's language, whatever the thread holds by then."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM + writer.writerow([csv_text(str(h)) for h in headers])
    with translation.override(language or translation.get_language()):
        for row in rows:
            # Only text is guarded: a negative number written as digits stays a number.
            yield writer.writerow([csv_text(str(v)) if isinstance(v, str | Promise) else cell_text(v) for v in row])


def xlsx_bytes(headers, rows, kinds, *, title: str, widths=None, extra_sheets=()) -> bytes:
    """A workbook in write-only mode (rows go to disk, not memory): bold heading row, frozen below it, real dates
    and numbers. `extra_sheets` are (title, rows) pairs written after the data, e.g. a legend."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, heading in enumerate(headers, start=1):
        width = widths[index - 1] if widths else min(max(len(str(heading)) + 4, 12), 40)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header_cells = []
    for heading in headers:
        cell = WriteOnlyCell(sheet, value=str(heading))
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    formats = {"money": MONEY_FORMAT, "date": DATE_FORMAT, "decimal": DECIMAL_FORMAT, "count": COUNT_FORMAT}
    for row in rows:
        cells = []
        for value, kind in zip(row, kinds, strict=True):
            if isinstance(value, Promise):
                value = str(value)
            elif isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, datetime.datetime):
                value = value.replace(tzinfo=None)
            if kind in formats and value not in (None, "") and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                whole = kind == "decimal" and isinstance(value, int) and not isinstance(value, bool)
                cell.number_format = "0" if whole else formats[kind]  # years and counts without ",00"
                cells.append(cell)
            else:
                cells.append(write_only_value(sheet, value))
        sheet.append(cells)
    for extra_title, extra_rows in extra_sheets:
        extra = book.create_sheet(extra_title[:31])
        for i, extra_row in enumerate(extra_rows):
            if i == 0:
                cells = []
                for value in extra_row:
                    cell = WriteOnlyCell(extra, value=value)
                    cell.font = BOLD
                    cells.append(cell)
                extra.append(cells)
            else:
                extra.append([write_only_value(extra, str(v) if isinstance(v, Promise) else v) for v in extra_row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def filename(stem: str, fmt: str) -> str:
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def table_response(headers, rows, kinds, *, fmt: str, stem: str, title: str, **xlsx_options):
    """The file of a table of native values: CSV streamed line by line, or an Excel workbook."""
    if fmt == CSV:
        lines = csv_lines(headers, rows, translation.get_language())
        return generated_file(lines, content_type=CSV_TYPE, filename=filename(stem, fmt))  # streamed line by line
    body = xlsx_bytes(headers, rows, kinds, title=title, **xlsx_options)
    return generated_file(body, content_type=XLSX_TYPE, filename=filename(stem, fmt))


def export_response(resource: ListResource, queryset, *, fmt: str, stem: str, title: str):
    return table_response(
        resource.get_export_headers(), resource.rows(queryset), resource.column_kinds(), fmt=fmt, stem=stem, title=title
    )


class ListExportMixin:
    """For a staff list: `?export=xlsx` or `?export=csv` answers the file of every row the current filters keep.
    Put it after the permission mixin, so the list's access rule runs first (both act in dispatch). FilterView
    lists need nothing else; other lists override `get_export_queryset()` to return their filtered, unpaginated
    queryset."""

    export_resource_class: type[ListResource]
    export_filename = "danh-sach"
    export_title = ""

    def dispatch(self, request, *args, **kwargs):
        fmt = request.GET.get(EXPORT_PARAM)
        if request.method == "GET" and fmt in FORMATS:
            return export_response(
                self.get_export_resource_class()(),
                self.get_export_queryset(),
                fmt=fmt,
                stem=self.get_export_filename(),
                title=str(self.get_export_title()),
            )
        return super().dispatch(request, *args, **kwargs)

    def get_export_resource_class(self) -> type[ListResource]:
        return self.export_resource_class

    def get_export_filename(self) -> str:
        return self.export_filename

    def get_export_title(self) -> str:
        return self.export_title or self.export_filename

    def get_export_queryset(self):
        """The rows of the list on every page: the same filterset, valid or not, as FilterView.get uses."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            return self.filterset.qs
        return self.filterset.queryset.none()
