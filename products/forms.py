"""Validation only: every save goes through products.services."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import FastSelect

from .enums import DocumentScope
from .models import AdministrativeUnit, Document, DocumentType, Producer, Product
from .selectors import units_under
from .tax_codes import check_household_code, normalise_tax_code
from .validators import DOCUMENT_ACCEPT, PHOTO_ACCEPT, validate_document_upload, validate_photo_upload

DATE_ERRORS = {"invalid": _("Enter the date as dd/mm/yyyy, for example 05/01/2025.")}


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})}, format="%d/%m/%Y"
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one field; each is checked by content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"multiple": True, "accept": PHOTO_ACCEPT}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        errors, cleaned = [], []
        for f in files:
            try:
                cleaned.append(super().clean(f, initial))
                validate_photo_upload(f)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class TaxCodeField(forms.CharField):
    """Read as stored before it is checked: spaces dropped, the hyphen of a 13-digit code put back. The box takes
    more than the 14 characters stored, so that "001 089 012 345" typed with spaces is not cut short."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": "24"}

    def to_python(self, value):
        return normalise_tax_code(super().to_python(value))


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


# What the public catalogue may show besides the name, kind and province; the producer (or staff for it) chooses.
PUBLISH_FIELDS = ("publish_address", "publish_phone", "publish_email", "publish_website")


class FieldSubset:
    """Some fields of a form, for templates/components/form.html: a page can show a form in parts (e.g. the
    publishing choices in their own fieldset). Only the part made `with_errors` shows the form-wide errors and the
    hidden fields."""

    def __init__(self, form, names, *, with_errors: bool):
        self.form, self.names, self.with_errors = form, set(names), with_errors

    def visible_fields(self):
        return [f for f in self.form.visible_fields() if f.name in self.names]

    def hidden_fields(self):
        return self.form.hidden_fields() if self.with_errors else []

    def non_field_errors(self):
        return self.form.non_field_errors() if self.with_errors else []

    @property
    def errors(self):
        return self.form.errors if self.with_errors else {}

    def __iter__(self):
        """Every field of the form for the part that shows the errors (its summary links to all of them)."""
        return iter(self.form if self.with_errors else ())


class ProducerForm(forms.ModelForm):
    """Producer data. Staff may record the province as it was before 1 July 2025 (historical records);
    a producer registering itself chooses among today's provinces."""

    province = ProvinceChoiceField(queryset=AdministrativeUnit.objects.none(), label=_("Province"), widget=FastSelect)
    unit = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.none(),
        widget=FastSelect,
        required=False,
        label=_("Commune / ward or district"),
        help_text=_(
            "Choose the province first; the list shows its communes and wards (or, for a province "
            "before 1 July 2025, its districts)."
        ),
    )

    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Producer
        fields = [
            "name",
            "kind",
            "tax_code",
            "legal_representative",
            "representative_title",
            "province",
            "unit",
            "address",
            "phone",
            "email",
            "website",
            "founding_year",
            "workers",
            *PUBLISH_FIELDS,
        ]
        field_classes = {"tax_code": TaxCodeField}
        # Digits on a phone's keypad: a dependent unit's code may be typed as 13 digits, the hyphen is added.
        widgets = {"tax_code": forms.TextInput(attrs={"inputmode": "numeric"})}
        labels = {"name": _("Name of the establishment")}

    def __init__(self, *args, allow_historical: bool = False, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_historical = allow_historical
        # A producer registering itself gives its address; staff may record an old establishment without one.
        self.fields["address"].required = not allow_historical and self.instance.pk is None
        today_qs = AdministrativeUnit.objects.provinces(scope)
        old_qs = AdministrativeUnit.objects.provinces(scope, today=False, before_reform=True)
        today = list(today_qs)
        province_field = self.fields["province"]
        if allow_historical:
            old = list(old_qs)
            province_field.queryset = AdministrativeUnit.objects.filter(pk__in=[p.pk for p in today + old])
            province_field.choices = [
                ("", _("Choose a province")),
                (_("Today (since 1 July 2025)"), [(p.pk, p.full_name) for p in today]),
                (_("Before 1 July 2025"), [(p.pk, str(p)) for p in old]),
            ]
        else:
            # A producer recorded before the reform keeps its old province until it chooses today's one.
            if self.instance.pk and self.instance.province_id and not self.instance.province.is_current:
                today.append(self.instance.province)
                today_qs = AdministrativeUnit.objects.filter(pk__in=[p.pk for p in today])
            province_field.queryset = today_qs
            province_field.choices = [("", _("Choose a province"))] + [(p.pk, str(p)) for p in today]
        province_id = self.data.get(self.add_prefix("province")) if self.is_bound else self.instance.province_id
        try:
            province_id = int(province_id) if province_id else None
        except (TypeError, ValueError):
            province_id = None
        self.fields["unit"].queryset = units_under(province_id) if province_id else AdministrativeUnit.objects.none()
        self.fields["unit"].empty_label = _("Choose a commune or ward")
        kind = self.fields["kind"]
        kind.choices = [("", _("Choose the kind of establishment")), *(c for c in kind.choices if c[0] != "")]
        # With JavaScript, htmx refreshes the commune list when the province changes; without it, the form
        # re-renders with the right list after the first submit. Arrowing through the provinces with the keyboard
        # changes it at each step: a new request replaces the one in flight, so the last province's list wins.
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("products:unit.options"),
                "hx-target": f"#{self['unit'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )

    @property
    def main_part(self) -> FieldSubset:
        return FieldSubset(self, [n for n in self.fields if n not in PUBLISH_FIELDS], with_errors=True)

    @property
    def publish_part(self) -> FieldSubset:
        return FieldSubset(self, PUBLISH_FIELDS, with_errors=False)

    def clean_tax_code(self):
        tax_code = self.cleaned_data["tax_code"]
        existing = (
            Producer.objects.filter(tax_code=tax_code)
            .exclude(pk=self.instance.pk)
            .select_related("current_province")
            .first()
        )
        if existing is not None and self.allow_historical:
            raise forms.ValidationError(
                _("This tax code is already registered for “%(name)s” (%(province)s).")
                % {"name": existing.name, "province": existing.current_province.name}
            )
        return tax_code

    def clean(self):
        cleaned = super().clean()
        code, kind, province = (cleaned.get(name) for name in ("tax_code", "kind", "province"))
        entered = self.instance.pk is None or {"tax_code", "kind"} & set(self.changed_data)
        if code and kind and province and entered:
            try:
                check_household_code(kind, code, recorded_before_reform=not province.is_current)
            except forms.ValidationError as exc:
                self.add_error("tax_code", exc)
        return cleaned


class ProducerAddressForm(forms.Form):
    """The producer's commune/ward of today, after the 1 July 2025 reform, and its street line."""

    ward = forms.ModelChoiceField(
        queryset=AdministrativeUnit.objects.none(),
        widget=FastSelect,
        label=_("Commune / ward today"),
        error_messages={"required": _("Choose the commune or ward of today.")},
    )
    address = forms.CharField(
        label=_("Street address"),
        max_length=255,
        required=False,
        help_text=_("House number, street, hamlet or village: the part of the address before the commune or ward."),
    )

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = units_under(producer.current_province_id)
        self.fields["ward"].help_text = _("The communes and wards of %(province)s.") % {
            "province": producer.current_province.name_mid_line
        }
        self.initial.setdefault("address", producer.address)
        suggestion = producer.suggested_current_unit
        if suggestion is not None:
            self.initial.setdefault("ward", suggestion.pk)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name", "group", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].empty_label = _("Choose a product group")


class ProductCreateForm(ProductForm):
    photos = MultipleImageField(
        label=_("Photos"),
        required=False,
        help_text=_(
            "JPEG, PNG or HEIC (iPhone), several at once. A nomination needs at least 3 photos from different angles; "
            "fewer are allowed while you prepare the product."
        ),
    )


class PhotoForm(forms.Form):
    photos = MultipleImageField(label=_("Photos"), help_text=_("JPEG, PNG or HEIC (iPhone), several at once."))
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)


class DocumentFileMixin:
    """A document's file, checked like every upload, and its dates: the expiry not before the issue."""

    def clean_file(self):
        f = self.cleaned_data["file"]
        validate_document_upload(f)
        return f

    def clean(self):
        cleaned = super().clean()
        issue, expiry = cleaned.get("issue_date"), cleaned.get("expiry_date")
        if issue and expiry and expiry < issue:
            self.add_error("expiry_date", _("The expiry date is before the issue date."))
        return cleaned


class DocumentForm(DocumentFileMixin, forms.ModelForm):
    class Meta:
        model = Document
        fields = ["doc_type", "product", "number", "issuer", "issue_date", "expiry_date", "file"]
        widgets = {
            "issue_date": DateInput(),
            "expiry_date": DateInput(),
            "file": forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        }
        help_texts = {"file": _("PDF, JPEG, PNG or HEIC (iPhone).")}
        error_messages = {"issue_date": DATE_ERRORS, "expiry_date": DATE_ERRORS}

    def __init__(self, *args, producer: Producer, product: Product | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = producer.products.all()
        self.fields["product"].required = False
        self.fields["product"].empty_label = _("— the producer itself —")
        self.fields["doc_type"].queryset = DocumentType.objects.all()
        if product is not None:
            self.fields["product"].initial = product.pk
            self.fields["doc_type"].queryset = DocumentType.objects.filter(scope=DocumentScope.PRODUCT)
