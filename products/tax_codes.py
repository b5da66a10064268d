"""Tax codes as the law has them since 1 July 2025 (Luật Quản lý thuế 2019; Thông tư 86/2024/TT-BTC, art. 5):

- 10 digits: an enterprise, a cooperative, a cooperative group or another organisation (e.g. 4800123456);
- 10 digits, a hyphen and 3 digits: a dependent unit of one (branch, representative office, business location),
  e.g. 0101234567-001. It is the "13-digit tax code": typed without the hyphen it is read as the same code;
- 12 digits: the personal identification number (số định danh cá nhân, the citizen ID number) is the tax code of
  individuals, household representatives and household businesses. Its first three digits are the code of the
  province where the birth was registered (CITIZEN_ID_PROVINCES).

Which form goes with which kind of producer: an enterprise, cooperative or cooperative group has a 10-digit or
10-3 code, never 12 digits (`check_kind`, everywhere); a household business registering today gives its owner's
12-digit number (`check_household_code`, where a code is entered for today's provinces). A household business
recorded before 1 July 2025 keeps the 10-digit code it had then (the staff's form with a province before the
reform, the imports of historical data): the record is history, and that code is printed on its certificates."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .enums import ProducerKind

# Province codes of the personal identification number: the code of the province (63, as before 1 July 2025)
# where the citizen's birth was registered, the first three digits of the number. Source: Phụ lục I "Danh mục mã
# tỉnh, thành phố trực thuộc trung ương" of Thông tư 07/2016/TT-BCA, kept by Thông tư 59/2021/TT-BCA (the codes of
# the CCCD card); they are the two-digit province codes of Quyết định 124/2004/QĐ-TTg with a leading zero
# (tests/products/test_tax_codes.py checks them against the units before the reform).
CITIZEN_ID_PROVINCES = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hoà Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

ORGANISATION = "organisation"  # 10 digits
DEPENDENT_UNIT = "dependent_unit"  # 10 digits, "-", 3 digits
PERSONAL_ID = "personal_id"  # 12 digits

_FORMS = {  # ASCII digits only: a stored code is compared byte for byte (unique, search, the tax office's data)
    ORGANISATION: re.compile(r"[0-9]{10}"),
    DEPENDENT_UNIT: re.compile(r"[0-9]{10}-[0-9]{3}"),
    PERSONAL_ID: re.compile(r"[0-9]{12}"),
}
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})

MESSAGE_ANY = _(
    "Enter a tax code of 10 digits (an enterprise, cooperative or cooperative group, e.g. 4800123456), 10 digits, a "
    "hyphen and 3 digits (a dependent unit, e.g. 0101234567-001) or 12 digits (the personal identification number "
    "of a household business, e.g. 004089012345)."
)
MESSAGE_DEPENDENT_UNIT = _(
    "A dependent unit's tax code is its parent's 10 digits, a hyphen and its own 3 digits from 001 to 999, "
    "e.g. 0101234567-001."
)
MESSAGE_PROVINCE = _(
    "%(number)s is not a personal identification number: its first three digits, %(code)s, are not the code of a "
    "province (001 Hà Nội to 096 Cà Mau)."
)
MESSAGE_OLD_ID_CARD = _(
    "A 9-digit identity card number is no longer used as a tax code: enter the 12-digit personal identification "
    "number printed on the citizen identity card."
)
MESSAGE_NOT_A_PERSON = _(
    "A 12-digit personal identification number is the tax code of a household business or an individual. An "
    "enterprise, a cooperative or a cooperative group has a 10-digit tax code (10 digits, a hyphen and 3 digits "
    "for a dependent unit)."
)
MESSAGE_HOUSEHOLD = _(
    "Since 1 July 2025 the tax code of a household business is its owner's 12-digit personal identification "
    "number (Thông tư 86/2024/TT-BTC), e.g. 004089012345. A 10-digit code is kept only for establishments "
    "recorded in a province before 1 July 2025."
)


def normalise_tax_code(value) -> str:
    """The code as stored: no spaces, ASCII digits (a full-width "４８００…" typed with a Vietnamese or CJK
    keyboard, or any other script's digits, becomes "4800…"), an ordinary hyphen, and the hyphen of a 13-digit
    code typed without it ("0101234567001" -> "0101234567-001")."""
    text = "".join(unicodedata.normalize("NFC", str(value or "")).split()).translate(_DASHES)
    text = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)
    if len(text) == 13 and text.isdigit():
        return f"{text[:10]}-{text[10:]}"
    return text


def tax_code_form(value: str) -> str:
    """ORGANISATION, DEPENDENT_UNIT or PERSONAL_ID; a ValidationError saying what is wrong otherwise."""
    form = next((name for name, pattern in _FORMS.items() if pattern.fullmatch(value)), None)
    if form == DEPENDENT_UNIT and value.endswith("-000"):
        form = None
    if form == PERSONAL_ID and value[:3] not in CITIZEN_ID_PROVINCES:
        raise ValidationError(MESSAGE_PROVINCE, code="tax_code_province", params={"number": value, "code": value[:3]})
    if form is not None:
        return form
    if "-" in value:
        raise ValidationError(MESSAGE_DEPENDENT_UNIT, code="tax_code_dependent_unit")
    if len(value) == 9 and value.isdigit():
        raise ValidationError(MESSAGE_OLD_ID_CARD, code="tax_code_id_card")
    raise ValidationError(MESSAGE_ANY, code="tax_code")


@deconstructible(path="products.tax_codes.TaxCodeValidator")
class TaxCodeValidator:
    """The field validator: the value has one of the three forms."""

    def __call__(self, value):
        tax_code_form(value)

    def __eq__(self, other):
        return isinstance(other, TaxCodeValidator)

    def __hash__(self):
        return hash(TaxCodeValidator)


def check_kind(kind: str, tax_code: str) -> None:
    """Everywhere (the model's clean): a personal identification number is a household business's code, never
    an enterprise's, a cooperative's or a cooperative group's. A code of no valid form is left to the field's
    validator."""
    if kind and kind != ProducerKind.HOUSEHOLD and _form_or_none(tax_code) == PERSONAL_ID:
        raise ValidationError(MESSAGE_NOT_A_PERSON, code="tax_code_not_a_person")


def check_household_code(kind: str, tax_code: str, *, recorded_before_reform: bool) -> None:
    """Where a code is entered for an establishment of today's provinces (registration, the staff's producer
    form): a household business gives its owner's 12-digit number. Records before 1 July 2025 and imported
    historical data keep the 10-digit code the household had then."""
    form = _form_or_none(tax_code)
    if kind == ProducerKind.HOUSEHOLD and form not in (None, PERSONAL_ID) and not recorded_before_reform:
        raise ValidationError(MESSAGE_HOUSEHOLD, code="tax_code_household")


def _form_or_none(tax_code: str) -> str | None:
    try:
        return tax_code_form(tax_code)
    except ValidationError:
        return None
