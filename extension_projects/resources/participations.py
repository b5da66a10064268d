"""Import of fair participations, keyed on the fair (name and first day) and the producer's tax code (see
extension_projects.resources)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from portal.core.access import EVERYTHING, province_scope
from portal.core.collation import vietnamese_key
from portal.core.formatting import vn_date
from products.importing import (
    CellError,
    ChoiceWidget,
    DateWidget,
    ImportResource,
    IntegerWidget,
    MoneyWidget,
    ProvinceWidget,
    TextWidget,
    column,
    read_text,
)
from products.resources import (
    PRODUCER_NAME,
    PROVINCE,
    TAX_CODE,
    ProducerByTaxCodeWidget,
    ProducerRowsMixin,
    ProductIndex,
)
from products.search import fold

from ..enums import FairLevel
from ..models import Fair, FairParticipation, Project
from ..services import fair_create, participation_record
from .base import ServiceWriteMixin
from .projects import PROJECT_CODE

# -- fair participations -----------------------------------------------------------------------------------------------
FAIR_NAME = "Tên hội chợ"
FAIR_START = "Từ ngày"
FAIR_COLUMNS = {
    "name": FAIR_NAME,
    "starts_on": FAIR_START,
    "ends_on": "Đến ngày",
    "place": "Địa điểm",
    "organiser": "Đơn vị tổ chức",
    "level": "Cấp hội chợ",
    "province": PROVINCE,
}
PRODUCTS_SHOWN = "Sản phẩm trưng bày"


class FairWidget(TextWidget):
    """The fair of a row by its name, its first day and today's province of its province column (blank: the staff
    member's own province); a fair not yet recorded is made from the row's fair columns (once for all its rows).
    Another province's fair of the same name is never taken, and several fairs matching a row are an error."""

    def __init__(self, resource):
        self.resource = resource
        self.dates = DateWidget()
        self.levels = ChoiceWidget(FairLevel)
        self.provinces = ProvinceWidget()

    def key(self, row):
        name = read_text(row.get(FAIR_NAME))
        if not name:
            raise CellError(_("The fair's name is missing."))
        try:
            start = self.dates.clean(row.get(FAIR_START))
        except CellError as exc:
            raise CellError(str(exc), column=FAIR_START) from None
        if start is None:
            raise CellError(_("The fair's first day is missing."), column=FAIR_START)
        return (fold(name), start, self.province_id(row))

    def province_id(self, row):
        if not read_text(row.get(PROVINCE)):
            return self.resource.own_province_id
        try:
            return self.provinces.clean(row.get(PROVINCE)).today_province_id
        except CellError as exc:
            raise CellError(str(exc), column=PROVINCE) from None

    def find(self, key, row):
        """The recorded (or made earlier in this file) fair of a row's key, or None."""
        name, start, province = key
        found = [
            f
            for f in self.resource.fairs.get((name, start), ())
            if province is None or f.current_province_id == province
        ]
        if len(found) > 1:
            values = {"name": read_text(row.get(FAIR_NAME)), "date": vn_date(start)}
            if province is None:
                message = _(
                    "Fairs of several provinces are named “%(name)s” and start on %(date)s: fill in the fair's "
                    "province."
                )
            else:
                message = _(
                    "Several recorded fairs of this province are named “%(name)s” and start on %(date)s: correct "
                    "them before importing."
                )
            raise CellError(message % values)
        if found:
            return found[0]
        return self.resource.new_fairs.get(key)

    def clean(self, value, row=None, **kwargs):
        key = self.key(row)
        fair = self.find(key, row)
        if fair is not None:
            return fair
        data = {"name": read_text(row.get(FAIR_NAME)), "starts_on": key[1]}
        for attr, heading, widget in (
            ("ends_on", "Đến ngày", self.dates),
            ("level", "Cấp hội chợ", self.levels),
            ("province", PROVINCE, self.provinces),
        ):
            try:
                data[attr] = widget.clean(row.get(heading))
            except CellError as exc:
                raise CellError(str(exc), column=heading) from None
        data["ends_on"] = data["ends_on"] or data["starts_on"]
        data["place"] = read_text(row.get("Địa điểm"))
        data["organiser"] = read_text(row.get("Đơn vị tổ chức"))
        fair = Fair(**data)
        fair.current_province_id = fair.province.today_province_id
        self.resource.new_fairs[(key[0], key[1], fair.current_province_id)] = fair
        return fair

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class ProductListWidget(TextWidget):
    """The products shown, by name, separated by semicolons: products of the row's producer."""

    def __init__(self, resource):
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in read_text(value).split(";") if n.strip()]
        if not names:
            return ()
        producer = self.resource.producer_of(row)
        return tuple(sorted((self.resource.products.get(producer, n) for n in names), key=lambda p: p.pk))

    def render(self, value, obj=None, **kwargs):
        return "; ".join(sorted((p.name for p in value), key=vietnamese_key)) if value else ""


class ProjectCodeWidget(TextWidget):
    def __init__(self, resource):
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        code = read_text(value)
        if not code:
            return None
        project = self.resource.projects.get(code)
        if project is None:
            raise CellError(_("No project with the code “%(code)s” is recorded.") % {"code": code})
        return project

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ParticipationResource(ProducerRowsMixin, ServiceWriteMixin, ImportResource):
    producers_in_scope = False  # a province's fair hosts producers of every province
    fair = column(FAIR_NAME, "fair")
    starts_on = column(FAIR_START, "fair__starts_on", DateWidget(), readonly=True)
    ends_on = column("Đến ngày", "fair__ends_on", DateWidget(), readonly=True)
    place = column("Địa điểm", "fair__place", readonly=True)
    organiser = column("Đơn vị tổ chức", "fair__organiser", readonly=True)
    fair_level = column("Cấp hội chợ", "fair__level", ChoiceWidget(FairLevel), readonly=True)
    province = column(PROVINCE, "fair__province", ProvinceWidget(), readonly=True)
    producer = column(TAX_CODE, "producer")
    producer_name = column(PRODUCER_NAME, "producer__name", readonly=True)
    shown = column(PRODUCTS_SHOWN, "shown")
    booths = column("Số gian hàng", "booths", IntegerWidget(0, 1000))
    support_amount = column("Kinh phí hỗ trợ (đồng)", "support_amount", MoneyWidget())
    project = column(PROJECT_CODE, "project")
    sales = column("Doanh thu tại hội chợ (đồng)", "sales", MoneyWidget())
    contracts = column("Số hợp đồng ký kết", "contracts", IntegerWidget())
    contracts_value = column("Giá trị hợp đồng (đồng)", "contracts_value", MoneyWidget())

    required_headings = (FAIR_NAME, FAIR_START, TAX_CODE)
    key_columns = (PROVINCE, TAX_CODE)

    class Meta:
        model = FairParticipation
        fields = (
            "fair",
            "starts_on",
            "ends_on",
            "place",
            "organiser",
            "fair_level",
            "province",
            "producer",
            "producer_name",
            "shown",
            "booths",
            "support_amount",
            "project",
            "sales",
            "contracts",
            "contracts_value",
        )
        export_order = fields
        use_bulk = False
        clean_model_instances = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fair"].widget = FairWidget(self)
        self.fields["producer"].widget = ProducerByTaxCodeWidget(self)
        self.fields["shown"].widget = ProductListWidget(self)
        self.fields["project"].widget = ProjectCodeWidget(self)

    @staticmethod
    def with_shown(participation):
        participation.shown = tuple(sorted(participation.products.all(), key=lambda p: p.pk))
        return participation

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        queryset = queryset.select_related("fair__province", "producer", "project").prefetch_related("products")
        return super().export(queryset=[self.with_shown(p) for p in queryset], **kwargs)

    def prepare(self, dataset):
        self.load_producers(dataset)
        self.products = ProductIndex([p.pk for p in self.producers.by_code.values()])
        codes = {read_text(row.get(PROJECT_CODE)) for row in dataset.dict} - {""}
        self.projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
        names = {read_text(row.get(FAIR_NAME)) for row in dataset.dict} - {""}
        scope = province_scope(self.actor, write=True) if self.actor is not None else EVERYTHING
        self.own_province_id = scope.province_or_none
        fairs = Fair.objects.filter(name__in=names).select_related("province__successor")
        fairs = scope.filter(fairs, "current_province")
        self.fairs = {}  # (folded name, first day) → [fairs]
        for fair in fairs.order_by("pk"):
            self.fairs.setdefault((fold(fair.name), fair.starts_on), []).append(fair)
        self.new_fairs = {}  # (folded name, first day, today's province) → a fair made from this file

    @staticmethod
    def fair_key(fair):
        return (fold(fair.name), fair.starts_on, fair.current_province_id)

    def existing(self, dataset):
        fair_ids = [f.pk for fairs in self.fairs.values() for f in fairs]
        return {
            (self.fair_key(p.fair), p.producer.tax_code): self.with_shown(p)
            for p in FairParticipation.objects.filter(fair_id__in=fair_ids)
            .select_related("fair__province", "producer", "project")
            .prefetch_related("products")
        }

    def row_key(self, row):
        widget = self.fields["fair"].widget
        key = widget.key(row)
        fair = widget.find(key, row)
        return (self.fair_key(fair) if fair is not None else key, self.producer_of(row).tax_code)

    def instance_key(self, instance):
        return (self.fair_key(instance.fair), instance.producer.tax_code)

    def province_id_of(self, instance):
        return instance.fair.current_province_id

    def check_row(self, instance, row, errors, **kwargs):
        if not hasattr(instance, "shown"):  # a file without the products column: none shown
            instance.shown = ()
        instance.booths = 1 if instance.booths is None else instance.booths
        instance.support_amount = instance.support_amount or 0

    def save_instance(self, instance, is_create, row, **kwargs):
        fair = instance.fair
        try:
            if fair.pk is None:
                created = fair_create(
                    actor=self.actor,
                    **{k: getattr(fair, k) for k in ("name", "starts_on", "ends_on", "place")},
                    organiser=fair.organiser,
                    level=fair.level,
                    province=fair.province,
                )
                fair.pk, fair.current_province_id = created.pk, created.current_province_id
                fair._state.adding = False
            saved = participation_record(
                fair=fair,
                producer=instance.producer,
                actor=self.actor,
                products=instance.shown,
                **{
                    k: getattr(instance, k)
                    for k in ("booths", "support_amount", "project", "sales", "contracts", "contracts_value")
                },
            )
            instance.pk = saved.pk
        except (ValidationError, PermissionDenied) as exc:
            self.reraise(exc, dict(FAIR_COLUMNS.items()))
