"""The screening queue's rows written in Python (awards/views/queue_rows.py) give the markup the template gave, cell
for cell, in Vietnamese and in English, with and without the selection boxes, escaped."""

import datetime
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from awards.enums import NominationStatus
from awards.views.queue_rows import queue_rows_html

# The row as templates/awards/staff/nomination_queue.html wrote it before the rows moved to Python.
TEMPLATE_ROWS = Template(
    "{% for n in nominations %}" + (Path(__file__).parent / "queue_row_before.html").read_text() + "{% endfor %}"
)
UTC = datetime.UTC


def _normalised(html) -> str:
    """Runs of white space as one space, none between two tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def _nomination(i, status, submitted, resubmitted, days, deadline, missed, missing):
    return SimpleNamespace(
        pk=1000 + i,
        receipt_code=f"DT-2026-{i:04d}",
        product=SimpleNamespace(name=f'Mắm tôm <b>{i}</b> & "Cà Mau"', group=SimpleNamespace(name="Nhóm <2>")),
        producer=SimpleNamespace(
            name="HTX Đồng Tháp 'Sen Hồng'", current_province=SimpleNamespace(name="Đồng Tháp <x>")
        ),
        status=status,
        get_status_display=lambda status=status: NominationStatus(status).label,
        get_absolute_url=lambda pk=1000 + i: reverse("awards:staff.nomination.detail", args=[pk]),
        # 20:30 UTC is the next morning in Vietnam: the day shown is the local one.
        submitted_at=datetime.datetime(2026, 3, 1, 20, 30, tzinfo=UTC) if submitted else None,
        waiting_since=datetime.datetime(2026, 4, 9, 18, 5, tzinfo=UTC) if resubmitted else None,
        days_waiting=days,
        deadline=datetime.date(2026, 5, 31) if deadline else None,
        deadline_missed=missed,
        missing_count=missing,
    )


NOMINATIONS = [
    _nomination(i, *values)
    for i, values in enumerate(
        itertools.product(
            [s.value for s in NominationStatus],
            (True, False),
            (True, False),
            (None, 0, 1234),
            (True, False),
            (True, False),
            (0, 3),
        )
    )
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("can_decide", [True, False])
def test_python_rows_give_the_template_rows(language, can_decide):
    with translation.override(language):
        expected = TEMPLATE_ROWS.render(Context({"nominations": NOMINATIONS, "can_decide": can_decide}))
        written = queue_rows_html(NOMINATIONS, can_decide=can_decide)
    assert _normalised(written) == _normalised(expected)
    assert written.count("<tr>") == len(NOMINATIONS)
    assert "<b>" not in written  # names are escaped
    assert "&lt;b&gt;" in written
    assert "02/03/2026" in written  # the local day of a submission late in the UTC evening
    assert ('name="selected"' in written) is can_decide


def test_the_rows_are_in_vietnamese():
    with translation.override("vi"):
        written = queue_rows_html(NOMINATIONS, can_decide=True)
    for text in ('data-label="Mã tiếp nhận hồ sơ"', "nộp lại 10/04/2026", "chậm nhất ngày 31/05/2026", "quá hạn"):
        assert text in written
