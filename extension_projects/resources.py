"""django-import-export resource of the admin's Excel/CSV import and export of projects.

Province codes are shared by a province today and the old province of the same name; a row says which with
`before_reform` (1 for a province as it was before 1 July 2025). Status and money are export-only: status
changes go through the transition function and money through the funding and disbursement services."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from products.models import AdministrativeUnit

from .enums import FundingSource
from .models import ActivityType, Project

TRUE_VALUES = {"1", "x", "true", "yes", "có", "co"}


def _before_reform(row) -> bool:
    return str((row or {}).get("before_reform") or "").strip().lower() in TRUE_VALUES


class ProvinceWidget(ForeignKeyWidget):
    def __init__(self):
        super().__init__(AdministrativeUnit, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return AdministrativeUnit.objects.filter(level="province", is_current=not _before_reform(row))


class ProjectResource(resources.ModelResource):
    activity_type = fields.Field(
        attribute="activity_type", column_name="activity_type", widget=ForeignKeyWidget(ActivityType, field="code")
    )
    province = fields.Field(attribute="province", column_name="province_code", widget=ProvinceWidget())
    before_reform = fields.Field(column_name="before_reform", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    approved_national = fields.Field(column_name="approved_national", readonly=True)
    approved_local = fields.Field(column_name="approved_local", readonly=True)
    approved_counterpart = fields.Field(column_name="approved_counterpart", readonly=True)

    class Meta:
        model = Project
        import_id_fields = ["code"]
        fields = (
            "code",
            "title",
            "activity_type",
            "plan_year",
            "province",
            "before_reform",
            "implementer",
            "beneficiary_count",
            "approval_number",
            "approval_date",
            "contract_number",
            "contract_date",
            "status",
            "approved_national",
            "approved_local",
            "approved_counterpart",
            "data_quality_note",
        )
        export_order = fields
        use_bulk = False
        skip_unchanged = True
        report_skipped = True

    def dehydrate_before_reform(self, project):
        return "" if project.province.is_current else "1"

    def _approved(self, project, source):
        if not hasattr(project, "_approved_by_source"):
            project._approved_by_source = {f.source: f.approved for f in project.fundings.all()}
        return project._approved_by_source.get(source, "")

    def dehydrate_approved_national(self, project):
        return self._approved(project, FundingSource.NATIONAL.value)

    def dehydrate_approved_local(self, project):
        return self._approved(project, FundingSource.LOCAL.value)

    def dehydrate_approved_counterpart(self, project):
        return self._approved(project, FundingSource.COUNTERPART.value)

    def before_save_instance(self, instance, row, **kwargs):
        instance.current_province_id = instance.province.today_province_id
