"""Programme configuration and award rounds. Levels, their chain, checklists, phases and thresholds are rows
(a round's checklist and photo rules edited on the staff round pages, the rest in the admin), never constants:
the 2025 reform replaced the district level by the commune level."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.models import StatusLog
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, DocumentType, Organization, ProductGroup
from products.models.fields import TODAYS_PROVINCES, province_field, unit_field

from ..checklist_templates import template_upload_to
from ..enums import AreaKind, PhaseKind, RoundStatus


class Programme(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    certificate_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        default=4,
        help_text=_(
            "Counting the year of the recognition decision as the first: 4 means valid until 31 December three "
            "years later."
        ),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


class Level(models.Model):
    """One level of a programme's chain (district, commune, province, region, national …) with the dates
    it exists, who organises its rounds and the level a recognised product may go up to."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="levels")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 for the lowest level of the chain."))
    area_kind = models.CharField(_("area of its rounds"), max_length=20, choices=AreaKind.choices)
    organiser_kind = models.CharField(_("organiser"), max_length=30, choices=OrganizationKind.choices)
    next_level = models.ForeignKey(
        "self", verbose_name=_("next level"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt_letter = models.CharField(
        _("letter in receipt codes"), max_length=3, help_text=_("E.g. T for province: CB-2026-T-0042.")
    )
    min_photos = models.PositiveSmallIntegerField(_("minimum photos"), default=3)
    requires_lower_certificate = models.BooleanField(_("requires a valid lower-level certificate"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Leave empty to follow the programme. Counting the year of the recognition decision as the first; "
            "applies to recognitions recorded from now on."
        ),
    )

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["programme", "rank", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["programme", "code"], name="unique_level_code")]

    def __str__(self):
        return self.name

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class LevelChecklistItem(models.Model):
    """Default dossier item of a level (for one product group, or for all when group is empty); copied into
    each new round, where staff may change it."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="checklist")
    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, null=True, blank=True)
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("default checklist item")
        verbose_name_plural = _("default checklist items")
        constraints = [
            models.UniqueConstraint(fields=["level", "group", "document_type"], name="unique_level_checklist_item")
        ]

    def __str__(self):
        return f"{self.level} · {self.document_type}"


class Region(models.Model):
    """A group of provinces for region-level rounds (Bắc; Miền Trung – Tây Nguyên; Nam): data."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    provinces = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("provinces"),
        related_name="regions",
        limit_choices_to={"level": "province", "is_current": True},
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Round(models.Model):
    """A round (đợt bình chọn) of one level in one year, with its area, dated phases, threshold and quota."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2012), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=255)
    organiser = models.ForeignKey(Organization, verbose_name=_("organiser"), on_delete=models.PROTECT)
    province = province_field(limit_choices_to=TODAYS_PROVINCES, null=True, blank=True)
    local_unit = unit_field(_("commune or district"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True)
    min_score = models.DecimalField(
        _("minimum score for recognition"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("70"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    quota_per_province = models.PositiveSmallIntegerField(
        _("maximum nominations per province"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    # The quorum of each dossier: at least numerator/denominator of the jury members who should score it (those
    # without a conflict of interest, by the council's assignment) must have submitted a sheet for it to count.
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: at least"), default=2, validators=[MinValueValidator(1)]
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: out of every"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("2 out of every 3: at least two-thirds of the jury members without a conflict of interest."),
    )
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    notes = models.TextField(_("notes for producers"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-year", "level__rank", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="round_quorum_at_most_all",
                violation_error_message=_("The quorum cannot be more than every jury member (at most 1 out of 1)."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:staff.round.detail", args=[self.pk])

    def get_public_url(self):
        return reverse("awards:public.round.detail", args=[self.pk])

    def phase(self, kind):
        return next((p for p in self.phases.all() if p.kind == kind), None)

    def quorum_for(self, expected: int) -> int:
        """The sheets a dossier needs when `expected` jury members should score it (rounded up; at least one)."""
        return max(1, -(-expected * self.quorum_numerator // self.quorum_denominator))

    @property
    def quorum_label(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"

    @property
    def registration(self):
        return self.phase(PhaseKind.REGISTRATION)

    def is_open_for_registration(self, day: datetime.date | None = None) -> bool:
        phase = self.registration
        return (
            self.status == RoundStatus.PUBLISHED and phase is not None and phase.contains(day or timezone.localdate())
        )

    @property
    def area_label(self) -> str:
        if self.region_id:
            return str(self.region)
        if self.local_unit_id:
            return f"{self.local_unit.full_name}, {self.province.full_name}"
        if self.province_id:
            return self.province.full_name
        return str(_("Nationwide"))


class RoundPhase(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=PhaseKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["round", "kind"], name="unique_round_phase"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class RoundChecklistItem(models.Model):
    """A dossier item of one round for one product group (all groups when empty)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="checklist")
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.CASCADE, null=True, blank=True
    )
    document_type = models.ForeignKey(DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT)
    required = models.BooleanField(_("required"), default=False)
    # Staff order the items on the round's checklist page; equal numbers keep the required-first order.
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A blank form of the document for producers to fill in (awards.checklist_templates), sent as a download.
    template = models.FileField(
        _("template"),
        upload_to=template_upload_to,
        blank=True,
        help_text=_("A blank form to download and fill in: PDF or Word (.docx)."),
    )
    template_content_type = models.CharField(max_length=100, blank=True, editable=False)
    template_name = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "-required", "document_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "group", "document_type"], name="unique_round_checklist_item")
        ]

    def __str__(self):
        return str(self.document_type)

    def get_template_url(self):
        return reverse("awards:public.round.template", args=[self.round_id, self.pk]) if self.template else ""


class RoundGroupRule(models.Model):
    """Per round and product group: minimum photos and whether a valid lower-level certificate is needed."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="group_rules")
    group = models.ForeignKey(ProductGroup, verbose_name=_("product group"), on_delete=models.CASCADE)
    min_photos = models.PositiveSmallIntegerField(_("minimum photos"), default=3)
    requires_lower_certificate = models.BooleanField(_("requires a valid lower-level certificate"), default=False)

    class Meta:
        verbose_name = _("group rule")
        verbose_name_plural = _("group rules")
        ordering = ["group__order"]
        constraints = [models.UniqueConstraint(fields=["round", "group"], name="unique_round_group_rule")]

    def __str__(self):
        return f"{self.round} · {self.group}"


class RoundStatusLog(StatusLog):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="status_log")
    from_status = models.CharField(max_length=20, choices=RoundStatus.choices)
    to_status = models.CharField(max_length=20, choices=RoundStatus.choices)

    class Meta(StatusLog.Meta):
        # The round's page lists its last changes first (and reads them through `round_.status_log`).
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.round}: {self.from_status} → {self.to_status}"
