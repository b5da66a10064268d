"""Forms of the project pages: validation only; the views pass cleaned_data to extension_projects.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect, MoneyField
from products.forms import DATE_ERRORS, DateInput
from products.models import AdministrativeUnit, Producer
from products.search import query_terms
from products.selectors import search_filter
from products.validators import validate_document_upload

from .enums import FundingSource, OutputField, ProjectStatus
from .models import ActivityType, Project
from .services.projects import PROJECT_WORKFLOW

FUNDING_FIELDS = {
    FundingSource.NATIONAL: "funding_national",
    FundingSource.LOCAL: "funding_local",
    FundingSource.COUNTERPART: "funding_counterpart",
}


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_current else _("%(name)s (before 1 July 2025)") % {"name": obj.name}


class ProducerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.tax_code})" if obj.tax_code else obj.name


class ProjectForm(forms.ModelForm):
    """A project with its approved amounts per source. Support above a limit of the activity type comes back
    from the service as warnings; the form then asks for the officer's note (`note`) to confirm."""

    DISPLAY_LIMIT = 300

    province = ProvinceChoiceField(
        label=_("Province"),
        queryset=AdministrativeUnit.objects.none(),
        widget=FastSelect,
        empty_label=None,
        help_text=_("For a project before 1 July 2025, the province as it was then."),
    )
    beneficiaries = ProducerChoices(
        label=_("Beneficiaries"),
        queryset=Producer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick the producers of the province supported by the project (none for a training course). Search to "
            "narrow the list; producers already ticked stay listed."
        ),
    )
    funding_national = MoneyField(label=FundingSource.NATIONAL.label, min_value=0, required=False)
    funding_local = MoneyField(label=FundingSource.LOCAL.label, min_value=0, required=False)
    funding_counterpart = MoneyField(label=FundingSource.COUNTERPART.label, min_value=0, required=False)
    note = forms.CharField(
        label=_("Note confirming the support above the limit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this project receives more than the limit of its activity type."),
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "activity_type",
            "plan_year",
            "province",
            "implementer",
            "beneficiaries",
            "beneficiary_count",
            "data_quality_note",
        ]
        widgets = {
            "activity_type": FastSelect,
            "plan_year": forms.NumberInput(attrs={"min": 2000, "max": 2100, "inputmode": "numeric"}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "data_quality_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, query="", **kwargs):
        from .selectors import producers_for_projects, provinces_in_scope

        super().__init__(*args, **kwargs)
        self._code_field(user)
        self.fields["activity_type"].queryset = ActivityType.objects.order_by("order", "name")
        self.fields["province"].queryset = provinces_in_scope(user)
        self.producers = producers_for_projects(user).order_by("name", "id")
        self.shown_count = 0
        # A bound form checks every producer of the province; the list shown is narrowed by a search.
        self.fields["beneficiaries"].queryset = self.producers if self.is_bound else self.shown_producers(query)
        self.limit_warnings = []
        if self.instance.pk:
            amounts = {f.source: f.approved for f in self.instance.fundings.all()}
            for source, name in FUNDING_FIELDS.items():
                self.initial.setdefault(name, amounts.get(source.value))
        if not (self.is_bound and "note" in self.data):
            del self.fields["note"]

    def _code_field(self, user):
        """The department's rule gives the code; only a superuser may type one (e.g. to repair an old record)."""
        if not user.is_superuser:
            del self.fields["code"]
            return
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Leave empty to take the next code of the department's rule.")

    def shown_producers(self, query):
        if self.is_bound:
            selected = self.data.getlist("beneficiaries")
        else:
            selected = [getattr(p, "pk", p) for p in self.initial.get("beneficiaries") or []]
        matches = search_filter(self.producers, query) if query_terms(query) else self.producers
        keys = list(matches.values_list("pk", flat=True)[: self.DISPLAY_LIMIT])
        self.shown_count = len(keys)
        keys += [int(k) for k in selected if str(k).isdigit()]
        return self.producers.filter(pk__in=keys)

    @classmethod
    def for_search(cls, data, *, user, query, instance=None):
        """The form as typed, not yet checked (no error shown), its beneficiary list narrowed by `query`: the
        search button of the picker posts the whole form so nothing typed is lost."""
        probe = cls(data, instance=instance, user=user)
        initial = {
            name: field.widget.value_from_datadict(data, {}, probe.add_prefix(name))
            for name, field in probe.fields.items()
            if name != "note"
        }
        return cls(instance=instance, user=user, query=query, initial=initial)

    def narrow(self, query):
        """After validation, show the narrowed list again (with the producers chosen)."""
        self.fields["beneficiaries"].queryset = self.shown_producers(query)

    def ask_note(self, warnings):
        """The service refused support above a limit: show the warnings and ask for the confirming note."""
        *self.limit_warnings, prompt = warnings
        self.fields["note"] = forms.CharField(
            label=_("Note confirming the support above the limit"),
            required=True,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Why this project receives more than the limit of its activity type."),
        )
        self.add_error("note", prompt)

    def clean(self):
        data = super().clean()
        province = data.get("province")
        if province is not None:
            today = province.today_province_id
            outside = [p.name for p in data.get("beneficiaries") or [] if p.current_province_id != today]
            if outside:
                self.add_error(
                    "beneficiaries",
                    _("Not producers of the project's province: %(names)s.") % {"names": ", ".join(outside)},
                )
        return data

    def funding(self) -> dict:
        return {
            source.value: self.cleaned_data[name]
            for source, name in FUNDING_FIELDS.items()
            if self.cleaned_data.get(name) is not None
        }

    def project_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}
        data.pop("beneficiaries", None)
        return data

    def clean_code(self):
        """A superuser who leaves the code empty keeps the one given (or, for a new project, gets the next)."""
        code = (self.cleaned_data.get("code") or "").strip()
        return code or (self.instance.code if self.instance.pk else "")


class DisbursementForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=FundingSource.choices, widget=FastSelect)
    amount = MoneyField(label=_("Amount (VND)"), min_value=1)
    paid_on = forms.DateField(label=_("Date paid"), widget=DateInput(), error_messages=DATE_ERRORS)
    reference = forms.CharField(label=_("Payment document number"), max_length=100, required=False)
    document = forms.FileField(label=_("Document (PDF or image)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, sources=None, **kwargs):
        super().__init__(*args, **kwargs)
        if sources:
            self.fields["source"].choices = [(s, FundingSource(s).label) for s in sources]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_document_upload(document)
        return document


class TransitionForm(forms.Form):
    """The facts a state records, entered when the project moves to it, and a note for the status log."""

    note = forms.CharField(label=_("Note for the status log"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, project: Project, to: str, **kwargs):
        kwargs.setdefault("auto_id", f"id_{to}_%s")
        super().__init__(*args, **kwargs)
        self.project, self.to = project, to
        fields = self.state_fields()
        for name, field in fields.items():
            self.fields[name] = field
        self.order_fields([*fields, "note"])

    def state_fields(self) -> dict:
        """A field for each fact the target state records (services.PROJECT_REQUIREMENTS), the outputs of the
        project's activity type only; settling also asks for the actual amount of every source."""
        fields = {name: _state_field(self.project, name) for name in self._recorded()}
        if self.to == ProjectStatus.SETTLED:
            for row in self.funding_rows():
                fields[f"actual_{row['source']}"] = MoneyField(
                    label=_("Actual amount: %(source)s") % {"source": row["label"]},
                    min_value=0,
                    initial=row["actual"] if row["actual"] is not None else row["disbursed"],
                )
        return fields

    def _recorded(self) -> list[str]:
        """The recorded fields in order, the activity type's outputs (in its order) in place of every output."""
        names, outputs_placed = [], False
        for name in PROJECT_WORKFLOW.requirement(self.to).fields:
            if name not in OutputField.values:
                names.append(name)
            elif not outputs_placed:
                names += self.project.activity_type.output_fields()
                outputs_placed = True
        return names

    def funding_rows(self):
        from .selectors import funding_table

        if not hasattr(self, "_funding_rows"):
            self._funding_rows = funding_table(self.project)["rows"]
        return self._funding_rows

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        kwargs = {"note": data.pop("note", "")}
        actual = {key.removeprefix("actual_"): data.pop(key) for key in list(data) if key.startswith("actual_")}
        if self.to == ProjectStatus.SETTLED:
            kwargs["actual"] = actual
        if self.to == ProjectStatus.ACCEPTED:
            data["acceptance_committee"] = data.get("acceptance_committee") or ""
        kwargs.update(data)
        return kwargs


DATE = {"widget": DateInput(), "error_messages": DATE_ERRORS}
COUNT = {"min_value": 0, "required": False, "widget": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}
TEXT = {"widget": forms.Textarea(attrs={"rows": 2})}
# How the transition form asks for each fact a state records.
STATE_FIELDS = {
    "approval_number": lambda: forms.CharField(label=_("Approval decision number"), max_length=100),
    "approval_date": lambda: forms.DateField(label=_("Approval decision date"), **DATE),
    "contract_number": lambda: forms.CharField(label=_("Contract number"), max_length=100),
    "contract_date": lambda: forms.DateField(label=_("Contract date"), **DATE),
    "accepted_on": lambda: forms.DateField(label=_("Acceptance date"), required=False, **DATE),
    "acceptance_committee": lambda: forms.CharField(label=_("Acceptance committee"), required=False, **TEXT),
    **{
        name: (lambda name=name: forms.IntegerField(label=OutputField(name).label, **COUNT))
        for name in OutputField.values
    },
    "jobs_created": lambda: forms.IntegerField(label=_("Jobs created"), **COUNT),
    "private_investment": lambda: MoneyField(
        label=_("Private investment attracted (VND)"), min_value=0, required=False
    ),
    "settled_on": lambda: forms.DateField(label=_("Settlement date"), required=False, **DATE),
    "cancel_reason": lambda: forms.CharField(
        label=_("Reason for cancellation"),
        error_messages={"required": _("Give the reason for cancelling the project.")},
        **TEXT,
    ),
}


def _state_field(project: Project, name: str) -> forms.Field:
    field = STATE_FIELDS[name]()
    field.initial = getattr(project, name)
    return field
