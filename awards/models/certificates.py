"""Certificates (giấy chứng nhận) issued for recognitions, their per-body yearly numbering, and bulk PDF exports.

A certificate keeps a snapshot of what it prints (names, addresses, level, decision), so that a later change of a
producer's name or address never changes a certificate already handed out; the verification page shows the same
text as the paper."""

import datetime
import secrets
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.models import StatusLog
from products.models import Organization

from ..enums import CertificateState, CertificateStatus, ExportStatus
from .nominations import Recognition

# 20 characters of an alphabet without look-alikes (no 0/O, 1/I/L): about 100 bits, typed from paper if needed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 20
CODE_GROUP = 4  # printed and shown in groups of four: "ABCD EFGH JKMN PQRS TUVW"

# What someone typing the code off paper may put for a character. The code never uses 0, O, 1, I or L, so those
# can only be a misreading (of D or Q, of J or 7); the pairs of the alphabet itself that a hurried reader swaps
# (5/S, 2/Z, 8/B, 6/G, U/V) are merged too. Each group stands for its first character, the "key": a code is
# looked up by its key (`Certificate.code_key`), which keeps 24 distinct characters of 20, about 91 bits, so two
# certificates never share one in practice.
LOOKALIKES = {"D": "Q0O", "J": "71IL", "S": "5", "Z": "2", "B": "8", "G": "6", "V": "U"}
_KEY_TABLE = str.maketrans({typed: key for key, group in LOOKALIKES.items() for typed in group})
KEY_ALPHABET = set(CODE_ALPHABET.translate(_KEY_TABLE))
# Spaces, dashes and dots a person puts between the groups, in any of their Unicode forms.
_SEPARATORS = {"Zs", "Pd", "Cc", "Cf"}


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def grouped_code(code: str) -> str:
    return " ".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def typed_code_characters(typed: str) -> str:
    """What was typed, upper case, without spaces, dashes or dots (full-width forms folded)."""
    typed = unicodedata.normalize("NFKC", typed).upper()
    return "".join(ch for ch in typed if unicodedata.category(ch) not in _SEPARATORS and ch not in "._")


def code_key(typed: str) -> str | None:
    """The lookup key of a typed code, or None when it cannot be a code (wrong length, a character no code
    has even as a look-alike): then no database query is needed."""
    key = typed_code_characters(typed).translate(_KEY_TABLE)
    if len(key) != CODE_LENGTH or not set(key) <= KEY_ALPHABET:
        return None
    return key


def _stored_code_key():
    """`code_key` computed by the database from the stored code (only the alphabet's own look-alikes occur)."""
    expression = models.F("code")
    for key, group in LOOKALIKES.items():
        for typed in group:
            if typed in CODE_ALPHABET:
                expression = Replace(expression, models.Value(typed), models.Value(key))
    return expression


class CertificateSequence(models.Model):
    """The last certificate number an issuing body gave in a year; locked row by row while issuing, so numbers
    never repeat and never skip."""

    issuing_body = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuing_body", "year"], name="unique_certificate_sequence")]

    def __str__(self):
        return f"{self.issuing_body} {self.year}: {self.last_number}"


class Certificate(models.Model):
    recognition = models.ForeignKey(
        Recognition, verbose_name=_("recognition"), on_delete=models.PROTECT, related_name="certificates"
    )
    issuing_body = models.ForeignKey(
        Organization, verbose_name=_("certificate issued by"), on_delete=models.PROTECT, related_name="certificates"
    )
    year = models.PositiveSmallIntegerField(_("year of issue"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("certificate number"), max_length=50, db_index=True)
    code = models.CharField(
        _("verification code"), max_length=CODE_LENGTH, unique=True, default=new_verification_code, editable=False
    )
    code_key = models.GeneratedField(
        expression=_stored_code_key(),
        output_field=models.CharField(max_length=CODE_LENGTH),
        db_persist=True,
        db_index=True,
    )
    issued_on = models.DateField(_("issue date"))
    valid_until = models.DateField(_("valid until"))
    signer_title = models.CharField(_("signer's title"), max_length=255)
    signer_name = models.CharField(_("signer's name"), max_length=255)
    place = models.CharField(_("place of issue"), max_length=100)
    # What the certificate prints, as it was on the day of issue.
    product_name = models.CharField(_("product"), max_length=255)
    group_name = models.CharField(_("product group"), max_length=255)
    producer_name = models.CharField(_("producer"), max_length=255)
    producer_address = models.CharField(_("address"), max_length=500, blank=True)
    province_name = models.CharField(_("province"), max_length=100)
    province_as_recorded = models.CharField(_("province as recorded"), max_length=100, blank=True)
    level_name = models.CharField(_("level"), max_length=100)
    recognition_year = models.PositiveSmallIntegerField(_("year recognised"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_body = models.CharField(_("decision issued by"), max_length=255, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by (account)"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revocation"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by (account)"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["code_key"])

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_body", "year", "serial"], name="unique_certificate_serial"),
            models.UniqueConstraint(
                fields=["recognition"],
                condition=models.Q(status="valid"),
                name="one_current_certificate_per_recognition",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("awards:verify.detail", args=[self.code])

    @property
    def grouped_code(self) -> str:
        return grouped_code(self.code)

    def state(self, today: datetime.date | None = None) -> str:
        if self.status == CertificateStatus.REVOKED:
            return CertificateState.REVOKED
        if self.status == CertificateStatus.REPLACED:
            return CertificateState.REPLACED
        today = today or timezone.localdate()
        return CertificateState.EXPIRED if today > self.valid_until else CertificateState.VALID

    def get_state_display(self) -> str:
        return CertificateState(self.state()).label

    @property
    def file_stem(self) -> str:
        """'2027_125-GCN-SCT_4711_Lap-Suon-Tam-Hoa': year, number and id, then the product, safe as a file name.
        Numbers restart every year for each issuing body (one product may hold "1/GCN-UBND" of 2022 and of
        2023, two bodies may both give "1/GCN-UBND" in a year), so the id makes the name unique; the product
        is there for people."""
        from products.search import fold

        product = "-".join(fold(self.product_name).title().split())[:60]
        return f"{self.year}_{self.number.replace('/', '-')}_{self.pk}_{product}"


class CertificateStatusLog(StatusLog):
    """Revocations and replacements of a certificate (the certificate keeps who revoked it and why as well)."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="status_log")
    from_status = models.CharField(max_length=20, choices=CertificateStatus.choices)
    to_status = models.CharField(max_length=20, choices=CertificateStatus.choices)

    class Meta(StatusLog.Meta):
        pass

    def __str__(self):
        return f"{self.certificate}: {self.from_status} → {self.to_status}"


def export_upload_to(instance, filename):
    return f"exports/{instance.pk}/{filename}"


# A working export writes a heartbeat at least every 2 seconds; this long without one, its worker is gone.
EXPORT_STALE_AFTER = datetime.timedelta(seconds=15)


class BackgroundFile:
    """What a file built by the background worker shows of itself (the certificate exports here, the report files
    of portal.models.ReportJob): its progress from `done` of `total` steps."""

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class CertificateExport(BackgroundFile, models.Model):
    """A bulk export asked for by an official: one merged PDF for printing and a ZIP of separate PDFs. Built
    by a background task certificate by certificate, resumable: each finished PDF is kept in the file store
    (awards.services.certificate_exports.part_path) until the job is done, so a restarted worker, on any
    server, continues where it stopped."""

    title = models.CharField(_("name of the export"), max_length=255)
    certificates = models.ManyToManyField(Certificate, related_name="+")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    error = models.TextField(blank=True)
    merged = models.FileField(upload_to=export_upload_to, blank=True)
    archive = models.FileField(upload_to=export_upload_to, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The token of the run that owns the job (a run that finds another token stops) and the django-tasks result
    # of its last queueing (marked failed when its worker dies).
    run_id = models.CharField(max_length=32, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate export")
        verbose_name_plural = _("certificate exports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def worker_silent(self, now: datetime.datetime, *, worker_busy: bool) -> bool:
        """No sign of the background worker for EXPORT_STALE_AFTER: running without a heartbeat, or waiting that
        long while no worker is busy with another export (nothing is taking jobs from the queue)."""
        cutoff = now - EXPORT_STALE_AFTER
        if self.status == ExportStatus.RUNNING:
            return self.heartbeat_at is None or self.heartbeat_at < cutoff
        if self.status == ExportStatus.QUEUED:
            return not worker_busy and (self.heartbeat_at or self.created_at) < cutoff
        return False
