"""OCOP star ratings (a separate programme on the same products): versioned criteria sets, configurable star
bands, ratings with history (a product moving from 3★ to 4★ keeps both), and province targets as data."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from products.models import Product
from products.models.fields import province_field

from ..enums import OcopLevel, OcopTargetMetric


class OcopCriteriaSet(models.Model):
    """The three parts of the OCOP sheet and their maxima, by the decision in force (e.g. Quyết định
    148/QĐ-TTg of 2023: A 40 / B 25 / C 35; Quyết định 1048/QĐ-TTg of 2019: A 35 / B 25 / C 40)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    valid_from = models.DateField(_("in force from"))
    part_a_max = models.DecimalField(_("part A maximum"), max_digits=5, decimal_places=2)
    part_b_max = models.DecimalField(_("part B maximum"), max_digits=5, decimal_places=2)
    part_c_max = models.DecimalField(_("part C maximum"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("OCOP criteria set")
        verbose_name_plural = _("OCOP criteria sets")
        ordering = ["-valid_from"]

    def __str__(self):
        return self.name


class OcopStarBand(models.Model):
    """Scores from `min_score` (inclusive) up to the next band's minimum give `stars`: data, editable."""

    stars = models.PositiveSmallIntegerField(
        _("stars"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_score = models.DecimalField(_("from score"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("OCOP star band")
        verbose_name_plural = _("OCOP star bands")
        ordering = ["stars"]

    def __str__(self):
        return f"{self.stars}★ ≥ {self.min_score}"


class OcopRating(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="ocop_ratings"
    )
    criteria_set = models.ForeignKey(OcopCriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT)
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    part_a = models.DecimalField(_("part A"), max_digits=5, decimal_places=2, null=True, blank=True)
    part_b = models.DecimalField(_("part B"), max_digits=5, decimal_places=2, null=True, blank=True)
    part_c = models.DecimalField(_("part C"), max_digits=5, decimal_places=2, null=True, blank=True)
    level = models.CharField(_("evaluated at"), max_length=10, choices=OcopLevel.choices)
    decision_number = models.CharField(_("decision number"), max_length=100)
    decision_date = models.DateField(_("decision date"))
    valid_until = models.DateField(_("valid until"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["reminded_at"])

    class Meta:
        verbose_name = _("OCOP rating")
        verbose_name_plural = _("OCOP ratings")
        ordering = ["-decision_date", "-pk"]
        indexes = [models.Index(fields=["product", "-decision_date"], name="ocop_product_latest")]

    def __str__(self):
        return f"{self.product} · {self.stars}★ ({self.decision_date:%d/%m/%Y})"

    def is_current(self, today: datetime.date | None = None) -> bool:
        from django.utils import timezone

        return (today or timezone.localdate()) <= self.valid_until


class OcopTarget(models.Model):
    """A province's plan, e.g. Cao Bằng 2025: 150 products ≥ 3★, 10 × 4★, 1 × 5★, 40 % cooperatives."""

    province = province_field()
    year = models.PositiveSmallIntegerField(_("by year"))
    metric = models.CharField(_("target"), max_length=30, choices=OcopTargetMetric.choices)
    value = models.DecimalField(_("value"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("OCOP target")
        verbose_name_plural = _("OCOP targets")
        ordering = ["province", "year", "metric"]
        constraints = [models.UniqueConstraint(fields=["province", "year", "metric"], name="unique_ocop_target")]

    def __str__(self):
        return f"{self.province} {self.year}: {self.get_metric_display()} {self.value}"
