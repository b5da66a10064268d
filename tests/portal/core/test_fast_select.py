"""The province and group selects of the list filters render the same markup as Django's own Select."""

import re

from django import forms
from django.utils.safestring import mark_safe

from portal.core.widgets import FastSelect

CHOICES = [
    ("", "Tất cả tỉnh"),
    (1, "Tỉnh Cao Bằng"),
    (2, 'Đặc khu "Côn Đảo" <&>'),
    ("Trước 1/7/2025", [(3, "Tỉnh Hà Giang"), (4, mark_safe("Tỉnh <b>Bắc Kạn</b>"))]),
    (1, "Tỉnh Cao Bằng (again)"),
]


def both(value, attrs=None):
    return (
        FastSelect(choices=CHOICES, attrs={"class": "x"}).render("province", value, attrs),
        forms.Select(choices=CHOICES, attrs={"class": "x"}).render("province", value, attrs),
    )


def test_fast_select_renders_like_django_select():
    for value in (None, "", 1, "2", 3, 4, "missing"):
        fast, django = both(value, {"id": "id_province", "required": True})
        assert fast == re.sub(r">\s+<", "><", django).replace("\n", ""), value


def test_fast_select_marks_only_the_first_matching_option_and_escapes_labels():
    fast, _ = both(1)
    assert fast.count(" selected") == 1
    assert "Đặc khu &quot;Côn Đảo&quot; &lt;&amp;&gt;" in fast
    assert "Tỉnh <b>Bắc Kạn</b>" in fast  # text marked safe stays as it is, as in Django's Select
