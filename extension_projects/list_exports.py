"""Columns of the Excel/CSV exports of the staff lists of khuyến công projects, trade fairs and fair participations."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.core.collation import vietnamese_key
from portal.core.list_exports import ListResource, date_col, label_col, money_col, number_col, text_col

from .enums import FundingSource
from .models import Disbursement, Fair, FairParticipation, Project, ProjectFunding


def _total(model, field, **filters):
    rows = model.objects.filter(project=OuterRef("pk"), **filters).order_by().values("project").annotate(s=Sum(field))
    return Coalesce(Subquery(rows.values("s"), output_field=IntegerField()), Value(0))


class ProjectListExport(ListResource):
    code = text_col("code", _("Code"))
    title = text_col("title", _("Title"))
    activity_type = text_col("activity_type__name", _("Activity type"))
    plan_year = number_col("plan_year", _("Plan year"))
    current_province = text_col("current_province__name", _("Province (today)"))
    province = text_col("province__name", _("Province as recorded"))
    implementer = text_col("implementer", _("Implementing organisation"))
    status = label_col("status", _("Status"))
    approval_number = text_col("approval_number", _("Approval decision number"))
    approval_date = date_col("approval_date", _("Approval decision date"))
    national = money_col("export_national", _("Approved, national extension budget (VND)"))
    local = money_col("export_local", _("Approved, local extension budget (VND)"))
    counterpart = money_col("export_counterpart", _("Approved, counterpart capital (VND)"))
    approved = money_col("export_approved", _("Approved amount (VND)"))
    disbursed = money_col("export_disbursed", _("Disbursed (VND)"))
    beneficiaries = number_col("export_beneficiaries", _("Establishments supported"))
    accepted_on = date_col("accepted_on", _("Acceptance date"))
    settled_on = date_col("settled_on", _("Settlement date"))
    data_quality_note = text_col("data_quality_note", _("Data quality note"))

    class Meta:
        model = Project
        fields = (
            "code",
            "title",
            "activity_type",
            "plan_year",
            "current_province",
            "province",
            "implementer",
            "status",
            "approval_number",
            "approval_date",
            "national",
            "local",
            "counterpart",
            "approved",
            "disbursed",
            "beneficiaries",
            "accepted_on",
            "settled_on",
            "data_quality_note",
        )
        export_order = fields

    def prepare(self, queryset):
        through = Project.beneficiaries.through
        recorded = (
            through.objects.filter(project_id=OuterRef("pk")).order_by().values("project_id").annotate(n=Count("id"))
        )
        return queryset.select_related("activity_type", "province", "current_province").annotate(
            export_national=_total(ProjectFunding, "approved", source=FundingSource.NATIONAL),
            export_local=_total(ProjectFunding, "approved", source=FundingSource.LOCAL),
            export_counterpart=_total(ProjectFunding, "approved", source=FundingSource.COUNTERPART),
            export_approved=_total(ProjectFunding, "approved"),
            export_disbursed=_total(Disbursement, "amount"),
            export_recorded=Coalesce(Subquery(recorded.values("n"), output_field=IntegerField()), Value(0)),
        )

    def dehydrate_beneficiaries(self, project):
        return project.beneficiary_count if project.beneficiary_count is not None else project.export_recorded


class FairListExport(ListResource):
    name = text_col("name", _("Fair"))
    starts_on = date_col("starts_on", _("From"))
    ends_on = date_col("ends_on", _("To"))
    place = text_col("place", _("Place"))
    organiser = text_col("organiser", _("Organiser"))
    level = label_col("level", _("Level"))
    current_province = text_col("current_province__name", _("Province (today)"))
    province = text_col("province__name", _("Province as recorded"))
    booths = number_col("booths", _("Booths"))
    participations = number_col("export_participations", _("Participations"))

    class Meta:
        model = Fair
        fields = (
            "name",
            "starts_on",
            "ends_on",
            "place",
            "organiser",
            "level",
            "current_province",
            "province",
            "booths",
            "participations",
        )
        export_order = fields

    def prepare(self, queryset):
        count = FairParticipation.objects.filter(fair=OuterRef("pk")).order_by().values("fair").annotate(n=Count("id"))
        return queryset.select_related("province", "current_province").annotate(
            export_participations=Coalesce(Subquery(count.values("n"), output_field=IntegerField()), Value(0))
        )


class ParticipationListExport(ListResource):
    """The producers who took part in the fairs of the list (one row per fair and producer)."""

    fair = text_col("fair__name", _("Fair"))
    starts_on = date_col("fair__starts_on", _("From"))
    ends_on = date_col("fair__ends_on", _("To"))
    fair_level = text_col("fair__get_level_display", _("Level"))
    producer = text_col("producer__name", _("Producer"))
    tax_code = text_col("producer__tax_code", _("Tax or registration number"))
    current_province = text_col("producer__current_province__name", _("Province (today)"))
    products = text_col("export_products", _("Products shown"))
    booths = number_col("booths", _("Booths"))
    support = money_col("support_amount", _("Support received (VND)"))
    project = text_col("project__code", _("Supporting project"))
    sales = money_col("sales", _("Sales at the fair (VND)"))
    contracts = number_col("contracts", _("Contracts signed"))
    contracts_value = money_col("contracts_value", _("Value of contracts (VND)"))

    class Meta:
        model = FairParticipation
        fields = (
            "fair",
            "starts_on",
            "ends_on",
            "fair_level",
            "producer",
            "tax_code",
            "current_province",
            "products",
            "booths",
            "support",
            "project",
            "sales",
            "contracts",
            "contracts_value",
        )
        export_order = fields

    def prepare(self, queryset):
        return queryset.select_related("fair", "producer__current_province", "project").prefetch_related("products")

    def dehydrate_products(self, participation):
        return "; ".join(sorted((p.name for p in participation.products.all()), key=vietnamese_key))


def participations_of_fairs(fairs):
    """The participations of a filtered list of fairs, in the list's order of fairs."""
    return FairParticipation.objects.filter(fair__in=fairs.order_by().values("pk")).order_by(
        "-fair__starts_on", "fair__name", "fair_id", "producer__name", "pk"
    )
