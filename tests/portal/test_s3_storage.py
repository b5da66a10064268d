"""FILE_STORAGE=s3: every stored file goes through Django's storage API to an S3-compatible object store
(django-storages), here moto's server on a free local port, a fresh bucket per test. Through the portal's own
views and services: a photo uploaded and downloaded, a certificate printed with its issuing body's emblem, a bulk
certificate export (resumed from the parts already stored), a catalogue thumbnail. The objects are in the bucket
and nothing is written under MEDIA_ROOT."""

import datetime
import io
import logging
import socket
import uuid
import zipfile

import boto3
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image
from pypdf import PdfReader
from storages.backends.s3 import S3Storage

from awards import services as awards_services
from awards.enums import ExportStatus
from awards.models import Certificate, CertificateExport
from awards.printouts.certificates import certificate_pdf
from awards.services.certificate_exports import part_path
from portal.core.pdf import render_pdf
from portal.models import ScheduledJob
from products.models import ProductPhoto
from tests import factories
from tests.awards.certificate_helpers import (
    ISSUE_DATE,
    peoples_committee,
    published_decision,  # noqa: F401  (a fixture)
)
from tests.awards.conftest import make_round  # noqa: F401  (a fixture)
from tests.awards.test_certificate_exports import assert_files_match, page_texts, shows
from tests.awards.test_certificate_pdf import change_organization, emblem_png, page_images
from tests.portal.catalogue.conftest import add_photo, recognise

pytestmark = [pytest.mark.slow, pytest.mark.once_in_ci]
REGION = "us-east-1"
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # moto accepts any


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket, and the portal's uploads stored in it as production's FILE_STORAGE=s3 sets them."""
    name = f"cnnt-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    client.create_bucket(Bucket=name)
    settings.FILE_STORAGE = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "addressing_style": "path",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield Bucket(client, name)
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()], "written under MEDIA_ROOT"


class Bucket:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def names(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_storage_in_use_is_the_bucket(bucket):
    assert isinstance(default_storage, S3Storage)
    name = default_storage.save("probe/a.txt", ContentFile(b"x"))
    assert bucket.names() == [name]


def test_a_producers_photo_is_stored_in_the_bucket_and_downloads_as_stored(bucket, client, producer_user, product_a):
    client.force_login(producer_user)
    # A JPEG under a PNG name: the type served is the one read from its content.
    upload = factories.jpeg_file("ảnh sản phẩm.png", size=(64, 48))
    response = client.post(
        reverse("products:producer.photo.create", args=[product_a.pk]), {"photos": [upload], "caption": ""}
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get(product=product_a)
    assert photo.image.name in bucket.names()

    response = client.get(reverse("products:file.photo", args=[photo.uid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == bucket.read(photo.image.name)
    assert Image.open(io.BytesIO(bucket.read(photo.image.name))).size == (64, 48)


def test_a_certificate_prints_the_emblem_read_from_the_bucket(
    bucket,
    client,
    superuser,
    published_decision,  # noqa: F811
    staff_user,
):
    decision = published_decision(recognised=1)
    (certificate,) = awards_services.certificates_issue_for_decision(
        decision=decision, actor=staff_user, issued_on=ISSUE_DATE
    )
    client.force_login(superuser)
    body_ = peoples_committee()
    assert change_organization(client, body_, emblem_png("quốc huy.png")).status_code == 302
    body_.refresh_from_db()
    assert body_.emblem.name in bucket.names()
    certificate.issuing_body.refresh_from_db()

    (image,) = page_images(certificate_pdf(certificate))

    assert image.image.size == (64, 48)


def issue_two(published_decision, staff_user):  # noqa: F811
    decision = published_decision(recognised=2)
    certificates = awards_services.certificates_issue_for_decision(
        decision=decision, actor=staff_user, issued_on=ISSUE_DATE
    )
    export = awards_services.certificate_export_create(
        actor=staff_user, certificates=Certificate.objects.filter(recognition__decision=decision), title="Xuất"
    )
    return certificates, export


def test_a_bulk_export_builds_its_pdf_and_zip_in_the_bucket(
    bucket,
    client,
    published_decision,  # noqa: F811
    staff_user,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        certificates, export = issue_two(published_decision, staff_user)
    export.refresh_from_db()

    assert export.status == ExportStatus.DONE, export.error
    assert_files_match(export, certificates)
    # The working parts are gone; only the two published files stay.
    assert bucket.names("exports/") == [export.merged.name, export.archive.name]
    client.force_login(staff_user)
    for kind, name in (("merged", export.merged.name), ("zip", export.archive.name)):
        response = client.get(reverse("awards:staff.certificate.export.file", args=[export.pk, kind]))
        assert response.status_code == 200
        assert body(response) == bucket.read(name)


def test_a_resumed_export_reuses_the_parts_already_in_the_bucket(bucket, published_decision, staff_user):  # noqa: F811
    certificates, export = issue_two(published_decision, staff_user)  # its worker "died" before it started
    stale = timezone.now() - datetime.timedelta(minutes=10)
    CertificateExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, done=1, heartbeat_at=stale)
    marker = render_pdf("<html><body><p>BẢN ĐÃ LÀM TRƯỚC KHI DỪNG</p></body></html>")
    default_storage.save(part_path(export, certificates[0]), ContentFile(marker))
    # A part cut short by a worker killed while writing it is rendered again.
    default_storage.save(part_path(export, certificates[1]), ContentFile(marker[: len(marker) // 2]))
    assert len(bucket.names("exports/")) == 2

    assert awards_services.certificate_exports_resume() == 1

    export.refresh_from_db()
    assert export.status == ExportStatus.DONE, export.error
    pages = page_texts(bucket.read(export.merged.name))
    assert "BẢN ĐÃ LÀM TRƯỚC KHI DỪNG" in pages[0]
    assert shows(pages[1], certificates[1])
    with zipfile.ZipFile(io.BytesIO(bucket.read(export.archive.name))) as archive:
        assert archive.read(f"{certificates[0].file_stem}.pdf") == marker
        assert len(PdfReader(io.BytesIO(archive.read(f"{certificates[1].file_stem}.pdf"))).pages) == 1
    assert bucket.names("exports/") == [export.merged.name, export.archive.name]

    # Past its keeping time, the purge deletes its objects.
    assert awards_services.certificate_exports_purge(now=export.expires_at + datetime.timedelta(seconds=1)) == 1
    assert bucket.names("exports/") == []


def test_a_catalogue_thumbnail_is_made_and_kept_in_the_bucket(bucket, client, superuser):
    cache.clear()  # the catalogue's counts of an earlier test's (rolled back) rows
    product = factories.product(factories.producer("HTX Tâm Hòa", "Cao Bằng"), "Lạp sườn Tâm Hòa", group_code="2")
    recognise(product, superuser)
    photo = add_photo(product)
    url = reverse("catalogue:public.photo", args=[photo.uid]) + "?w=480"

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    thumb = f"catalogue-thumbs/{photo.uid}-480.jpg"
    assert thumb in bucket.names()
    assert body(response) == bucket.read(thumb)
    assert Image.open(io.BytesIO(body(client.get(url)))).size == (480, 360)


def test_readyz_has_no_free_disk_to_check_with_an_object_store(bucket, client, settings, db):
    settings.MEDIA_ROOT = settings.MEDIA_ROOT / "not-mounted"  # not looked at
    ScheduledJob.objects.update_or_create(name="resume_exports", defaults={"started_at": timezone.now()})

    response = client.get("/readyz")

    assert response.status_code == 200, response.json()
    assert response.json()["free_disk_mb"] == "not applicable"


@pytest.mark.parametrize(
    "command",
    [
        ["backup", "--output", "{tmp}/backup"],
        ["restore", "--input", "{tmp}/backup", "--database-url", "postgres://x@127.0.0.1/x", "--media-root", "{tmp}/m"],
    ],
)
def test_backup_and_restore_refuse_an_object_store_in_both_languages(bucket, tmp_path, command):
    with pytest.raises(CommandError) as refused:
        call_command(*(part.format(tmp=tmp_path) for part in command))
    assert "FILE_STORAGE=s3" in str(refused.value)
    assert "chỉ chép tệp trên hệ thống tệp" in str(refused.value)
    assert "copy files on a file system only" in str(refused.value)
    assert not (tmp_path / "backup").exists()
    assert not (tmp_path / "m").exists()
