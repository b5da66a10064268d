"""Records of the portal's cross-domain features. An ImportBatch is one uploaded file of historical data:
previewed (a dry run that writes nothing), then confirmed (written all at once) or discarded. A ReportJob is a
report file (PDF or Excel) an official asked for, built by the background worker."""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards.enums import ExportStatus
from awards.models.certificates import BackgroundFile
from products.models.fields import TODAYS_PROVINCES, province_field


class ImportKind(models.TextChoices):
    PRODUCERS = "producers", _("Producers")
    PRODUCTS = "products", _("Products")
    RECOGNITIONS = "recognitions", _("Recognitions")
    OCOP_RATINGS = "ocop_ratings", _("OCOP ratings")
    PROJECTS = "projects", _("Khuyến công projects")
    PARTICIPATIONS = "participations", _("Fair participations")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    INVALID = "invalid", _("Has errors")
    IMPORTED = "imported", _("Imported")
    DISCARDED = "discarded", _("Discarded")


def import_upload_to(batch, filename):
    return f"imports/{timezone.now():%Y/%m}/{batch.sha256[:16]}-{filename}"


class ImportBatch(models.Model):
    kind = models.CharField(_("data"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    file = models.FileField(_("file"), upload_to=import_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, editable=False)
    province = province_field(
        limit_choices_to=None,
        null=True,
        blank=True,
        help_text=_("The uploader's province (empty for a national account)."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("imported"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    totals = models.JSONField(_("totals"), default=dict, blank=True, help_text=_("new / updated / unchanged rows"))
    errors = models.JSONField(_("errors"), default=list, blank=True, help_text=_("line, column, reason"))
    preview = models.JSONField(
        _("first rows"), default=list, blank=True, help_text=_("The first rows of the file: line, result, record.")
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.original_name}"


class ScheduledJob(models.Model):
    """A periodic job of the worker's scheduler (portal/scheduler.py) and the period it last ran for. A worker
    runs a job only after moving `period_start` forward in one conditional UPDATE, so that however many
    workers run, one of them runs it once per period."""

    name = models.CharField(_("job"), max_length=50, unique=True)
    period_start = models.DateTimeField(_("period last run"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    result = models.CharField(_("result"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self):
        return self.name


def report_upload_to(job, filename):
    return f"reports/{job.pk}/{filename}"


class ReportJob(BackgroundFile, models.Model):
    """A report file asked for by an official, built by the background worker from the stored parameters with
    the builders of the report pages (portal/reports/jobs.py) — the same machinery as the bulk certificate
    exports: status, progress, heartbeat and run token, resumed by the scheduler, purged once expired."""

    kind = models.CharField(_("report"), max_length=20)
    fmt = models.CharField(_("format"), max_length=4)
    params = models.JSONField(_("parameters"), default=dict)
    title = models.CharField(_("name of the report"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    done = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=3)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_upload_to, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    run_id = models.CharField(max_length=32, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class SiteIdentity(models.Model):
    """Who runs this portal, as its pages show it: the department's name, the body above it, its province, logo,
    address, hotline, e-mail and working hours, in the header and footer of every page. One row (a superuser's,
    in the back office); pages read it through portal.site_identity, which keeps it in memory."""

    agency_name = models.CharField(
        _("agency name"), max_length=255, default="Sở Công Thương", help_text=_("E.g. Sở Công Thương.")
    )
    governing_body = models.CharField(
        _("governing body"), max_length=255, blank=True, help_text=_("E.g. Ủy ban nhân dân tỉnh Cao Bằng.")
    )
    province = province_field(limit_choices_to=TODAYS_PROVINCES, null=True, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="site/",
        blank=True,
        help_text=_("Shown in the header of every page, about 48 pixels high (PNG or JPEG)."),
    )
    logo_content_type = models.CharField(max_length=50, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("hotline"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    working_hours = models.CharField(
        _("working hours"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Thứ Hai – Thứ Sáu, 7:30 – 11:30 và 13:30 – 17:00."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="site_identity_is_one_row")]

    def __str__(self):
        return str(_("Site identity"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        _forget_identity()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _forget_identity()
        return result


def _forget_identity():
    """Now for this process's next page, and again at commit, so a page read in between keeps no old copy."""
    from . import site_identity  # it reads this module's model

    site_identity.forget()
    transaction.on_commit(site_identity.forget)


class Tally(models.Model):
    """One cell of the dashboards' maintained aggregates (portal/dashboards/tallies.py): what `topic` counts for a
    province today and as recorded, a year and the topic's own keys (a level, a product group, a producer kind,
    a funding source, a fair level or an output; OCOP stars and the day they are counted on). The worker rebuilds
    every cell in one transaction each minute, so the dashboards read a few hundred rows whatever the data."""

    topic = models.CharField(max_length=30)
    current_province_id = models.IntegerField(null=True)
    province_id = models.IntegerField(null=True)
    year = models.IntegerField(null=True)
    # Real columns without a constraint: the cells are rebuilt wholesale, and reads join the level's code.
    level = models.ForeignKey(
        "awards.Level", null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    group = models.ForeignKey(
        "products.ProductGroup",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    key = models.CharField(max_length=30, blank=True, default="")  # producer kind, source, fair level or output
    stars = models.IntegerField(null=True)
    as_of = models.DateField(null=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["topic", "current_province_id"], name="tally_topic_today"),
            models.Index(fields=["topic", "province_id"], name="tally_topic_recorded"),
        ]

    def __str__(self):
        return f"{self.topic}: {self.value}"


class TallyRefresh(models.Model):
    """When the dashboards' aggregates were last rebuilt (one row), the day their OCOP figures were counted for
    ("today" on that day) and how long the rebuild took."""

    refreshed_at = models.DateTimeField()
    today = models.DateField()
    duration_ms = models.PositiveIntegerField(default=0)
    cells = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.refreshed_at:%d/%m/%Y %H:%M} ({self.cells} cells)"
