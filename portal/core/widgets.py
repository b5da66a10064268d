from html import escape as escape_text

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
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
        if self.field.null_label is not None:
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
        widget = self.get_context(name, value, attrs)["widget"]
        own = {key: widget["attrs"].get(key) for key in ("id", "class")}
        parts = [format_html("<div{}>", flatatt({k: v for k, v in own.items() if v}))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html("\n  <div><label>{}</label>", group_name))
            parts.extend(
                format_html(
                    '<div>\n    <label{}><input type="{}" name="{}"{}{}> {}</label></div>',
                    flatatt({"for": option["attrs"].get("id")}),
                    option["type"],
                    option["name"],
                    "" if option["value"] is None else format_html(' value="{}"', str(option["value"])),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("\n  </div>"))
        parts.append(mark_safe("\n</div>"))
        # Every part above is escaped by format_html or flatatt, or is a constant tag.
        return mark_safe("".join(parts))  # noqa: S308


class DecimalCommaField(forms.DecimalField):
    """A decimal typed the Vietnamese way or the English way: "7,5" and "7.5" both mean 7.5. A text input
    (with a decimal keyboard on phones): browsers' number inputs silently drop the comma, turning 7,5 into 75."""

    widget = forms.TextInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
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
