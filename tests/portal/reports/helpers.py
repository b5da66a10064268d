"""Fetching a report as a page, a workbook or a PDF, and reading them as a user would."""

import io
import re
from html import unescape

import pypdf
from django.http import HttpResponse
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from products.models import AdministrativeUnit


def old_province(name):
    return AdministrativeUnit.objects.get(level="province", name=name, is_current=False)


def province(name):
    return AdministrativeUnit.objects.get(level="province", name=name, is_current=True)


def get(client, kind, unit, year_from, year_to, output="", **extra):
    """The report page; for an `output` the file as the official gets it: the button queues the job (built at
    once by the tests' task backend when the request commits), then the download link of its progress page."""
    data = {"province": unit.pk, "year_from": year_from, "year_to": year_to, **extra}
    if not output:
        return client.get(reverse(f"reports:staff.{kind}"), data)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse(f"reports:staff.{kind}.{output}"), data)
    if response.status_code != 302 or not response["Location"].startswith("/staff/reports/files/"):
        return response
    job_page = client.get(response["Location"])
    assert job_page.status_code == 200, job_page.content.decode()
    return download(client, job_page)


def download(client, job_page):
    link = re.search(r'id="job-download" href="([^"]+)"', job_page.content.decode())
    assert link, text_of(job_page.content.decode())
    response = client.get(link.group(1))
    if not response.streaming:
        return response
    whole = HttpResponse(b"".join(response.streaming_content), status=response.status_code)  # read as a browser would
    for header, value in response.items():
        whole[header] = value
    return whole


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def row_starting(sheet, label, after=None):
    """The cells of the first row whose first cell reads `label` (below the row `after` if given)."""
    for row in sheet.iter_rows(min_row=(after or 0) + 1):
        if row[0].value == label:
            return row
    raise AssertionError(f"no row {label!r} in sheet {sheet.title!r}")


def values(row):
    return [cell.value for cell in row if cell.value is not None]


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    # Table cells wrap over lines: compare the words in reading order.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def cells_of(html, row_id):
    match = re.search(rf'<tr[^>]*id="{re.escape(row_id)}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row #{row_id}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells]


def text_of(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
