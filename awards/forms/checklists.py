"""The round's checklist page: a row per dossier item (add, edit, reorder, remove) and a row per product
group's photo rule. Validation only; the view hands the rows to services.round_checklist_update."""

from django import forms
from django.utils.translation import gettext_lazy as _

from products.models import DocumentType

from ..models import RoundChecklistItem, RoundGroupRule
from ..services.checklists import ChecklistRow


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = RoundChecklistItem
        fields = ["order", "document_type", "group", "required"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", "class": "narrow"})}

    def __init__(self, *args, in_use=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.order_by("order", "name")
        self.fields["group"].empty_label = _("All groups")
        self.fields["order"].required = False
        self.in_use = self.instance.pk in in_use

    def has_changed(self):
        """An empty row stays empty until a document type is chosen (its order and group alone add nothing)."""
        if self.instance.pk is None:
            return bool(self.data.get(self.add_prefix("document_type")))
        return super().has_changed()

    def clean_order(self):
        return self.cleaned_data.get("order") or 0

    def validate_unique(self):
        """The service checks the round's items as a whole (it knows the round of the new rows)."""


class BaseChecklistFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, in_use=frozenset(), **kwargs):
        self.in_use = in_use
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "in_use": self.in_use}

    def _construct_form(self, i, **kwargs):
        """Every row offers the same document types and groups: read them once, not once per row."""
        form = super()._construct_form(i, **kwargs)
        if not hasattr(self, "_choices"):
            self._choices = {name: list(form.fields[name].choices) for name in ("document_type", "group")}
        for name, choices in self._choices.items():
            form.fields[name].choices = choices
        return form

    def rows(self) -> list[ChecklistRow]:
        rows = []
        for form in self.forms:
            removed = self.can_delete and self._should_delete_form(form)
            if not removed and not form.has_changed():
                continue
            if removed and form.instance.pk is None:
                continue
            data = form.cleaned_data
            rows.append(
                ChecklistRow(
                    pk=form.instance.pk,
                    document_type=data.get("document_type") or form.instance.document_type,
                    group=data.get("group"),
                    required=bool(data.get("required")),
                    order=data.get("order") or 0,
                    remove=removed,
                )
            )
        return rows


ChecklistFormSet = forms.modelformset_factory(
    RoundChecklistItem, form=ChecklistItemForm, formset=BaseChecklistFormSet, extra=2, can_delete=True
)


class GroupRuleForm(forms.ModelForm):
    class Meta:
        model = RoundGroupRule
        fields = ["min_photos", "requires_lower_certificate"]
        widgets = {"min_photos": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric", "class": "narrow"})}


GroupRuleFormSet = forms.modelformset_factory(RoundGroupRule, form=GroupRuleForm, extra=0, can_delete=False)
