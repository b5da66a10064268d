"""The results page's rows written in Python (awards/views/results_rows.py) give the markup the template gave,
cell for cell, in Vietnamese and in English, escaped."""

import itertools
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from awards.aggregation import Aggregate
from awards.selectors.outcomes import Quorum
from awards.views.results_rows import Numbers, rows_html

# The row as templates/awards/staff/round_results.html wrote it before the rows moved to Python.
TEMPLATE_ROW = Template((Path(__file__).parent / "results_row_before.html").read_text())


def _normalised(html) -> str:
    """Runs of white space as one space; an apostrophe as itself (the template left translated labels unescaped,
    "Members' sheets"; Python escapes them)."""
    return re.sub(r"\s+", " ", str(html)).replace("&#x27;", "'").strip()


def _row(i, *, count, status, passes, met, short_listed, sheets, trimmed):
    values = [Decimal("79.005"), Decimal("100"), Decimal("0"), Decimal("64.5"), Decimal("88.125"), Decimal("12.994")]
    value = values[i % len(values)]
    result = Aggregate(count=count)
    if count:
        result = Aggregate(
            count=count,
            mean=value,
            median=value - 1,
            minimum=Decimal("50.5") if i % 2 else Decimal(50),
            maximum=Decimal(99),
            stdev=Decimal("3.456"),
            score=value,
            trimmed=trimmed,
        )
    return SimpleNamespace(
        rank=i + 1,
        nomination=SimpleNamespace(
            product=SimpleNamespace(name=f'Mắm tôm <b>{i}</b> & "Cà Mau"'),
            producer=SimpleNamespace(name="HTX Đồng Tháp 'Sen Hồng'"),
            receipt_code=f"KQ1-DT-{i:04d}",
            status=status,
        ),
        result=result,
        quorum=Quorum(count=count, expected=9, required=6 if met else count + 1),
        passes=passes,
        reason="Đạt điểm <tối thiểu>",
        pass_no=1 + i % 2,
        short_listed=short_listed,
        sheets=[object()] * count if sheets else [],
        url=f"/staff/nominations/{i}/?a=1&b=2",
        sheets_url=f"/staff/nominations/{i}/sheets/",
    )


ROWS = [
    _row(i, count=count, status=status, passes=passes, met=met, short_listed=short, sheets=sheets, trimmed=trimmed)
    for i, (count, status, passes, met, short, sheets, trimmed) in enumerate(
        itertools.product(
            (0, 7), ("accepted", "not_scored"), (True, False), (True, False), (True, False), (True,), (True, False)
        )
    )
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("two_pass", [False, True])
def test_python_rows_give_the_template_rows(language, two_pass):
    with translation.override(language):
        expected = TEMPLATE_ROW.render(Context({"rows": ROWS, "two_pass": two_pass}))
        written = rows_html(ROWS, two_pass=two_pass)
    assert _normalised(written) == _normalised(expected)
    assert "<b>" not in written  # a product's name is escaped
    assert "&lt;b&gt;" in written


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_round_as_floatformat(language):
    from django.template.defaultfilters import floatformat

    with translation.override(language):
        numbers = Numbers()
        for text in (
            "0",
            "0.005",
            "0.004",
            "79.995",
            "79.994",
            "-1.005",
            "-0.001",
            "-0.004",
            "99.5",
            "100",
            "2.675",
            "1234.567",
        ):
            value = Decimal(text)
            assert numbers.fixed(value) == floatformat(value, "2"), text
            assert numbers.fixed(value, trim=True) == floatformat(value, "-2"), text
        assert numbers.fixed(None) == ""
        assert numbers.fixed(79.5) == floatformat(79.5, "2")
    assert Numbers().fixed(Decimal("79.5")) in ("79,50", "79.50")
