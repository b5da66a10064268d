"""The .xlsx reader (python-calamine) gives the values openpyxl gives (strings, numbers, booleans, date cells,
blank rows left out with the line numbers kept)."""

import datetime
import io

from openpyxl import Workbook, load_workbook

from portal.core.xlsx import read_first_sheet


def _norm(rows):
    out = []
    for line, values in rows:
        values = [None if v == "" else v for v in values]
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((line, values))
    return out


def test_the_reader_reads_what_openpyxl_reads():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã số thuế", "Ngày quyết định", "Số lao động", "Tên cơ sở"])
    sheet.append(["0101234567", datetime.datetime(2017, 12, 20), 1200, "Hợp tác xã Tâm Hòa"])  # noqa: DTZ001
    sheet.append([101234567, datetime.date(2020, 1, 5), 65.5, True])
    sheet.append([])
    sheet.append(["4800123456-001", None, "1.075.000.000", "Cơ sở Bắc Kạn"])
    sheet["F5"] = "ô lẻ"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    mine = read_first_sheet(io.BytesIO(data))
    reference = enumerate(
        load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0].iter_rows(values_only=True), 1
    )

    assert _norm(mine) == _norm((line, list(values)) for line, values in reference)
    assert [line for line, _v in mine] == [1, 2, 3, 5]
    assert mine[2][1][1] == datetime.datetime(2020, 1, 5)  # noqa: DTZ001


def test_rows_and_columns_keep_their_place_when_the_sheet_starts_lower_right():
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "Lạp sườn"
    sheet["D5"] = 2
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read_first_sheet(io.BytesIO(buffer.getvalue())) == [
        (3, [None, None, "Lạp sườn"]),
        (5, [None, None, None, 2]),
    ]
