from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ImportKind


class UploadForm(forms.Form):
    """Validation only: the view passes the file to services.import_batch_preview."""

    kind = forms.ChoiceField(label=_("The file contains"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("Excel (.xlsx) or CSV (UTF-8), with the template's headings on the first line."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
