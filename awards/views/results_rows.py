"""The rows of the results page's tables, written in Python with the markup the template wrote: a 500-dossier
round has 500 rows of nine cells, and the template way (a lookup and a filter per cell) cost more than half of
the page. Every value is escaped (portal.core.widgets.escape); the rest are constant tags."""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from portal.core.widgets import escape

from ..enums import NominationStatus

PLACES = Decimal("0.01")
DASH = "—"


class Numbers:
    """`floatformat:"2"` and `floatformat:"-2"` for the page's scores (0–100 points), reading the active language's
    decimal separator once per page rather than once per cell; anything else goes through floatformat itself."""

    def __init__(self):
        self.separator = formats.get_format("DECIMAL_SEPARATOR")

    def fixed(self, value, trim: bool = False) -> str:
        """The value with 2 decimals (rounded half up, as floatformat does); with `trim`, none when the value itself
        is whole (79.004 gives 79,00, as floatformat:"-2" does)."""
        if value is None:
            return ""
        if not isinstance(value, Decimal) or abs(value) >= 1000:
            return floatformat(value, "-2" if trim else "2")
        rounded = value.quantize(PLACES, rounding=ROUND_HALF_UP) + 0  # + 0: no "-0,00", as floatformat
        if trim and value == value.to_integral_value():
            return f"{rounded:.0f}"
        return f"{rounded:.2f}".replace(".", self.separator)


def labels() -> dict[str, str]:
    """The column names and the badges, translated once for every row of every table."""
    return {
        "rank": "#",
        "product": _("Product"),
        "sheets": _("Sheets"),
        "mean": _("Mean"),
        "median": _("Median"),
        "range": _("Min–max"),
        "stdev": _("Std. dev."),
        "score": _("Score"),
        "result": _("Result"),
        "members_sheets": _("Members' sheets"),
        "open_sheets": _("Open the members' sheets"),
        "short_listed": _("short-listed for the field visit"),
        "trimmed": _("trimmed"),
    }


def rows_html(rows, *, two_pass: bool) -> str:
    """The <tr> of every row of one product group's table (rows as the results view prepares them: a ResultRow's
    fields with `quorum`, `url` and `sheets_url`)."""
    text, numbers = {k: escape(v) for k, v in labels().items()}, Numbers()
    parts = []
    for row in rows:
        parts.append(f'<tr>\n      <td data-label="#">{row.rank}</td>\n')
        parts.append(_product_cell(row, text, two_pass))
        parts.append(_score_cells(row, text, numbers))
        parts.append(f'      <td data-label="{text["result"]}">{_result(row)}</td>\n    </tr>\n')
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


def _product_cell(row, text, two_pass: bool) -> str:
    nomination = row.nomination
    passes = ""
    if two_pass:
        passes = f'<br><span class="badge muted-badge">{escape(_("Pass %(n)s") % {"n": row.pass_no})}</span>'
        if row.short_listed:
            passes += f' <span class="badge ok">{text["short_listed"]}</span>'
    sheets = ""
    if row.sheets:
        url = escape(row.sheets_url)
        sheets = (
            f'\n        <details class="lazy-sheets" hx-get="{url}" hx-trigger="toggle once"'
            f' hx-target="find .sheets-slot"><summary>{text["members_sheets"]}</summary>'
            f'\n          <div class="sheets-slot"><a href="{url}">{text["open_sheets"]}</a></div>'
            "\n        </details>\n        "
        )
    return (
        f'      <td data-label="{text["product"]}"><a href="{escape(row.url)}">{escape(nomination.product.name)}</a>'
        f'<br><small class="muted">{escape(nomination.producer.name)} · '
        f'<span class="mono">{escape(nomination.receipt_code)}</span></small>'
        f"\n        {passes}\n        {sheets}</td>\n"
    )


def _score_cells(row, text, numbers: Numbers) -> str:
    result = row.result

    def cell(key, value):
        return f'      <td data-label="{text[key]}" class="num">{value}</td>\n'

    spread = (
        f"{numbers.fixed(result.minimum, trim=True)}–{numbers.fixed(result.maximum, trim=True)}"
        if result.count
        else DASH
    )
    score = f"<strong>{numbers.fixed(result.score) or DASH}</strong>"
    if result.trimmed:
        score += f"<br><small>{text['trimmed']}</small>"
    return "".join(
        [
            cell("sheets", result.count),
            cell("mean", numbers.fixed(result.mean) or DASH),
            cell("median", numbers.fixed(result.median) or DASH),
            cell("range", spread),
            cell("stdev", numbers.fixed(result.stdev) or DASH),
            cell("score", score),
        ]
    )


def _result(row) -> str:
    """The result's badge, with the shortfall of the quorum or the ranking's reason below it."""
    result, quorum = row.result, row.quorum
    not_scored = row.nomination.status == NominationStatus.NOT_SCORED
    if not_scored:
        badge = f'<span class="badge status-not_scored">{escape(_("not scored"))}</span>'
        badge += f"<br><small>{escape(quorum.shortfall())}</small>"
    elif result.count and not quorum.met:
        badge = f'<span class="badge warn">{escape(_("short of the quorum"))}</span>'
        badge += f"<br><small>{escape(quorum.shortfall())}</small>"
    elif row.passes:
        badge = f'<span class="badge ok">{escape(_("passes"))}</span>'
    elif not result.count:
        badge = f'<span class="badge muted-badge">{escape(_("not scored yet"))}</span>'
    else:
        badge = f'<span class="badge danger">{escape(_("does not pass"))}</span>'
    if not not_scored:
        badge += f"<br><small>{escape(row.reason)}</small>"
    return badge
