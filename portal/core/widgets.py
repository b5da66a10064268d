from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from portal.core.formatting import group_digits


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per <option>: the province and commune lists
    have dozens to hundreds of options and the template way costs milliseconds on every page."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option["value"],
                    " selected" if option["selected"] else "",
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        # Every part above is escaped by format_html or is a constant tag.
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
