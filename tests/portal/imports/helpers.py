import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from portal.imports.services import import_batch_confirm, import_batch_preview

PRODUCER_HEADINGS = ["Mã số thuế", "Tên cơ sở", "Loại hình", "Người đại diện", "Tỉnh/thành phố", "Số lao động"]


def xlsx(headers, rows, name="du-lieu.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(headers, rows, name="du-lieu.csv", delimiter=";") -> SimpleUploadedFile:
    lines = [delimiter.join(headers)] + [delimiter.join(str(v) for v in row) for row in rows]
    return SimpleUploadedFile(name, ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def preview(actor, kind, upload):
    return import_batch_preview(actor=actor, kind=kind, uploaded_file=upload)


def preview_and_confirm(actor, kind, upload):
    batch = preview(actor, kind, upload)
    assert batch.errors == [], batch.errors
    return import_batch_confirm(actor=actor, batch=batch)


def sheet_rows(data: bytes, index=0):
    workbook = load_workbook(io.BytesIO(data))
    return [list(r) for r in workbook.worksheets[index].iter_rows(values_only=True)]


def upload_bytes(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
