"""The decision's long list of boxes renders the same markup as Django's own CheckboxSelectMultiple."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from portal.core.widgets import FastCheckboxSelectMultiple

CHOICES = [
    (7, "Lạp sườn <Tâm Hòa>"),
    ("8", 'Mắm & "ruốc"'),
    ("Nhóm 2", [(9, "Chiếu cói"), (10, mark_safe("Nón <b>lá</b>"))]),
    (11, "Trà shan tuyết"),
]


def _normalised(html) -> str:
    """White space between tags left out, other runs as one space: the same page for a browser."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("value", [None, [], [7], ["8", 10], [7, "8", 9, 10, 11], ["missing"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_nominations"}, {"id": "id_n", "class": "boxes", "aria-describedby": "id_n_help"}]
)
def test_fast_checkboxes_render_like_django(value, attrs):
    fast = FastCheckboxSelectMultiple(choices=CHOICES, attrs={"data-x": "1"}).render("nominations", value, attrs)
    django = forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"data-x": "1"}).render("nominations", value, attrs)
    assert _normalised(fast) == _normalised(django)


def test_fast_checkboxes_escape_labels_and_tick_the_chosen():
    html = FastCheckboxSelectMultiple(choices=CHOICES).render("nominations", ["8"], {"id": "id_n"})
    assert "Lạp sườn &lt;Tâm Hòa&gt;" in html
    assert "Mắm &amp; &quot;ruốc&quot;" in html
    assert "Nón <b>lá</b>" in html  # text marked safe stays as it is, as in Django's widget
    assert re.findall(r'value="(\w+)"[^>]* checked', html) == ["8"]
