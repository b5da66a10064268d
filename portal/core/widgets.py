import re
from html import escape as escape_text

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from portal.core.formatting import group_digits


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per <option>: the province and commune lists
    have dozens to hundreds of options and the template way costs milliseconds on every page. The options are
    written straight from `choices` (Django's optgroups() builds a dict and copies the attributes for every
    option; its escaping checks every argument for lazy text), with the same markup and escaping."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [f'<select name="{escape(name)}"{flatatt(self.build_attrs(self.attrs, attrs))}>']
        found = False  # like Django's Select: only the first option with the value is selected
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(str(option_value))}">')
                for sub_value, sub_label in label:
                    found = self._option(parts, sub_value, sub_label, chosen, found)
                parts.append("</optgroup>")
            else:
                found = self._option(parts, option_value, label, chosen, found)
        parts.append("</select>")
        # Every value and label above is escaped; the rest are constant tags.
        return mark_safe("".join(parts))  # noqa: S308

    @staticmethod
    def _option(parts, value, label, chosen, found) -> bool:
        value = "" if value is None else str(value)
        selected = not found and value in chosen
        parts.append(f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(str(label))}</option>')
        return found or selected


def escape(value) -> str:
    """Django's conditional_escape without its check of every argument for lazy text: text marked safe stays
    as it is, anything else is escaped."""
    return value.__html__() if hasattr(value, "__html__") else escape_text(str(value))


class FetchedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A select's model choices read with one plain query. Django's iterator reads them through a server-side
    cursor (`QuerySet.iterator()`), which on PostgreSQL costs a DECLARE, FETCHes and a CLOSE per select: several
    round trips for a few dozen rows, on every list page that shows a province or group filter."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if getattr(self.field, "null_label", None) is not None:  # a filter's field; a form's has none
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():  # a fresh clone: the field's queryset keeps no rows between requests
            yield self.choice(obj)


class FetchedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = FetchedChoiceIterator


class FetchedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A list filter whose select reads its choices with one query (FetchedChoiceIterator)."""

    field_class = FetchedModelChoiceField


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes rendered in Python, with the markup of Django's own templates, rather than three templates per
    box: a round's recognition decision lists every scored dossier, hundreds of them."""

    def render(self, name, value, attrs=None, renderer=None):
        """Straight from `choices` (Django's get_context() builds and copies a dict of attributes per box): each
        box gets the widget's attributes, its own id (`<id>_<index>`) and `checked` when its value is chosen."""
        base = self.build_attrs(self.attrs, attrs)
        chosen, box_id = set(self.format_value(value)), base.get("id")
        own = "".join(f' {key}="{escape(base[key])}"' for key in ("id", "class") if base.get(key))
        parts = [f"<div{own}>"]
        tag = f'<input type="checkbox" name="{escape(name)}"'
        for i, (option_value, label) in enumerate(self.choices):
            if isinstance(label, (list, tuple)):
                parts.append(f"\n  <div><label>{escape(option_value)}</label>")
                parts.extend(
                    self._box(tag, base, box_id, f"{i}_{j}", v, text, chosen) for j, (v, text) in enumerate(label)
                )
                parts.append("\n  </div>")
            else:
                parts.append(self._box(tag, base, box_id, str(i), option_value, label, chosen))
        parts.append("\n</div>")
        # Every value, label and attribute above is escaped; the rest are constant tags.
        return mark_safe("".join(parts))  # noqa: S308

    @staticmethod
    def _box(tag, base, box_id, index, value, label, chosen) -> str:
        attrs = {**base, "id": f"{box_id}_{index}"} if box_id else dict(base)
        if str(value) in chosen:
            attrs["checked"] = True
        label_for = f' for="{escape(attrs["id"])}"' if box_id else ""
        shown = "" if value is None else f' value="{escape(value)}"'
        return f"<div>\n    <label{label_for}>{tag}{shown}{_attributes(attrs)}> {escape(label)}</label></div>"


def _attributes(attrs: dict) -> str:
    """The attributes in their order, as Django's widgets/attrs.html writes them: False left out, True bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


DECIMAL_TYPED = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class DecimalCommaField(forms.DecimalField):
    """A decimal typed the Vietnamese way or the English way: "7,5" and "7.5" both mean 7.5. A text input
    (with a decimal keyboard on phones): browsers' number inputs silently drop the comma, turning 7,5 into 75."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
            # Digits with one decimal point: Python's Decimal would also read "1e1", "1_0", "５" or "NaN".
            if value and not DECIMAL_TYPED.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        # No min/max/step attributes: they belong to number inputs.
        return {}


class MoneyField(forms.IntegerField):
    """Whole đồng, typed with or without thousand separators: "1.075.000.000", "1 075 000 000" or "1075000000"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().lower().removesuffix("đồng").removesuffix("đ").strip()
            value = value.replace(".", "").replace(",", "").replace(" ", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        return {}

    def prepare_value(self, value):
        if isinstance(value, int):
            return group_digits(value)
        return value
