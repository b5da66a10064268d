"""Khuyến công projects (đề án khuyến công): activity types and support limits as data, the project with its
beneficiaries, approved funding per source, disbursements in tranches, outputs at acceptance and a status log.

Money is integer VND everywhere (BigIntegerField): sums never drift by rounding."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.collation import VIETNAMESE
from portal.core.files import OCTET_STREAM
from portal.core.models import StatusLog
from products.models import Organization, Producer
from products.models.fields import province_field, unit_field

from ..enums import FundingSource, OutputField, ProjectStatus


class ActivityType(models.Model):
    """A kind of extension activity (vocational training, demonstration equipment, trademark building, …):
    data, with the outputs it reports at acceptance."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=255, db_collation=VIETNAMESE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    outputs = models.JSONField(
        _("outputs reported"),
        default=list,
        blank=True,
        help_text=_("Which outputs a project of this type reports at acceptance."),
    )

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def output_fields(self) -> list[str]:
        return [f for f in self.outputs if f in OutputField.values]


class SupportLimit(models.Model):
    """The most one project of a type may receive from a source in a plan year (e.g. demonstration equipment:
    50 % of the cost and at most 300 million VND per establishment). Exceeding it is a warning the officer
    confirms with a note, not a refusal."""

    activity_type = models.ForeignKey(ActivityType, on_delete=models.CASCADE, related_name="limits")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    max_amount = models.PositiveBigIntegerField(_("maximum per project (VND)"), null=True, blank=True)
    max_share_percent = models.PositiveSmallIntegerField(
        _("maximum share of the total cost (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("support limit")
        verbose_name_plural = _("support limits")
        constraints = [
            models.UniqueConstraint(fields=["activity_type", "source", "plan_year"], name="unique_support_limit")
        ]

    def __str__(self):
        return f"{self.activity_type} · {self.get_source_display()} · {self.plan_year}"


class Project(models.Model):
    code = models.CharField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Given by the department's code rule."),
    )
    title = models.CharField(_("project title"), max_length=500)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.PROTECT, related_name="projects"
    )
    plan_year = models.PositiveSmallIntegerField(
        _("plan year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    province = province_field(
        help_text=_("The province as recorded; projects before 1 July 2025 keep the old province.")
    )
    current_province = province_field(
        _("province today"), related_name="extension_projects", limit_choices_to=None, editable=False
    )
    unit = unit_field()
    implementer = models.CharField(_("implementing organisation"), max_length=255)
    managing_body = models.ForeignKey(
        Organization,
        verbose_name=_("managing body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extension_projects",
    )
    beneficiaries = models.ManyToManyField(
        Producer, verbose_name=_("beneficiaries"), blank=True, related_name="extension_projects"
    )
    beneficiary_count = models.PositiveIntegerField(
        _("establishments supported"),
        null=True,
        blank=True,
        help_text=_("When the beneficiaries are not all recorded one by one (e.g. from an old report)."),
    )
    approval_number = models.CharField(_("approval decision number"), max_length=100, blank=True)
    approval_date = models.DateField(_("approval decision date"), null=True, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED, db_index=True
    )
    # Acceptance (nghiệm thu)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_committee = models.TextField(_("acceptance committee"), blank=True)
    trainees = models.PositiveIntegerField(_("trainees"), null=True, blank=True)
    workers_trained = models.PositiveIntegerField(_("workers trained"), null=True, blank=True)
    courses = models.PositiveIntegerField(_("courses"), null=True, blank=True)
    machines = models.PositiveIntegerField(_("machines installed"), null=True, blank=True)
    trademarks = models.PositiveIntegerField(_("trademarks built"), null=True, blank=True)
    booths = models.PositiveIntegerField(_("fair booths"), null=True, blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    private_investment = models.PositiveBigIntegerField(_("private investment attracted (VND)"), null=True, blank=True)
    # Settlement (quyết toán) and cancellation
    settled_on = models.DateField(_("settlement date"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    limit_note = models.TextField(
        _("note on exceeding a support limit"),
        blank=True,
        help_text=_("Why the support exceeds the limit of its activity type; required to confirm it."),
    )
    data_quality_note = models.TextField(
        _("data quality note"),
        blank=True,
        help_text=_("Where the source figures do not add up, say so here; the project shows a warning."),
    )
    is_generated = models.BooleanField(_("generated record"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("extension project")
        verbose_name_plural = _("extension projects")
        ordering = ["-plan_year", "code"]
        indexes = [
            models.Index(fields=["current_province", "plan_year"], name="project_province_year"),
            models.Index(fields=["province", "plan_year"], name="project_old_province_year"),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def save(self, *args, **kwargs):
        self.current_province_id = self.province.today_province_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("extension_projects:staff.project.detail", args=[self.pk])


class ProjectFunding(models.Model):
    """The amount approved for a project from one source, and the actual amount at settlement."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    approved = models.PositiveBigIntegerField(_("approved (VND)"), default=0)
    actual = models.PositiveBigIntegerField(_("actual at settlement (VND)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        ordering = ["project", "source"]
        constraints = [models.UniqueConstraint(fields=["project", "source"], name="one_funding_per_source")]

    def __str__(self):
        return f"{self.project.code} · {self.get_source_display()}"


def disbursement_upload_to(instance, filename):
    # Never the uploader's name: a random stem and the extension of the type read from the content (the service
    # names the upload after checking it); anything else is stored as .bin.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"extension/{instance.project_id}/{uuid.uuid4().hex}.{ext if ext in ('pdf', 'jpg', 'png') else 'bin'}"


class Disbursement(models.Model):
    """One tranche paid from a source. The sum per source never exceeds the approved amount."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="disbursements")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    paid_on = models.DateField(_("date"))
    reference = models.CharField(_("payment document number"), max_length=100, blank=True)
    document = models.FileField(_("document"), upload_to=disbursement_upload_to, blank=True)
    # Read from the whole content at upload (products.validators), never from a name. No page serves the document
    # yet (only a badge says one is attached); a view that does must go through portal.core.files.serve_file.
    content_type = models.CharField(_("content type"), max_length=100, default=OCTET_STREAM, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["project", "paid_on", "pk"]

    def __str__(self):
        return f"{self.project.code} · {self.paid_on:%d/%m/%Y}"


class ProjectStatusLog(StatusLog):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_log")
    # Empty on the first line, written when the project is recorded.
    from_status = models.CharField(max_length=20, choices=ProjectStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ProjectStatus.choices)

    class Meta(StatusLog.Meta):
        pass

    def __str__(self):
        return f"{self.project.code}: {self.from_status} → {self.to_status}"
