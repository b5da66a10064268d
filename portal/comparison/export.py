"""The comparison as a file: the rows the reader sees in the page's order, then the national totals; counts and
amounts as numbers (`#,##0`), through the list exports' writers (formula guard included), and a second sheet
saying what was counted."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.formatting import vn_date
from portal.core.list_exports import table_response
from portal.dashboards.by_province import RECORDED

from .forms import BASES
from .table import Comparison

STEM = "so-sanh-cac-tinh"


def _period(comparison: Comparison) -> str:
    period = comparison.period
    if period.year_from and period.year_to:
        return _("from %(start)s to %(end)s") % {"start": period.year_from, "end": period.year_to}
    if period.year_from:
        return _("from %(start)s") % {"start": period.year_from}
    if period.year_to:
        return _("until %(end)s") % {"end": period.year_to}
    return _("All years")


def notes(comparison: Comparison) -> list[list[str]]:
    basis = dict(BASES)[comparison.period.basis]
    return [
        [_("Comparison of provinces"), ""],
        [_("Count by"), str(basis)],
        [_("Period"), _period(comparison)],
        [
            _("OCOP products"),
            _("each product's latest rating, if still valid on %(date)s") % {"date": vn_date(comparison.ocop_day)},
        ],
        [_("Khuyến công funding"), _("the actual amount at settlement where recorded, else the approved amount")],
        [_("Ranked by"), f"{comparison.ranked_by.group} – {comparison.ranked_by.label}"],
        [_("Exported on"), vn_date(timezone.localdate())],
    ]


def response(comparison: Comparison, fmt: str):
    recorded = comparison.period.basis == RECORDED
    headers = [_("Rank"), _("Province as recorded") if recorded else _("Province today")]
    kinds: list[str | None] = ["count", None]
    if recorded:
        headers.append(_("Today part of"))
        kinds.append(None)
    headers += [f"{c.group} – {c.label}" for c in comparison.columns]
    kinds += ["money" if c.money else "count" for c in comparison.columns]
    rows = []
    for row in comparison.rows:
        place = [row.rank, row.name] + ([row.successor if not row.is_current else ""] if recorded else [])
        rows.append(place + [row.values[c.key] for c in comparison.columns])
    if comparison.totals is not None:
        totals = comparison.totals
        rows.append(
            [None, totals.name] + ([""] if recorded else []) + [totals.values[c.key] for c in comparison.columns]
        )
    return table_response(
        headers,
        rows,
        kinds,
        fmt=fmt,
        stem=STEM,
        title=_("Comparison of provinces"),
        extra_sheets=[(_("Notes"), notes(comparison))],
    )
