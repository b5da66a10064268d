"""The Vietnamese cell readers of the historical-data imports (django-import-export widgets): dd/mm/yyyy dates,
"1.075.000.000" money, province names of today or before 1 July 2025, tax codes checked with the registry's
validator, and the indexes they look names up in. products.importing re-exports them with the base resource."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import widgets

from portal.core.formatting import group_digits, vn_date

from .enums import UnitLevel
from .models import TAX_CODE_VALIDATOR, AdministrativeUnit, Producer
from .search import fold, nfc
from .tax_codes import normalise_tax_code

OLD_SUFFIX = "(trước 01/07/2025)"
_OLD_MARK = re.compile(r"\s*\(\s*truoc[^)]*\)\s*$")
_PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp.", "tp ", "tinh ")
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


class CellError(ValueError):
    """A refused cell; `column` names another heading than the field's own when the cause lies there."""

    def __init__(self, message, column=None):
        super().__init__(message)
        self.column = column


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


# -- cell readers ----------------------------------------------------------------------------------------------------
class TextWidget(widgets.Widget):
    """Text stored as NFC, trimmed (a cell typed on a Mac arrives decomposed)."""

    def clean(self, value, row=None, **kwargs):
        return read_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DateWidget(widgets.Widget):
    """dd/mm/yyyy (the Vietnamese way), also a real date cell of Excel; rendered dd/mm/yyyy."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = read_text(value)
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
            except ValueError:
                continue
        raise CellError(_("“%(value)s” is not a date: write it as dd/mm/yyyy, e.g. 05/01/2025.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        return vn_date(value) if value else ""


class MoneyWidget(widgets.Widget):
    """Whole đồng: "1.075.000.000", "1 075 000 000", "1075000000 đồng" or a number cell; rendered 1.075.000.000."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            if value != int(value) or value < 0:
                raise CellError(_("“%(value)s” is not an amount in whole đồng.") % {"value": value})
            return int(value)
        text = read_text(value)
        digits = re.sub(r"(?i)\s*(đồng|đ|vnd)\.?$", "", text).replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not digits.isdigit():
            raise CellError(
                _("“%(value)s” is not an amount in whole đồng: write it as 1.075.000.000.") % {"value": text}
            )
        return int(digits)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else group_digits(int(value))


class IntegerWidget(widgets.Widget):
    def __init__(self, minimum=0, maximum=None):
        self.minimum, self.maximum = minimum, maximum

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        text = read_text(value).replace(".", "").replace(" ", "")
        if not text.lstrip("-").isdigit():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": read_text(value)})
        number = int(text)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise CellError(
                _("%(value)s is outside the range %(min)s–%(max)s.")
                % {"value": number, "min": self.minimum, "max": self.maximum if self.maximum is not None else "…"}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalWidget(widgets.Widget):
    """A score: "85,5" (Vietnamese decimal comma) or "85.5"; rendered with a comma."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        text = read_text(value).replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": read_text(value)}) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return format(Decimal(value).normalize(), "f").replace(".", ",")


class TaxCodeWidget(widgets.Widget):
    """A tax code (10 digits, 10-3 or a 12-digit personal identification number), checked with the registry's own
    validator. A number cell lost its leading zeros: 9 digits were a 10-digit code beginning with 0 (Hà Nội codes
    start with 01), 11 digits a personal identification number (they all begin with 0), 12 digits a 13-digit
    (10-3) code beginning with 0; a 10-digit number is a 10-digit code, or the personal identification number of
    a province coded 001 to 009 (`candidates`)."""

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            raise CellError(_("The tax or registration number is missing."))
        text = normalise_tax_code(read_text(value))
        if _is_number(value) and len(text) in (9, 11, 12):
            text = normalise_tax_code("0" + text)
        try:
            TAX_CODE_VALIDATOR(text)
        except ValidationError as exc:
            raise CellError(
                _("“%(value)s” is not a valid tax code: %(reason)s") % {"value": text, "reason": " ".join(exc.messages)}
            ) from None
        return text

    def candidates(self, value) -> list[str]:
        """The codes a cell may stand for, the likeliest first (for looking up a producer already registered)."""
        code = self.clean(value)
        if _is_number(value) and len(code) == 10:
            try:
                TAX_CODE_VALIDATOR("00" + code)
            except ValidationError:
                return [code]
            return [code, "00" + code]
        return [code]


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its label in either language, accents and case ignored; rendered as the label."""

    def __init__(self, choices, required=True):
        self.choices = choices
        self.required = required

    def _lookup(self):
        from django.utils import translation

        table = {}
        for value, label in self.choices.choices:
            table[fold(value)] = value
            table[fold(str(label))] = value
            for lang in ("vi", "en"):
                with translation.override(lang):
                    table[fold(str(label))] = value
        return table

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            if self.required:
                raise CellError(_("This cell is required."))
            return ""
        table = getattr(self, "_table", None)
        if table is None:
            table = self._table = self._lookup()
        found = table.get(fold(read_text(value)))
        if found is None:
            raise CellError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": read_text(value), "choices": ", ".join(str(label) for _v, label in self.choices.choices)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


def province_label(unit: AdministrativeUnit) -> str:
    """How a file names a province: today's by its name, one before the reform marked so ("Hà Giang (trước
    01/07/2025)"), so an export re-imports to the same unit."""
    return unit.name if unit.is_current else f"{unit.name} {OLD_SUFFIX}"


class ProvinceIndex:
    """Every province, today's and before 1 July 2025, by folded name, full name and code. A name that exists
    only before the reform (Hà Giang, Bắc Kạn) is the old province; a name of today's province is today's,
    unless marked "(trước 01/07/2025)"."""

    def __init__(self):
        self.current, self.old, self.by_id = {}, {}, {}
        for unit in AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).select_related("successor"):
            self.by_id[unit.pk] = unit
            table = self.current if unit.is_current else self.old
            for key in (unit.name, unit.full_name, unit.codename, str(unit.code)):
                table.setdefault(self._key(key), unit)

    @staticmethod
    def _key(value) -> str:
        key = fold(read_text(value)).replace("_", " ")
        for prefix in _PROVINCE_PREFIXES:
            if key.startswith(prefix):
                return key[len(prefix) :].strip()
        return key

    def find(self, value) -> AdministrativeUnit:
        text = read_text(value)
        folded = fold(text)
        marked_old = bool(_OLD_MARK.search(folded))
        key = self._key(_OLD_MARK.sub("", folded))
        unit = self.old.get(key) if marked_old else (self.current.get(key) or self.old.get(key))
        if unit is None:
            raise CellError(_("Unknown province “%(value)s”.") % {"value": text})
        return unit


class ProvinceWidget(widgets.Widget):
    """Reads a province name into the unit as recorded (old or today's). The resource owns the index."""

    def __init__(self, required=True):
        self.index = None
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if _blank(value):
            if self.required:
                raise CellError(_("The province is missing."))
            return None
        if self.index is None:
            self.index = ProvinceIndex()
        return self.index.find(value)

    def render(self, value, obj=None, **kwargs):
        return province_label(value) if value else ""


class ProducerIndex:
    """Producers named in a file, by tax code, loaded in one query."""

    def __init__(self, tax_codes):
        codes = {c for c in tax_codes if c}
        self.by_code = {
            p.tax_code: p
            for p in Producer.objects.filter(tax_code__in=codes).select_related(
                "province__successor", "current_province"
            )
        }

    def get(self, tax_code, column, *, candidates=()) -> Producer:
        producer = next((self.by_code[c] for c in (tax_code, *candidates) if c in self.by_code), None)
        if producer is None:
            raise CellError(
                _("No producer with the tax code %(code)s is registered: import the producer first.")
                % {"code": tax_code},
                column=column,
            )
        return producer
