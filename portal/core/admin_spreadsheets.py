"""django-import-export in the admin: import reads the file with the staff import pages' guarded reader (bounds
checked before reading) into the same resources; export of the scoped queryset with the list exports' formula
guard. The ModelAdmin base (portal.core.admin) takes these through _SpreadsheetMixin."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.forms import ImportForm

from portal.core import access
from portal.core.list_exports import csv_lines, xlsx_bytes
from portal.core.tables import read_table


def _read_upload(file_format, data):
    """The uploaded file read exactly as the staff import pages read it (portal.core.tables.read_table):
    extension, size, the .xlsx's unpacked size, ratio, rows and columns checked before a cell is read, CSV
    formula markers removed. Refusals are ValidationErrors with a translated message."""
    name = getattr(file_format, "file_name", None) or f"import.{file_format.get_extension()}"
    dataset, _lines = read_table(name, data if isinstance(data, bytes) else data.encode())
    return dataset


class GuardedCSV(base_formats.CSV):
    """CSV import through the staff pages' reader (UTF-8 with or without BOM, `'` formula markers removed)."""

    def is_binary(self):
        return True  # bytes to the reader, which decodes them itself

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _read_upload(self, in_stream)


class GuardedXLSX(base_formats.XLSX):
    """.xlsx import through the staff pages' reader: a zip bomb or a far-away cell is refused before reading."""

    def create_dataset(self, in_stream, **kwargs):
        return _read_upload(self, in_stream)


class GuardedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:  # the staff import page's limit and message
            raise ValidationError(
                _("The file “%(name)s” is %(size)s; the limit is %(limit)s.")
                % {
                    "name": upload.name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                }
            )
        return upload


class _SpreadsheetMixin:
    """For ImportExportModelAdmin subclasses (unused by the others): the guarded formats, the importing user
    given to the resources (which check each row's province), export of the scoped queryset through the formula
    guard of the staff list exports."""

    import_formats = [GuardedCSV, GuardedXLSX]
    export_formats = [base_formats.CSV, base_formats.XLSX]
    import_form_class = GuardedImportForm

    def has_import_permission(self, request):
        user = request.user
        return access.can_import(user) and (self.has_add_permission(request) or self.has_change_permission(request))

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"actor": request.user}

    def write_to_tmp_storage(self, import_file, input_format):
        # The reader names the file in its messages and reads it by its extension.
        name = import_file.name
        extension = f".{input_format.get_extension()}"
        input_format.file_name = name if name.lower().endswith(extension) else name + extension
        return super().write_to_tmp_storage(import_file, input_format)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ValidationError):
            form.add_error("import_file", e)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        xlsx = isinstance(file_format, base_formats.XLSX)
        if not xlsx and not isinstance(file_format, base_formats.CSV):
            raise PermissionDenied  # only the two guarded writers
        from .admin import _scope  # the admin module imports this one: read at call time

        data = self.get_data_for_export(request, _scope(queryset, request.user), force_native_type=xlsx, **kwargs)
        headers = [str(h) for h in data.headers or []]
        if xlsx:
            return xlsx_bytes(headers, data, [None] * len(headers), title=str(self.opts.verbose_name_plural))
        text = "".join(csv_lines(headers, data))
        encoding = kwargs.get("encoding")
        return text.encode(encoding) if encoding else text
