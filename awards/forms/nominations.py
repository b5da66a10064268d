"""Forms of nominations: the producer's dossier and the department's screening and decision."""

from django import forms
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.core.formatting import vn_date
from portal.core.widgets import FastCheckboxSelectMultiple, FastSelect, MoneyField
from products.forms import DATE_ERRORS, DateInput, DocumentFileMixin, MultipleImageField
from products.models import Document, Organization, ProductPhoto
from products.validators import DOCUMENT_ACCEPT

from ..dossier import DossierPart
from ..models import Nomination, Round
from .recognitions import SIGNER_TITLE_HELP, clean_signer_title


class NominationStartForm(forms.Form):
    round = forms.ModelChoiceField(
        queryset=Round.objects.none(), label=_("Round"), widget=forms.RadioSelect, empty_label=None
    )
    product = forms.ModelChoiceField(
        queryset=None, label=_("Product"), widget=FastSelect, empty_label=_("Choose a product")
    )

    def __init__(self, *args, rounds, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["round"].label_from_instance = lambda r: (
            _("%(title)s — %(level)s · registration until %(date)s")
            % {"title": r.title, "level": r.level, "date": vn_date(r.registration.ends_on)}
        )
        if rounds.count() == 1:
            self.fields["round"].initial = rounds.first().pk
        self.fields["product"].queryset = products

    @staticmethod
    def round_label(r):
        return _("%(title)s — %(level)s · registration until %(date)s") % {
            "title": r.title,
            "level": r.level,
            "date": vn_date(r.registration.ends_on),
        }


class NominationFormForm(forms.ModelForm):
    annual_revenue = MoneyField(
        label=_("Annual revenue of the product (VND)"),
        required=False,
        min_value=0,
        help_text=_("Whole đồng, e.g. 1.075.000.000"),
    )

    class Meta:
        model = Nomination
        fields = list(Nomination.FORM_FIELDS)
        widgets = {
            "materials": forms.Textarea(attrs={"rows": 3}),
            "markets": forms.Textarea(attrs={"rows": 3}),
            "highlights": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, editable=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Nomination.REQUIRED_FORM_FIELDS:
            self.fields[name].required = True
        if editable is not None:
            for name, field in self.fields.items():
                field.disabled = DossierPart.form_field(name) not in editable


class AttachDocumentForm(forms.Form):
    """Choose one of the documents on file for a checklist item."""

    document = forms.ModelChoiceField(
        queryset=Document.objects.none(), label=_("Document on file"), required=False, empty_label=_("— none —")
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = choices
        self.fields["document"].label_from_instance = lambda d: " · ".join(
            p
            for p in (
                d.number or d.original_name,
                d.issuer,
                _("valid until %(date)s") % {"date": vn_date(d.expiry_date)} if d.expiry_date else "",
            )
            if p
        )


class UploadDocumentForm(DocumentFileMixin, forms.Form):
    """Upload a new document for a checklist item; it is kept on the producer's file for later rounds too."""

    number = forms.CharField(label=_("Number"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    issue_date = forms.DateField(label=_("Issue date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS)
    expiry_date = forms.DateField(
        label=_("Expiry date"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG or HEIC (iPhone)."),
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )

    def clean(self):
        cleaned = super().clean()
        # An expiry before the issue date is already refused (and dropped from `cleaned`).
        expiry = cleaned.get("expiry_date")
        if expiry and expiry < timezone.localdate():
            self.add_error("expiry_date", _("This document has expired: upload one that is still valid."))
        return cleaned


class NominationPhotosForm(forms.Form):
    photos = forms.ModelMultipleChoiceField(
        queryset=ProductPhoto.objects.none(),
        label=_("Photos of the dossier"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "photo-choices"}),
    )
    new_photos = MultipleImageField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG, PNG or HEIC (iPhone), several at once; they are added to the product too."),
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].queryset = product.photos.all()
        # Each photo is chosen on its thumbnail, its caption (or file name) under it.
        self.fields["photos"].label_from_instance = lambda p: format_html(
            '<img src="{}" alt="" loading="lazy" width="160" height="120"><span>{}</span>',
            p.get_file_url(),
            p.caption or p.original_name,
        )


class DeclarationForm(forms.Form):
    declaration_accepted = forms.BooleanField(
        label=_(
            "I declare that the product is made by our establishment, can be produced in series, and that we "
            "have no violation of intellectual property, quality, labour safety, food safety or environmental "
            "rules; the information in this dossier is true."
        ),
        required=False,
    )


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("Parts to correct"), widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(label=_("Message to the producer"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Correct by"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(str(part), part.label) for part in parts]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline is in the past."))
        return deadline


class ListedChoicesField(forms.ModelMultipleChoiceField):
    """Model choices given as a list of (pk, label): a value that is not one of them is refused as an invalid
    choice before the database is asked (a word, or a number too large for a key, would otherwise reach the query
    and fail there)."""

    def clean(self, value):
        listed = {str(pk) for pk, _label in self.choices}
        for chosen in value if isinstance(value, (list, tuple)) else ():
            if str(chosen) not in listed:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": chosen}
                )
        return super().clean(value)


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=100, help_text=_("E.g. 125/QĐ-UBND"))
    date = forms.DateField(label=_("Decision date"), widget=DateInput(), error_messages=DATE_ERRORS)
    issuing_body = forms.ModelChoiceField(
        label=_("Issuing body"),
        queryset=Organization.objects.none(),
        widget=FastSelect,
        empty_label=_("Choose the issuing body"),
    )
    signer_title = forms.CharField(
        label=_("Signer's title"), max_length=255, widget=forms.Textarea(attrs={"rows": 2}), help_text=SIGNER_TITLE_HELP
    )
    signer_name = forms.CharField(label=_("Signer's name"), max_length=255)
    nominations = ListedChoicesField(
        label=_("Recognised products"), queryset=Nomination.objects.none(), widget=FastCheckboxSelectMultiple
    )
    override_reason = forms.CharField(
        label=_("Reason for going ahead outside the round's dates"),
        required=False,
        max_length=500,
        widget=forms.HiddenInput,
    )

    clean_signer_title = clean_signer_title

    def __init__(self, *args, round_, rows, quorums=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Organization.objects.filter(kind__in=["peoples_committee", "ministry_agency", "department"])
        if round_.province_id:
            bodies = bodies.filter(province_id=round_.province_id)
        self.fields["issuing_body"].queryset = bodies.order_by("kind", "name")
        scored = [row for row in rows if row.result.count]
        ranked = [r.nomination.pk for r in scored]
        field = self.fields["nominations"]
        field.queryset = Nomination.objects.filter(pk__in=ranked)  # what a POST may choose (checked on clean)
        # The boxes straight from the rows, in the order of the results' tables: no query, no ORDER BY a CASE of
        # hundreds of dossiers.
        field.choices = [
            (r.nomination.pk, f"{r.nomination.product.name} — {number_format(r.result.score, 2)}") for r in scored
        ]
        self.initial.setdefault(
            "nominations",
            [r.nomination.pk for r in scored if r.passes and (quorums is None or quorums[r.nomination.pk].met)],
        )
        self.quorums = quorums

    def clean_nominations(self):
        """A dossier short of the quorum cannot be recognised: said here, before the confirmation page."""
        chosen = self.cleaned_data["nominations"]
        for nomination in chosen:
            quorum = (self.quorums or {}).get(nomination.pk)
            if quorum is not None and not quorum.met:
                raise forms.ValidationError(
                    _("“%(product)s” is short of the quorum and cannot be recognised: %(shortfall)s")
                    % {"product": nomination.product, "shortfall": quorum.shortfall()}
                )
        return chosen


# -- councils -------------------------------------------------------------------------------------------------


class ClosingForm(forms.Form):
    """The confirmation of closing the scoring or a pass: close anyway while sheets are missing, and the reason
    for going ahead outside the round's dates (asked only then)."""

    allow_incomplete = forms.BooleanField(
        label=_("Close even if some members have not submitted their sheets"), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for going ahead outside the round's dates"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the round's log with your name."),
    )

    def __init__(self, *args, out_of_phase: bool, incomplete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not out_of_phase:
            del self.fields["override_reason"]
        if not incomplete:
            del self.fields["allow_incomplete"]
