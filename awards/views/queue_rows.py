"""The rows of the screening queue, written in Python with the markup the template wrote: a page has 50 rows of
ten cells, and the template way (a lookup, a filter or a translation per cell) cost about half of the page.
Every value is escaped (portal.core.widgets.escape); the rest are constant tags. tests/awards/test_queue_rows.py
compares them with the template's rows (tests/awards/queue_row_before.html)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.core.widgets import escape

from ..enums import NominationStatus

DASH = "—"


def _labels() -> dict[str, str]:
    """The column names, translated and escaped once for every row (each cell repeats its column's name for
    narrow screens)."""
    names = {
        "code": _("Receipt code"),
        "product": _("Product"),
        "producer": _("Producer"),
        "province": _("Province"),
        "status": _("Status"),
        "submitted": _("Submitted on"),
        "days": _("Days waiting"),
        "deadline": _("Deadline"),
        "missing": _("Missing"),
        "select": _("Select"),
        "overdue": _("overdue"),
    }
    return {key: escape(text) for key, text in names.items()}


def _day(value) -> str:
    """dd/mm/yyyy as the `date:"d/m/Y"` filter writes it: a moment in the portal's time zone, a date as it is."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def queue_rows_html(nominations, *, can_decide: bool) -> str:
    """The <tr> of every dossier on the page (annotated by annotate_queue_rows: days_waiting, deadline,
    deadline_missed; with waiting_since)."""
    text = _labels()
    marker = 2_147_483_647  # no dossier has it; a pk fits the same URL pattern
    head, tail = reverse("awards:staff.nomination.detail", args=[marker]).split(str(marker))
    parts = []
    for n in nominations:
        code, url = escape(n.receipt_code), escape(f"{head}{n.pk}{tail}")
        parts.append("  <tr>\n    ")
        if can_decide:
            parts.append(
                f'<td><input type="checkbox" name="selected" value="{n.pk}" aria-label="{text["select"]} {code}"></td>'
            )
        parts.append(
            f'\n    <td data-label="{text["code"]}" class="mono"><a href="{url}">{code}</a></td>'
            f'\n    <td data-label="{text["product"]}">{escape(n.product.name)}<br><small class="muted">'
            f"{escape(n.product.group.name)}</small></td>"
            f'\n    <td data-label="{text["producer"]}">{escape(n.producer.name)}</td>'
            f'\n    <td data-label="{text["province"]}">{escape(n.producer.current_province.name)}</td>'
            f'\n    <td data-label="{text["status"]}"><span class="badge status-{escape(n.status)}">'
            f"{escape(n.get_status_display())}</span></td>"
            f'\n    <td data-label="{text["submitted"]}">{_submitted(n)}</td>'
            f'\n    <td data-label="{text["days"]}" class="num">'
            f"{DASH if n.days_waiting is None else n.days_waiting}</td>"
            f'\n    <td data-label="{text["deadline"]}">{_deadline(n, text)}</td>'
            f'\n    <td data-label="{text["missing"]}" class="num">'
            f"{_missing(n)}</td>\n  </tr>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def _submitted(n) -> str:
    cell = escape(_day(n.submitted_at) or DASH)
    if n.status == NominationStatus.RESUBMITTED and n.waiting_since:
        cell += f'<br><small class="muted">{_("resubmitted %(date)s") % {"date": _day(n.waiting_since)}}</small>'
    return cell


def _deadline(n, text) -> str:
    if not n.deadline:
        return DASH
    cell = _("by %(date)s") % {"date": _day(n.deadline)}
    if n.deadline_missed:
        cell += f' <span class="badge danger">{text["overdue"]}</span>'
    return cell


def _missing(n) -> str:
    return f'<span class="badge warn">{n.missing_count}</span>' if n.missing_count else "0"
