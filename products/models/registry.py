import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.collation import VIETNAMESE

from ..addresses import address_line, mid_line
from ..enums import DocumentScope, OrganizationKind, ProducerKind, UnitLevel
from ..headings import default_heading, lines
from ..tax_codes import TaxCodeValidator, check_kind
from .fields import TODAYS_PROVINCES, created_by_field, province_field, unit_field

# 10 digits, 10-3 (a dependent unit) or a 12-digit personal identification number: products.tax_codes.
TAX_CODE_VALIDATOR = TaxCodeValidator()
REFORM_DATE = datetime.date(2025, 7, 1)


class UnitQuerySet(models.QuerySet):
    def provinces(self, scope=None, *, today: bool = True, before_reform: bool = False):
        """Provinces for a select, in Vietnamese dictionary order: today's 34 (`today`) and/or the 63 before the
        2025 reform (`before_reform`), narrowed to a `portal.core.access.ProvinceScope` when given — a
        province's staff are offered their province today and the old provinces merged into it."""
        eras = models.Q(pk__in=[])
        if today:
            eras |= models.Q(is_current=True)
        if before_reform:
            eras |= models.Q(is_current=False)
        qs = self.filter(eras, level=UnitLevel.PROVINCE)
        if scope is not None:
            if scope.is_nothing:
                return qs.none()
            province = scope.province_or_none
            if province is not None:
                qs = qs.filter(models.Q(pk=province) | models.Q(successor_id=province))
        # Today's provinces first, then those before the reform, each in dictionary order.
        return qs.order_by("-is_current", "name", "pk")


def not_after_this_year(year: int) -> None:
    """A founding year is in the past: not after the current year (Vietnam's date)."""
    this_year = timezone.localdate().year
    if year is not None and year > this_year:
        raise ValidationError(
            _("The founding year cannot be after this year (%(year)d)."), code="max_value", params={"year": this_year}
        )


class AdministrativeUnit(models.Model):
    """A province, district or commune/ward, as it is today or as it was before the 1 July 2025 reform.

    Today's 34 provinces and their wards have no `valid_until`. The 63 provinces and their districts as
    they were until 30 June 2025 carry `valid_until`; each old province points to its `successor`, today's
    province that absorbed it, so a record made in 2019 keeps its old units and is found under today's
    province too.
    """

    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    code = models.PositiveIntegerField(_("official code"))
    # Names people pick from a list sort in Vietnamese dictionary order (portal.core.collation).
    name = models.CharField(_("name"), max_length=100, db_collation=VIETNAMESE)
    full_name = models.CharField(_("full name"), max_length=150)
    division_type = models.CharField(_("division type"), max_length=40)
    codename = models.CharField(max_length=100)
    short_code = models.CharField(
        _("short code"), max_length=5, blank=True, help_text=_("Letters used in receipt codes, e.g. CB for Cao Bằng.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor today"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_(
            "For a province before 1 July 2025: the province it is part of today. For a district: the commune or "
            "ward of today that took its name, where there is exactly one; offered to its producers as a "
            "suggestion when they confirm their address (a district was usually split among several communes)."
        ),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_current = models.BooleanField(_("current unit"), default=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["-is_current", "level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "is_current"], name="unique_unit_code_per_era"),
        ]

    def __str__(self):
        if self.is_current:
            return self.full_name
        return _("%(name)s (before 1 July 2025)") % {"name": self.full_name}

    @property
    def name_mid_line(self) -> str:
        """The full name as written inside a sentence: "tỉnh Cao Bằng", "xã Tháp Mười"."""
        return mid_line(self.full_name)

    @property
    def today_province_id(self):
        """Id of today's province this unit lies in (for an old district: its old province's successor)."""
        if self.level == UnitLevel.PROVINCE:
            return self.id if self.is_current else self.successor_id
        if self.is_current:
            return self.parent_id
        return self.parent.successor_id


class Organization(models.Model):
    """A public body: the department (Sở Công Thương), its extension centre, a People's Committee, or the
    ministry agency. Department staff belong to one; its province scopes what they manage."""

    name = models.CharField(_("name"), max_length=255, db_collation=VIETNAMESE)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    province = province_field(
        related_name="organizations",
        limit_choices_to=TODAYS_PROVINCES,
        null=True,
        blank=True,
        help_text=_("Empty only for a ministry agency, which works nationwide."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # As an issuing body of certificates: "125/GCN-SCT" is the 125th certificate of the year, suffix "GCN-SCT".
    certificate_suffix = models.CharField(
        _("certificate number suffix"),
        max_length=30,
        blank=True,
        help_text=_("Printed after the number of each certificate it issues, e.g. GCN-SCT or GCN-UBND."),
    )
    emblem = models.ImageField(
        _("emblem"),
        upload_to="emblems/",
        blank=True,
        help_text=_("Printed at the top of its certificates (PNG or JPEG)."),
    )
    # The heading block of the documents it issues (Nghị định 30/2020, Phụ lục I): see products/headings.py.
    governing_body_line = models.CharField(
        _("governing body line"),
        max_length=255,
        blank=True,
        help_text=_(
            "Printed above the body's name in the heading of its documents, e.g. UBND TỈNH ĐỒNG THÁP above SỞ "
            "CÔNG THƯƠNG, or BỘ CÔNG THƯƠNG above a ministry agency. Empty for a body with none above it (a "
            "People's Committee)."
        ),
    )
    heading_name = models.TextField(
        _("name in the heading"),
        blank=True,
        help_text=_(
            "The body's name as its documents print it, in capitals, without the province the line above names "
            "(e.g. SỞ CÔNG THƯƠNG), one line per line. Left empty, both heading lines are filled in from the kind and "
            "the province."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="unique_organization_name"),
            models.CheckConstraint(
                condition=models.Q(kind="ministry_agency") | models.Q(province__isnull=False),
                name="organization_has_province_unless_ministry",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.heading_name.strip():
            governing, name = default_heading(self.kind, self.name, self.province if self.province_id else None)
            self.heading_name = name
            self.governing_body_line = self.governing_body_line.strip() or governing
        super().save(*args, **kwargs)

    @property
    def heading_lines(self) -> dict:
        """The two parts of the heading block, each a list of lines: {"governing": [...], "name": [...]}."""
        governing, name = self.governing_body_line, self.heading_name
        if not name.strip():  # a row written without save() (bulk_create, a fixture)
            governing, name = default_heading(self.kind, self.name, self.province if self.province_id else None)
        return {"governing": lines(governing), "name": lines(name)}

    @property
    def is_nationwide(self) -> bool:
        """The ministry agency works nationwide (region and national rounds), not for one province."""
        return self.kind == OrganizationKind.MINISTRY_AGENCY


class ProductGroup(models.Model):
    """One of the programme's product groups (four under Thông tư 26/2014): data, editable by staff."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class DocumentType(models.Model):
    """A kind of supporting document (registration certificate, food-safety certificate, …): data."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    scope = models.CharField(_("belongs to"), max_length=10, choices=DocumentScope.choices)
    has_expiry = models.BooleanField(_("has an expiry date"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Producer(TimeStamped):
    """A rural-industry establishment (cơ sở CNNT): enterprise, cooperative, cooperative group or household
    business, keyed on its tax or registration number."""

    name = models.CharField(_("name"), max_length=255, db_collation=VIETNAMESE)
    kind = models.CharField(_("kind"), max_length=30, choices=ProducerKind.choices)
    tax_code = models.CharField(
        _("tax or registration number"),
        max_length=14,
        unique=True,
        validators=[TAX_CODE_VALIDATOR],
        help_text=_(
            "10 digits for an enterprise, cooperative or cooperative group (e.g. 4800123456); 10 digits, a hyphen "
            "and 3 digits for a dependent unit (e.g. 0101234567-001); a household business's 12-digit personal "
            "identification number (e.g. 004089012345)."
        ),
        error_messages={
            "unique": _(
                "A producer with this tax or registration number is already registered. If it is yours, ask the "
                "Department of Industry and Trade to add an account for you."
            )
        },
    )
    legal_representative = models.CharField(_("legal representative"), max_length=200)
    representative_title = models.CharField(_("representative's title"), max_length=100, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    province = province_field(
        help_text=_("The province as recorded; records made before 1 July 2025 keep the old province.")
    )
    unit = unit_field()
    current_province = province_field(
        _("province today"), related_name="producers", limit_choices_to=TODAYS_PROVINCES, editable=False
    )
    # Today's commune/ward: the recorded unit when it is one of today's, else the one the producer (or staff)
    # confirmed after the 2025 reform; empty while a record made before it is not confirmed.
    current_unit = unit_field(_("commune / ward today"), editable=False)
    address_confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founding_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), not_after_this_year],
    )
    workers = models.PositiveIntegerField(_("number of workers"), null=True, blank=True)
    # What the public catalogue may show besides the name, kind and province (the producer chooses).
    publish_address = models.BooleanField(_("show the address in the public catalogue"), default=False)
    publish_phone = models.BooleanField(_("show the phone number in the public catalogue"), default=False)
    publish_email = models.BooleanField(_("show the e-mail address in the public catalogue"), default=False)
    publish_website = models.BooleanField(_("show the website in the public catalogue"), default=False)
    is_generated = models.BooleanField(
        _("generated record"), default=False, help_text=_("Synthetic demo or scale data, not a real establishment.")
    )
    created_by = created_by_field()
    search_text = models.CharField(max_length=2000, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["current_province", "name"], name="producer_province_name"),
            # The lists' default order: without it every unfiltered page sorts the whole table.
            models.Index(fields=["name", "id"], name="producer_name_id"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("products:staff.producer.detail", args=[self.pk])

    def clean(self):
        super().clean()
        try:
            check_kind(self.kind, self.tax_code)
        except ValidationError as exc:
            raise ValidationError({"tax_code": exc.error_list}) from None

    @property
    def recorded_address(self) -> str:
        """The address with the units it was recorded with (a district and an old province, before 2025)."""
        return address_line(self.address, self.unit.full_name if self.unit_id else "", self.province.full_name)

    @property
    def address_needs_confirmation(self) -> bool:
        """Recorded in units abolished on 1 July 2025 and its commune/ward of today not yet confirmed."""
        return self.current_unit_id is None and not self.province.is_current

    @property
    def suggested_current_unit(self):
        """The commune/ward of today that took the name of the district the producer was recorded in, when the
        registry knows one (`AdministrativeUnit.successor`): offered, never assumed."""
        unit = self.unit if self.unit_id else None
        if unit is None or unit.is_current or not unit.successor_id:
            return None
        successor = unit.successor
        return successor if successor.is_current and successor.parent_id == self.current_province_id else None

    def address_on(self, day: datetime.date) -> str:
        """The address a document dated `day` prints: from 1 July 2025 in the two-level form (commune/ward,
        province) when today's commune/ward is known; otherwise as recorded."""
        if day >= REFORM_DATE and self.current_unit_id:
            return address_line(self.address, self.current_unit.full_name, self.current_province.full_name)
        return self.recorded_address

    @property
    def full_address(self) -> str:
        """The address as of today (pages, the catalogue, forms printed today)."""
        return self.address_on(timezone.localdate())


class Product(TimeStamped):
    name = models.CharField(_("product name"), max_length=255, db_collation=VIETNAMESE)
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    group = models.ForeignKey(
        ProductGroup, verbose_name=_("product group"), on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(_("description"), blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)
    created_by = created_by_field()
    search_text = models.CharField(max_length=700, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="product_name_id")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("products:staff.product.detail", args=[self.pk])
