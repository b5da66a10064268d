"""The staff import pages: who may open them, the upload → preview → confirm flow as a user sees it, the
re-rendered form, the downloads, and a list whose query count does not grow with the data."""

import pytest
from django.urls import reverse

from portal.models import ImportBatch, ImportStatus
from products.models import Producer

from .helpers import PRODUCER_HEADINGS, preview, sheet_rows, xlsx

pytestmark = pytest.mark.django_db

ROW = ["4811111111", "Cơ sở Miến dong Phja Đén", "Hộ kinh doanh", "Nông Văn Đức", "Cao Bằng", "1.200"]


@pytest.fixture
def batch(staff_user):
    return preview(staff_user, "producers", xlsx(PRODUCER_HEADINGS, [ROW]))


def _urls(batch):
    return {
        "list": ("get", reverse("imports:staff.batch.list")),
        "detail": ("get", reverse("imports:staff.batch.detail", args=[batch.pk])),
        "template": ("get", reverse("imports:staff.template", args=["producers"])),
        "data": ("get", reverse("imports:staff.current_data", args=["producers"])),
        "confirm": ("post", reverse("imports:staff.batch.confirm", args=[batch.pk])),
        "discard": ("post", reverse("imports:staff.batch.discard", args=[batch.pk])),
    }


@pytest.mark.parametrize("page", ["list", "detail", "template", "data", "confirm", "discard"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("producer_user", 403),
        ("member_user", 403),
        ("ministry_user", 403),
        ("other_staff_user", {"detail": 404, "confirm": 404, "discard": 404}),
        ("staff_user", 200),
        ("superuser", 200),
    ],
)
def test_permission_matrix(client, request, batch, page, role, expected):
    if role:
        client.force_login(request.getfixturevalue(role))
    method, url = _urls(batch)[page]
    response = getattr(client, method)(url)
    if isinstance(expected, dict):
        expected = expected.get(page, 200)
    if expected == 200 and method == "post":
        expected = 302
    assert response.status_code == expected
    if role is None:
        assert reverse("accounts:login") in response.url
    if expected in (403, 404):
        batch.refresh_from_db()
        assert batch.status == ImportStatus.PREVIEWED
        assert not Producer.objects.filter(tax_code="4811111111").exists()


def test_upload_preview_and_confirm(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("imports:staff.batch.list"), {"kind": "producers", "file": xlsx(PRODUCER_HEADINGS, [ROW])}
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:staff.batch.detail", args=[batch.pk])

    page = client.get(response.url).content.decode()
    assert "Xác nhận nhập" in page
    assert "Hủy" in page
    assert "Cơ sở Miến dong Phja Đén" in page
    assert not Producer.objects.filter(tax_code="4811111111").exists()

    response = client.post(reverse("imports:staff.batch.confirm", args=[batch.pk]), follow=True)
    assert "Đã nhập: 1 mới, 0 cập nhật, 0 không đổi." in response.content.decode()
    assert Producer.objects.get(tax_code="4811111111").workers == 1200
    assert "Xác nhận nhập" not in response.content.decode()


def test_a_file_with_errors_shows_them_and_cannot_be_confirmed(client, staff_user):
    client.force_login(staff_user)
    rows = [ROW, ["4811111112", "Cơ sở B", "Hộ kinh doanh", "Lê Văn C", "Atlantis", ""]]
    client.post(reverse("imports:staff.batch.list"), {"kind": "producers", "file": xlsx(PRODUCER_HEADINGS, rows)})
    batch = ImportBatch.objects.get()

    page = client.get(reverse("imports:staff.batch.detail", args=[batch.pk])).content.decode()

    assert batch.status == ImportStatus.INVALID
    assert "1 lỗi: sẽ không có dữ liệu nào được nhập" in page
    assert "Không có tỉnh/thành phố “Atlantis”." in page
    assert "Xác nhận nhập" not in page
    client.post(reverse("imports:staff.batch.confirm", args=[batch.pk]))
    assert not Producer.objects.exists()


def test_a_refused_file_re_renders_the_form_with_the_choice_kept(client, staff_user):
    client.force_login(staff_user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("imports:staff.batch.list"),
        {"kind": "projects", "file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 nothing")},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "không phải là tệp Excel (.xlsx) hoặc CSV (.csv)" in page
    assert '<option value="projects" selected>' in page
    assert not ImportBatch.objects.exists()


def test_discard(client, staff_user, batch):
    client.force_login(staff_user)
    response = client.post(reverse("imports:staff.batch.discard", args=[batch.pk]), follow=True)
    assert "Đã hủy tệp; không có dữ liệu nào được nhập." in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED


@pytest.mark.parametrize(
    "kind", ["producers", "products", "recognitions", "ocop_ratings", "projects", "participations"]
)
def test_templates_have_headings_an_example_and_valid_values(client, staff_user, kind):
    client.force_login(staff_user)
    response = client.get(reverse("imports:staff.template", args=[kind]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    rows = sheet_rows(data)
    assert len(rows) == 2
    assert rows[0][0] in {"Mã số thuế", "Mã đề án", "Tên hội chợ"}
    assert "Hà Giang (trước 01/07/2025)" in [r[0] for r in sheet_rows(data, index=1)]


def test_the_template_example_imports_cleanly_once_its_records_exist(client, superuser):
    client.force_login(superuser)
    data = client.get(reverse("imports:staff.template", args=["producers"])).content
    from .helpers import upload_bytes

    batch = preview(superuser, "producers", upload_bytes(data, "mau.xlsx"))
    assert batch.errors == []
    assert batch.totals["new"] == 1


def test_unknown_template_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("imports:staff.template", args=["nothing"])).status_code == 404


def test_staff_see_the_imports_of_their_province_only(client, staff_user, other_staff_user, batch):
    preview(other_staff_user, "producers", xlsx(PRODUCER_HEADINGS, [[*ROW[:4], "Cà Mau", ""]]))
    client.force_login(staff_user)
    page = client.get(reverse("imports:staff.batch.list")).content.decode()
    assert page.count("du-lieu.xlsx") == 1


def test_the_list_costs_the_same_queries_with_1_and_20_files(client, staff_user, django_assert_max_num_queries):
    preview(staff_user, "producers", xlsx(PRODUCER_HEADINGS, [ROW]))
    client.force_login(staff_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("imports:staff.batch.list"))
    for i in range(19):
        preview(staff_user, "producers", xlsx(PRODUCER_HEADINGS, [ROW], name=f"tep-{i}.xlsx"))
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("imports:staff.batch.list"))
    assert response.content.decode().count("tep-") == 19
