"""The export for the ministry's national database: the fixed layout (docs/ministry_export.md), the values of a
recognised dossier with its decision and certificate, the archive rows, who may export which provinces."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import Recognition
from portal.models import ReportJob
from tests import factories
from tests.awards.certificate_helpers import ISSUE_DATE, peoples_committee
from tests.awards.helpers import level

pytestmark = pytest.mark.django_db

URL = reverse("exports:ministry")
LAYOUT = [
    "MA_BAN_GHI",
    "NGUON",
    "MA_HO_SO",
    "MA_SAN_PHAM",
    "TEN_SAN_PHAM",
    "MA_SO_THUE",
    "TEN_CO_SO",
    "LOAI_HINH",
    "MA_NHOM",
    "TEN_NHOM",
    "MA_CAP",
    "TEN_CAP",
    "MA_DOT",
    "TEN_DOT",
    "NAM",
    "MA_TINH",
    "TEN_TINH",
    "MA_TINH_GHI_NHAN",
    "TEN_TINH_GHI_NHAN",
    "TINH_TRUOC_2025",
    "TRANG_THAI",
    "TEN_TRANG_THAI",
    "DIEM",
    "SO_QUYET_DINH",
    "NGAY_QUYET_DINH",
    "SO_GCN",
    "NGAY_CAP_GCN",
    "GCN_HIEU_LUC_DEN",
]


def download(client, fmt="csv", **params):
    """The file as the official gets it: the button queues the job (built at once by the tests' task backend when
    the request commits), then the download link of its progress page."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued = client.post(URL, {**params, "format": fmt})
    assert queued.status_code == 302, queued.content[:500]
    page = client.get(queued["Location"])
    link = re.search(r'id="job-download" href="([^"]+)"', page.content.decode())
    assert link, page.content.decode()
    response = client.get(link.group(1))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert body.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        return response, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    book = openpyxl.load_workbook(io.BytesIO(body))
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    response.book = book
    return response, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def archive(actor, province, name, year=2022, with_certificate=False):
    producer = factories.producer(f"HTX {name}", province)
    product = factories.product(producer, name)
    recognition = services.recognition_record(
        actor=actor,
        product=product,
        level=level("province"),
        year=year,
        decision_number="88/QĐ-UBND",
        decision_date=datetime.date(year, 9, 1),
    )
    if with_certificate:
        services.certificate_issue(
            recognition=recognition,
            actor=actor,
            issued_on=datetime.date(year, 10, 1),
            issuing_body=peoples_committee(province),
            signer_title="CHỦ TỊCH",
            signer_name="Nguyễn Văn An",
        )
    return recognition


@pytest.fixture
def data(published_decision, staff_user, other_staff_user):
    decision = published_decision()
    certificates = services.certificates_issue_for_decision(decision=decision, actor=staff_user, issued_on=ISSUE_DATE)
    return {
        "decision": decision,
        "certificates": certificates,
        "cb_archive": archive(staff_user, "Cao Bằng", "Miến dong Phja Đén", with_certificate=True),
        "cm_archive": archive(other_staff_user, "Cà Mau", "Khô mực Mỹ Thuyền"),
    }


def test_layout_is_fixed_in_both_formats(client, staff_user, data):
    client.force_login(staff_user)
    _response, headers, _rows = download(client, "csv")
    assert headers == LAYOUT
    response, headers, _rows = download(client, "xlsx")
    assert headers == LAYOUT
    assert 'filename="spcnnttb-bo-cong-thuong-' in response["Content-Disposition"]
    legend = [list(r) for r in response.book["Chú giải"].iter_rows(values_only=True)]
    assert legend[0] == ["Cột", "Ý nghĩa"]
    assert [r[0] for r in legend[1:]] == LAYOUT
    assert legend[1 + LAYOUT.index("MA_TINH")][1].startswith("Mã chính thức hai chữ số")


def test_values_of_a_recognised_dossier_with_decision_and_certificate(client, staff_user, data):
    decision = data["decision"]
    recognition = (
        Recognition.objects.filter(decision=decision)
        .select_related("product__producer")
        .order_by("nomination_id")
        .first()
    )
    nomination = recognition.nomination
    certificate = recognition.certificates.get()
    producer, round_ = recognition.product.producer, decision.round
    client.force_login(staff_user)
    _response, _headers, rows = download(client, "csv")
    row = next(r for r in rows if r["MA_BAN_GHI"] == f"HS-{nomination.pk}")
    cao_bang = factories.province("Cao Bằng")
    assert row == {
        "MA_BAN_GHI": f"HS-{nomination.pk}",
        "NGUON": "portal",
        "MA_HO_SO": nomination.receipt_code,
        "MA_SAN_PHAM": str(recognition.product_id),
        "TEN_SAN_PHAM": recognition.product.name,
        "MA_SO_THUE": producer.tax_code,
        "TEN_CO_SO": producer.name,
        "LOAI_HINH": "cooperative",
        "MA_NHOM": "2",
        "TEN_NHOM": "Chế biến nông, lâm, thủy sản và thực phẩm",
        "MA_CAP": "province",
        "TEN_CAP": "Cấp tỉnh",
        "MA_DOT": str(round_.pk),
        "TEN_DOT": round_.title,
        "NAM": str(round_.year),
        "MA_TINH": f"{cao_bang.code:02d}",
        "TEN_TINH": "Cao Bằng",
        "MA_TINH_GHI_NHAN": f"{cao_bang.code:02d}",
        "TEN_TINH_GHI_NHAN": "Cao Bằng",
        "TINH_TRUOC_2025": "0",
        "TRANG_THAI": "recognised",
        "TEN_TRANG_THAI": "Được công nhận",
        "DIEM": row["DIEM"],
        "SO_QUYET_DINH": "1450/QĐ-UBND",
        "NGAY_QUYET_DINH": "15/12/2026",
        "SO_GCN": certificate.number,
        "NGAY_CAP_GCN": "05/01/2027",
        "GCN_HIEU_LUC_DEN": certificate.valid_until.strftime("%d/%m/%Y"),
    }
    assert row["MA_TINH"] == "04"  # the official code keeps its leading zero
    # The first dossier was scored at 90 % of every criterion by the only jury member.
    assert float(row["DIEM"]) == 90.0
    _response, _headers, xlsx_rows = download(client, "xlsx")
    cell = next(r for r in xlsx_rows if r["MA_BAN_GHI"] == f"HS-{nomination.pk}")
    assert cell["DIEM"] == 90.0
    assert cell["NGAY_QUYET_DINH"].date() == datetime.date(2026, 12, 15)
    assert cell["MA_SO_THUE"] == producer.tax_code
    assert cell["MA_TINH"] == "04"


def test_not_recognised_dossier_and_archive_rows(client, staff_user, data):
    client.force_login(staff_user)
    _response, _headers, rows = download(client, "csv")
    refused = [r for r in rows if r["TRANG_THAI"] == "not_recognised"]
    assert len(refused) == 1
    assert refused[0]["SO_QUYET_DINH"] == ""
    assert refused[0]["SO_GCN"] == ""
    assert float(refused[0]["DIEM"]) == 80.0
    archived = next(r for r in rows if r["NGUON"] == "archive")
    recognition = data["cb_archive"]
    assert archived["MA_BAN_GHI"] == f"CN-{recognition.pk}"
    assert archived["MA_HO_SO"] == ""
    assert archived["MA_DOT"] == ""
    assert archived["DIEM"] == ""
    assert archived["TRANG_THAI"] == "recognised"
    assert archived["NAM"] == "2022"
    assert archived["NGAY_QUYET_DINH"] == "01/09/2022"
    assert archived["SO_GCN"] == recognition.certificates.get().number
    assert archived["NGAY_CAP_GCN"] == "01/10/2022"


def test_staff_export_only_their_province_whatever_they_ask(client, staff_user, other_staff_user, data):
    cao_bang, ca_mau = factories.province("Cao Bằng"), factories.province("Cà Mau")
    client.force_login(staff_user)
    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="province"' not in page.content.decode()
    _response, _headers, rows = download(client, "csv", province=ca_mau.pk)
    assert len(rows) == 4
    assert {r["TEN_TINH"] for r in rows} == {"Cao Bằng"}
    client.force_login(other_staff_user)
    _response, _headers, rows = download(client, "csv")
    assert [r["TEN_SAN_PHAM"] for r in rows] == ["Khô mực Mỹ Thuyền"]
    assert all(r["MA_TINH"] != f"{cao_bang.code:02d}" for r in rows)


def test_national_accounts_export_every_province_or_the_one_chosen(client, ministry_user, superuser, data):
    ca_mau = factories.province("Cà Mau")
    for user in (ministry_user, superuser):
        client.force_login(user)
        assert 'name="province"' in client.get(URL).content.decode()
        _response, _headers, rows = download(client, "csv")
        assert {r["TEN_TINH"] for r in rows} == {"Cao Bằng", "Cà Mau"}
        assert len(rows) == 5
        _response, _headers, rows = download(client, "csv", province=ca_mau.pk)
        assert [r["TEN_SAN_PHAM"] for r in rows] == ["Khô mực Mỹ Thuyền"]


def test_round_year_and_level_narrow_the_rows(client, ministry_user, data):
    client.force_login(ministry_user)
    round_ = data["decision"].round
    _response, _headers, rows = download(client, "csv", round=round_.pk)
    assert len(rows) == 3
    assert {r["NGUON"] for r in rows} == {"portal"}
    _response, _headers, rows = download(client, "csv", year_from=2022, year_to=2022)
    assert {r["NGUON"] for r in rows} == {"archive"}
    assert len(rows) == 2
    _response, _headers, rows = download(client, "csv", level=level("national").pk)
    assert rows == []


def test_a_wrong_year_range_is_explained(client, ministry_user, data):
    client.force_login(ministry_user)
    response = client.post(URL, {"year_from": 2024, "year_to": 2020, "format": "csv"})
    assert response.status_code == 400
    assert "Năm kết thúc đứng trước năm bắt đầu." in response.content.decode()


def test_page_describes_the_layout_in_vietnamese(client, staff_user):
    client.force_login(staff_user)
    html = client.get(URL).content.decode()
    assert "Xuất dữ liệu cho cơ sở dữ liệu quốc gia của Bộ" in html
    assert "Tệp gồm các cơ sở của Cao Bằng" in html
    assert "MA_TINH_GHI_NHAN" in html
    assert "Tải Excel" in html
    assert "Tải CSV" in html


def test_export_is_refused_to_anonymous_producers_and_council_members(client, producer_user, member_user):
    response = client.post(URL, {"format": "csv"})
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
    for user in (producer_user, member_user):
        client.force_login(user)
        assert client.post(URL, {"format": "csv"}).status_code == 403
        assert client.get(URL).status_code == 403


def test_queries_do_not_grow_with_the_rows(client, staff_user, data, django_assert_max_num_queries):
    client.force_login(staff_user)
    download(client, "csv")
    with CaptureQueriesContext(connection) as small:
        _response, _headers, rows = download(client, "csv")
    assert len(rows) == 4
    for i in range(5):
        archive(staff_user, "Cao Bằng", f"Sản phẩm lưu trữ {i}", year=2020 + i % 3, with_certificate=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _response, _headers, rows = download(client, "xlsx")
    assert len(rows) == 9


def test_the_file_is_built_in_the_background_for_its_owner_only(client, staff_user, ministry_user, data, settings):
    client.force_login(staff_user)
    response, headers, rows = download(client, "csv")
    assert len(rows) == 4
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="spcnnttb-bo-cong-thuong-')
    assert headers == LAYOUT
    job = ReportJob.objects.get()
    assert (job.kind, job.fmt, job.params["province_id"]) == ("ministry", "csv", factories.province("Cao Bằng").pk)
    (notice,) = staff_user.notifications.filter(link=reverse("reports:staff.job", args=[job.pk]))
    assert notice.text == (
        "Báo cáo “Xuất dữ liệu cho cơ sở dữ liệu quốc gia của Bộ — Tỉnh Cao Bằng (CSV)” đã sẵn sàng để tải về."
    )
    assert 'href="/staff/exports/ministry/"' in client.get(notice.link).content.decode()  # back to the export
    client.force_login(ministry_user)
    assert client.get(reverse("reports:staff.job.file", args=[job.pk])).status_code == 404
    # With the database queue the request only records the job: the worker builds it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued = client.post(URL, {"format": "xlsx"})
    waiting = ReportJob.objects.get(pk=queued["Location"].rstrip("/").rsplit("/", 1)[1])
    assert (waiting.status, waiting.params["province_id"], waiting.created_by) == ("queued", None, ministry_user)
