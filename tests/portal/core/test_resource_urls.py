import pytest
from django.views import View

from portal.core.urls import resource_urls


class ListView(View):
    pass


class EditView(View):
    pass


def test_resource_urls_builds_the_named_pages_in_order():
    patterns = resource_urls("staff/things/", "staff.thing", update=EditView, list=ListView)
    assert [(str(p.pattern), p.name) for p in patterns] == [
        ("staff/things/", "staff.thing.list"),
        ("staff/things/<int:pk>/edit/", "staff.thing.update"),
    ]
    assert patterns[1].callback.view_class is EditView


def test_resource_urls_refuses_an_unknown_page():
    with pytest.raises(TypeError):
        resource_urls("staff/things/", "staff.thing", archive=ListView)
