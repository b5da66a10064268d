"""The back office runs the same resources as the staff pages: its import page previews a file with the same
checks (staff rows of their own province only) and writes nothing until confirmed; its export is the import's
layout. ImportBatch is read-only there; recognition targets are listed per province."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from import_export.formats.base_formats import CSV

from awards.models import OcopRating, Recognition, RecognitionTarget
from extension_projects.models import FairParticipation, Project
from portal.accounts.roles import ensure_staff_group
from portal.imports.resources import RESOURCES
from portal.models import ImportBatch
from products.models import Producer, Product
from tests import factories

from .helpers import PRODUCER_HEADINGS, csv_file, preview, xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        (Producer, "producers"),
        (Product, "products"),
        (Recognition, "recognitions"),
        (OcopRating, "ocop_ratings"),
        (Project, "projects"),
        (FairParticipation, "participations"),
    ],
)
def test_the_admin_imports_with_the_staff_pages_resource(model, kind):
    assert site._registry[model].resource_classes == [RESOURCES[kind]]


def _format_index(model_admin):
    # The admin imports through the staff pages' guarded reader: a subclass of import-export's CSV format.
    return next(i for i, f in enumerate(model_admin.get_import_formats()) if issubclass(f, CSV))


def test_admin_import_is_a_dry_run_with_the_same_checks(client, staff_user):
    staff_user.groups.add(ensure_staff_group())
    client.force_login(staff_user)
    url = reverse("admin:products_producer_import")
    upload = csv_file(
        PRODUCER_HEADINGS,
        [
            ["4811111111", "Cơ sở Miến dong", "Hộ kinh doanh", "Nông Văn Đức", "Cao Bằng", "1.200"],
            ["4811111112", "Cơ sở Cà Mau", "Hộ kinh doanh", "Lê Văn C", "Cà Mau", ""],
        ],
        delimiter=",",
    )

    response = client.post(url, {"import_file": upload, "format": _format_index(site._registry[Producer])})

    assert response.status_code == 200
    page = response.content.decode()
    assert "chỉ được nhập dữ liệu của tỉnh/thành phố mình" in page
    assert not Producer.objects.filter(tax_code__in=["4811111111", "4811111112"]).exists()


def test_admin_import_then_confirm_writes(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:products_producer_import")
    upload = csv_file(
        PRODUCER_HEADINGS,
        [["4811111111", "Cơ sở Miến dong", "Hộ kinh doanh", "Nông Văn Đức", "Hà Giang", "1.200"]],
        delimiter=",",
    )
    response = client.post(url, {"import_file": upload, "format": _format_index(site._registry[Producer])})
    assert not Producer.objects.filter(tax_code="4811111111").exists()
    confirm = response.context["confirm_form"]
    data = {
        name: field.initial if field.initial is not None else confirm.initial.get(name)
        for name, field in confirm.fields.items()
    }
    response = client.post(reverse("admin:products_producer_process_import"), data)
    assert response.status_code == 302
    producer = Producer.objects.get(tax_code="4811111111")
    assert producer.current_province == factories.province("Tuyên Quang")
    assert producer.workers == 1200


def test_import_batches_are_read_only_in_the_admin(client, superuser, staff_user):
    batch = preview(
        staff_user,
        "producers",
        xlsx(PRODUCER_HEADINGS, [["4811111111", "Cơ sở", "Hộ kinh doanh", "An", "Cao Bằng", ""]]),
    )
    client.force_login(superuser)
    assert client.get(reverse("admin:portal_importbatch_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_importbatch_change", args=[batch.pk])).status_code == 200
    assert client.get(reverse("admin:portal_importbatch_add")).status_code == 403
    assert ImportBatch.objects.count() == 1


def test_recognition_targets_are_listed(client, superuser):
    from awards.models import Level

    RecognitionTarget.objects.create(
        province=factories.province("Hà Giang", current=False),
        level=Level.objects.get(code="district"),
        period_start=2022,
        period_end=2030,
        count=73,
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:awards_recognitiontarget_changelist")).content.decode()
    assert "73" in page
    assert "Hà Giang" in page


def test_admin_export_has_the_import_layout(client, superuser, producer_a):
    client.force_login(superuser)
    url = reverse("admin:products_producer_export")
    assert client.get(url).status_code == 200
    formats = site._registry[Producer].get_export_formats()
    index = next(i for i, f in enumerate(formats) if f is CSV)
    fields = {f"producerresource_{name}": "on" for name in RESOURCES["producers"]().fields}
    response = client.post(url, {"format": index, **fields})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã số thuế,Tên cơ sở,Loại hình")
    assert "HTX Tâm Hòa" in text
