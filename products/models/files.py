"""The registry's stored files: product photos and documents (certificates, descriptions), under names that never
reuse what the uploader typed."""

import datetime
import uuid

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.files import OCTET_STREAM

from .registry import DocumentType, Producer, Product

STORED_EXTENSIONS = {"jpg", "png", "pdf"}


def _stored_name(prefix, instance, filename):
    # Stored names never reuse what the uploader typed: the name is the record's uid and the extension is the one
    # of the type read from the content (products.services renames the upload after checking it); anything else
    # is stored as .bin, so that no name can make a server or browser treat the file as HTML, SVG or script.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"{prefix}/{timezone.now():%Y/%m}/{instance.uid}.{ext if ext in STORED_EXTENSIONS else 'bin'}"


def photo_upload_to(instance, filename):
    return _stored_name("photos", instance, filename)


def document_upload_to(instance, filename):
    return _stored_name("documents", instance, filename)


class ProductPhoto(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=photo_upload_to)
    # Read from the whole content at upload (products.validators), never from a name; the file is served with it.
    content_type = models.CharField(_("content type"), max_length=100, default=OCTET_STREAM, editable=False)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.caption or self.original_name or str(self.uid)

    def get_file_url(self):
        return reverse("products:file.photo", args=[self.uid])


class DocumentQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Documents not expired on `day` (no expiry date: valid for good); the queryset form of `is_expired`."""
        return self.filter(models.Q(expiry_date__isnull=True) | models.Q(expiry_date__gte=day))


class Document(models.Model):
    """A supporting document of a producer (e.g. its registration certificate) or of one of its products."""

    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="documents"
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="documents",
        null=True,
        blank=True,
    )
    doc_type = models.ForeignKey(DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to)
    # Read from the whole content at upload (products.validators), never from a name; the file is served with it.
    content_type = models.CharField(_("content type"), max_length=100, default=OCTET_STREAM, editable=False)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["doc_type__order", "-issue_date", "id"]

    def __str__(self):
        return f"{self.doc_type} {self.number}".strip()

    def get_file_url(self):
        return reverse("products:file.document", args=[self.uid])

    def is_expired(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.expiry_date is not None and self.expiry_date < on

    def expires_soon(self, on: datetime.date | None = None, days: int = 90) -> bool:
        on = on or timezone.localdate()
        return (
            self.expiry_date is not None
            and not self.is_expired(on)
            and self.expiry_date <= on + datetime.timedelta(days=days)
        )
