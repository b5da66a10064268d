"""Import and export of khuyến công projects, keyed on their code (see extension_projects.resources)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

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
    PROVINCE,
)
from products.search import fold

from ..enums import FundingSource, ProjectStatus
from ..models import ActivityType, Project, ProjectStatusLog
from ..services import funding_set, project_create, project_update
from ..services.projects import PROJECT_FIELDS
from .base import ServiceWriteMixin

PROJECT_CODE = "Mã đề án"
MONEY_COLUMNS = {
    FundingSource.NATIONAL: ("approved_national", "Kinh phí KCQG (đồng)"),
    FundingSource.LOCAL: ("approved_local", "Kinh phí KCĐP (đồng)"),
    FundingSource.COUNTERPART: ("approved_counterpart", "Vốn đối ứng (đồng)"),
}


class ActivityTypeWidget(TextWidget):
    def __init__(self):
        self._table = None

    def clean(self, value, row=None, **kwargs):
        if self._table is None:
            self._table = {}
            for t in ActivityType.objects.all():
                self._table[fold(t.code)] = t
                self._table[fold(t.name)] = t
        text = read_text(value)
        if not text:
            raise CellError(_("The activity type is missing."))
        found = self._table.get(fold(text))
        if found is None:
            raise CellError(_("Unknown activity type “%(value)s”.") % {"value": text})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ProjectResource(ServiceWriteMixin, ImportResource):
    code = column(PROJECT_CODE, "code")
    title = column("Tên đề án", "title")
    activity_type = column("Loại hoạt động", "activity_type", ActivityTypeWidget())
    plan_year = column("Năm kế hoạch", "plan_year", IntegerWidget(2000, 2100))
    province = column(PROVINCE, "province", ProvinceWidget())
    implementer = column("Đơn vị thực hiện", "implementer")
    beneficiary_count = column("Số cơ sở được hỗ trợ", "beneficiary_count", IntegerWidget())
    approval_number = column("Số quyết định phê duyệt", "approval_number")
    approval_date = column("Ngày phê duyệt", "approval_date", DateWidget())
    contract_number = column("Số hợp đồng", "contract_number")
    contract_date = column("Ngày hợp đồng", "contract_date", DateWidget())
    status = column("Trạng thái", "status", ChoiceWidget(ProjectStatus, required=False))
    approved_national = column(MONEY_COLUMNS[FundingSource.NATIONAL][1], "approved_national", MoneyWidget())
    approved_local = column(MONEY_COLUMNS[FundingSource.LOCAL][1], "approved_local", MoneyWidget())
    approved_counterpart = column(MONEY_COLUMNS[FundingSource.COUNTERPART][1], "approved_counterpart", MoneyWidget())
    data_quality_note = column("Ghi chú về số liệu", "data_quality_note")
    limit_note = column("Lý do vượt định mức hỗ trợ", "limit_note")

    required_headings = (PROJECT_CODE, "Tên đề án", "Loại hoạt động", "Năm kế hoạch", PROVINCE, "Đơn vị thực hiện")
    key_columns = (PROVINCE, PROJECT_CODE)

    class Meta:
        model = Project
        fields = (
            "code",
            "title",
            "activity_type",
            "plan_year",
            "province",
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
            "limit_note",
        )
        export_order = fields
        use_bulk = False
        clean_model_instances = False

    @staticmethod
    def with_amounts(project):
        approved = {f.source: f.approved for f in project.fundings.all()}
        for source, (attr, _heading) in MONEY_COLUMNS.items():
            setattr(project, attr, approved.get(source))
        return project

    def export(self, queryset=None, **kwargs):
        if queryset is None:
            queryset = self.get_queryset()
        queryset = queryset.select_related("activity_type", "province").prefetch_related("fundings")
        return super().export(queryset=[self.with_amounts(p) for p in queryset], **kwargs)

    def existing(self, dataset):
        codes = {read_text(row.get(PROJECT_CODE)) for row in dataset.dict}
        return {
            p.code: self.with_amounts(p)
            for p in Project.objects.filter(code__in=codes)
            .select_related("province__successor", "activity_type")
            .prefetch_related("fundings")
        }

    def row_key(self, row):
        return read_text(row.get(PROJECT_CODE))

    def instance_key(self, instance):
        return instance.code

    def province_id_of(self, instance):
        return instance.province.today_province_id

    def check_row(self, instance, row, errors, **kwargs):
        if not instance.code:
            errors.setdefault(PROJECT_CODE, []).append(_("The project code is missing."))
        if self._snapshot is not None:
            was = self._snapshot[self._compare_attributes().index("status")]
            instance.status = instance.status or was
            if instance.status != was:
                errors.setdefault("Trạng thái", []).append(
                    _("The status of a recorded project changes through its transitions on the project's page.")
                )
        else:
            instance.status = instance.status or ProjectStatus.PROPOSED

    def _funding(self, instance):
        return {
            source: getattr(instance, attr)
            for source, (attr, _heading) in MONEY_COLUMNS.items()
            if getattr(instance, attr, None) is not None
        }

    def save_instance(self, instance, is_create, row, **kwargs):
        data = {f: getattr(instance, f) for f in PROJECT_FIELDS if f not in ("unit", "managing_body")}
        extra = {"approved": MONEY_COLUMNS[FundingSource.LOCAL][1]}
        try:
            if is_create:
                created = project_create(
                    actor=self.actor, funding=self._funding(instance), limit_note=instance.limit_note, **data
                )
                if instance.status != ProjectStatus.PROPOSED:
                    # A historical project enters as it ended (as the archive records it), with a log line saying so.
                    Project.objects.filter(pk=created.pk).update(status=instance.status)
                    ProjectStatusLog.objects.create(
                        project=created,
                        from_status=ProjectStatus.PROPOSED,
                        to_status=instance.status,
                        actor=self.actor if getattr(self.actor, "pk", None) else None,
                        note=_("Imported from the archive"),
                    )
                instance.pk = created.pk
            else:
                project_update(project=instance, actor=self.actor, **data)
                for source, (attr, heading) in MONEY_COLUMNS.items():
                    amount = getattr(instance, attr)
                    if amount is not None:
                        extra["approved"] = heading
                        funding_set(
                            project=instance,
                            actor=self.actor,
                            source=source,
                            approved=amount,
                            limit_note=instance.limit_note,
                        )
        except (ValidationError, PermissionDenied) as exc:
            self.reraise(exc, extra)
