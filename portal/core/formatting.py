"""How the portal writes numbers, money and dates, on pages, in PDFs, e-mails and service messages alike.
Template filters (`portal_tags`) call these; services import them from here, never from the template tags."""

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

NO_NUMBER = "—"


def group_digits(value) -> str:
    """2309 -> '2.309', -1234567 -> '-1.234.567': Vietnamese writes a dot between thousands; a float that is not
    whole keeps one decimal after a comma (12.5 -> '12,5')."""
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:.1f}".partition(".")
        return f"{group_digits(int(whole))},{frac}"
    value = int(value)
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def vnd(amount) -> str:
    """1075000000 -> '1.075.000.000 đồng' (in English '1.075.000.000 VND'). Money is integer VND everywhere."""
    if amount in (None, ""):
        return ""
    return _("%(amount)s VND") % {"amount": group_digits(int(amount))}


def vn_number(value, places: int = 2) -> str:
    """Decimal(82.5) -> '82,50'; 1234.5 -> '1.234,50'; None -> '—'."""
    if value is None:
        return NO_NUMBER
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_date(day: datetime.date | None) -> str:
    """dd/mm/yyyy, '' for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def vn_date_line(place: str, day: datetime.date) -> str:
    """'Cao Bằng, ngày 05 tháng 01 năm 2026' (NĐ 30/2020, Phụ lục I: a 0 before days below 10 and before the
    months 1 and 2 only, so 'ngày 15 tháng 3')."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


_TITLE_SEPARATOR = re.compile(r"\s+[–-]\s+")


def title_lines(title: str) -> list[str]:
    """A signer's title as the lines NĐ 30/2020 prints it on: 'KT. CHỦ TỊCH – PHÓ CHỦ TỊCH' (or the same on
    two lines) -> ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']. A new line or a spaced dash separates lines."""
    parts = (part.strip() for line in (title or "").splitlines() for part in _TITLE_SEPARATOR.split(line))
    return [part for part in parts if part]


def title_text(title: str) -> str:
    """The title as it is stored: its lines joined with new lines."""
    return "\n".join(title_lines(title))


NO_BREAK_SPACE = "\u00a0"


def no_widow(text: str) -> str:
    """Join the last two words with a no-break space, so a paragraph never ends on a line of one word."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}{NO_BREAK_SPACE}{last}" if space and head else text
