"""Fields many models declare alike: the province a record names, its commune/ward or district, who created it.

Each returns a new field with the same options every such field has always had (the migrations are unchanged);
a model passes what differs (`verbose_name`, `related_name`, `help_text`, `null`/`blank`, …)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import UnitLevel

UNIT = "products.AdministrativeUnit"
PROVINCES = {"level": UnitLevel.PROVINCE}
TODAYS_PROVINCES = {"level": UnitLevel.PROVINCE, "is_current": True}


def province_field(verbose_name=None, *, related_name="+", limit_choices_to=PROVINCES, **options):
    """A province (today's or one before 1 July 2025, or only today's: `limit_choices_to=TODAYS_PROVINCES`)."""
    if limit_choices_to is not None:
        options["limit_choices_to"] = dict(limit_choices_to)
    return models.ForeignKey(
        UNIT,
        verbose_name=verbose_name or _("province"),
        on_delete=models.PROTECT,
        related_name=related_name,
        **options,
    )


def unit_field(verbose_name=None, **options):
    """The commune/ward (or the district, before 1 July 2025) below the province; optional."""
    return models.ForeignKey(
        UNIT,
        verbose_name=verbose_name or _("commune / ward or district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        **options,
    )


def created_by_field():
    """The account that created the record; emptied when the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
