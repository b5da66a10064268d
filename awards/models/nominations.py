"""Nominations (hồ sơ đăng ký bình chọn), their documents, photos, status log, correction requests and
versions; recognitions (a product recognised at a level, the basis for going up to the next one)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.models import StatusLog
from products.models import Document, Producer, Product, ProductPhoto

from ..enums import PRODUCER_LABELS, NominationStatus, RecognitionSource
from .rounds import Level, Round, RoundChecklistItem


class Recognition(models.Model):
    """A product recognised at a level in a year by a numbered decision, with the validity of its
    certificate. Written when a decision is published, or recorded from the paper archive."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="recognitions"
    )
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=RecognitionSource.choices, default=RecognitionSource.ARCHIVE
    )
    decision = models.ForeignKey(
        "awards.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
    )
    nomination = models.OneToOneField(
        "awards.Nomination",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognition",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-year", "level__rank"]
        constraints = [models.UniqueConstraint(fields=["product", "level", "year"], name="unique_recognition_per_year")]
        # The public catalogue's default order walks the recognitions newest first (catalogue.ranking.newest_first).
        indexes = [models.Index(fields=["-year", "-id"], name="recognition_newest")]

    def __str__(self):
        return f"{self.product} · {self.level} {self.year}"


class Nomination(models.Model):
    """A product's dossier in one round. Saved as a draft at every wizard step."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="nominations"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NominationStatus.choices, default=NominationStatus.DRAFT, db_index=True
    )
    receipt_code = models.CharField(_("receipt code"), max_length=30, unique=True, null=True, blank=True)
    # The registration form (phiếu đăng ký)
    annual_output = models.CharField(
        _("annual output"), max_length=255, blank=True, help_text=_("E.g. 12 tonnes a year, 5,000 mats a year.")
    )
    annual_revenue = models.PositiveBigIntegerField(_("annual revenue of the product (VND)"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers making the product"), null=True, blank=True)
    materials = models.TextField(_("raw materials and where they come from"), blank=True)
    markets = models.TextField(_("markets and sales channels"), blank=True)
    highlights = models.TextField(
        _("what makes the product typical"),
        blank=True,
        help_text=_("Economic, technical, social and environmental value; cultural character and design."),
    )
    declaration_accepted = models.BooleanField(_("declaration of eligibility accepted"), default=False)
    entered_by_staff = models.BooleanField(_("entered by the department (paper dossier)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    correction_deadline = models.DateField(_("correct by"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    missing_count = models.PositiveSmallIntegerField(
        _("missing items"),
        default=0,
        help_text=_("Dossier items still missing or invalid; kept up to date by every change."),
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "missing_count"])

    FORM_FIELDS = ("annual_output", "annual_revenue", "workers", "materials", "markets", "highlights")
    REQUIRED_FORM_FIELDS = ("annual_output", "workers", "markets", "highlights")

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["round", "product"], name="one_nomination_per_product")]
        indexes = [models.Index(fields=["round", "status"], name="nomination_round_status")]

    def __str__(self):
        return self.receipt_code or f"{self.product} · {self.round}"

    def get_absolute_url(self):
        return reverse("awards:staff.nomination.detail", args=[self.pk])

    def get_producer_url(self):
        return reverse("awards:producer.nomination.detail", args=[self.pk])

    @property
    def producer_label(self):
        return PRODUCER_LABELS[NominationStatus(self.status)]

    def open_correction(self):
        """The correction request the producer has still to answer, or None (one query)."""
        return self.corrections.open().first()


class NominationDocument(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(RoundChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT)
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("nomination document")
        verbose_name_plural = _("nomination documents")
        constraints = [models.UniqueConstraint(fields=["nomination", "item"], name="one_document_per_item")]

    def __str__(self):
        return str(self.document)


class NominationPhoto(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    photo = models.ForeignKey(ProductPhoto, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nomination", "photo"], name="unique_nomination_photo")]

    def __str__(self):
        return str(self.photo)


class NominationStatusLog(StatusLog):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="status_log")
    from_status = models.CharField(max_length=20, choices=NominationStatus.choices)
    to_status = models.CharField(max_length=20, choices=NominationStatus.choices)

    class Meta(StatusLog.Meta):
        pass

    def __str__(self):
        return f"{self.nomination}: {self.from_status} → {self.to_status}"

    @property
    def producer_label(self):
        return PRODUCER_LABELS[NominationStatus(self.to_status)]


class CorrectionRequestQuerySet(models.QuerySet):
    def open(self):
        """The requests the producer has not answered yet (a dossier has at most one: resubmitting resolves it)."""
        return self.filter(resolved_at__isnull=True)


class CorrectionRequest(models.Model):
    """What staff asked the producer to fix: the exact parts (form fields, checklist items, photos,
    declaration), a message and a deadline."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="corrections")
    items = models.JSONField(_("parts to correct"), default=list)
    message = models.TextField(_("message to the producer"))
    deadline = models.DateField(_("correct by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.nomination}: {self.deadline:%d/%m/%Y}"


class NominationVersion(models.Model):
    """A frozen copy of the dossier as it was at each (re)submission."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    snapshot = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["nomination", "number"], name="unique_nomination_version")]

    def __str__(self):
        return f"{self.nomination} v{self.number}"


class ReceiptSequence(models.Model):
    """Last receipt number per (province, year, level letter); locked row by row when a code is issued."""

    key = models.CharField(max_length=30, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.key}: {self.last}"
