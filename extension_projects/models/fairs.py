"""Trade fairs (hội chợ, triển lãm) and the producers who took part, with the support they received."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.collation import VIETNAMESE
from products.models import AdministrativeUnit, Producer, Product
from products.models.fields import province_field

from ..enums import FairLevel
from .projects import Project


class Fair(models.Model):
    name = models.CharField(_("name"), max_length=255, db_collation=VIETNAMESE)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=255)
    level = models.CharField(_("level"), max_length=20, choices=FairLevel.choices)
    booths = models.PositiveIntegerField(_("booths"), null=True, blank=True)
    province = province_field(
        _("province sending producers"),
        help_text=_("The province whose department sent its producers (as recorded)."),
    )
    current_province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="fairs", editable=False
    )
    is_generated = models.BooleanField(_("generated record"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trade fair")
        verbose_name_plural = _("trade fairs")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="fair_dates_order")
        ]

    def __str__(self):
        return f"{self.name} ({self.starts_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.current_province_id = self.province.today_province_id
        super().save(*args, **kwargs)


class FairParticipation(models.Model):
    fair = models.ForeignKey(Fair, verbose_name=_("fair"), on_delete=models.CASCADE, related_name="participations")
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="fair_participations"
    )
    products = models.ManyToManyField(Product, verbose_name=_("products shown"), blank=True, related_name="+")
    booths = models.PositiveSmallIntegerField(_("booths"), default=1)
    support_amount = models.PositiveBigIntegerField(_("support received (VND)"), default=0)
    project = models.ForeignKey(
        Project,
        verbose_name=_("supporting project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fair_participations",
    )
    sales = models.PositiveBigIntegerField(_("sales at the fair (VND)"), null=True, blank=True)
    contracts = models.PositiveIntegerField(_("contracts signed"), null=True, blank=True)
    contracts_value = models.PositiveBigIntegerField(_("value of contracts (VND)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fair participation")
        verbose_name_plural = _("fair participations")
        constraints = [models.UniqueConstraint(fields=["fair", "producer"], name="one_participation_per_fair")]

    def __str__(self):
        return f"{self.producer} · {self.fair}"
