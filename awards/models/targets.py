"""A province's plan for SPCNNTTB recognitions, e.g. Hà Giang 2022–2030: 73 district-level and 63 province-level
products, of which 12 and 10 in 2022. A row per province, level and period; `year` narrows it to one year of
the period (empty for the whole period). The province may be one that no longer exists (Hà Giang before 2025):
targets are compared with recognitions of products whose producer was registered in that province."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from products.models.fields import province_field

from .rounds import Level


class RecognitionTarget(models.Model):
    province = province_field()
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")
    period_start = models.PositiveSmallIntegerField(_("period from"))
    period_end = models.PositiveSmallIntegerField(_("period to"))
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty for the whole period.")
    )
    count = models.PositiveIntegerField(_("products"))
    source = models.CharField(_("source document"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("recognition target")
        verbose_name_plural = _("recognition targets")
        ordering = ["province", "period_start", "year", "level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "level", "period_start", "period_end", "year"],
                name="unique_recognition_target",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="recognition_target_period"
            ),
        ]

    def __str__(self):
        when = self.year or f"{self.period_start}–{self.period_end}"
        return f"{self.province} {when}: {self.count} × {self.level}"
