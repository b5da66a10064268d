"""A text search over a long list counts its matches only up to a cap (portal.core.pagination): the page says
"more than N results" and asks for a narrower search, instead of counting every match."""

import pytest
from django.urls import reverse

from portal.core import pagination
from tests import factories

pytestmark = pytest.mark.django_db
PRODUCT_LIST = reverse("products:staff.product.list")


@pytest.fixture
def four_teas(staff_user):
    producer = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    for name in ("Chè Shan tuyết", "Chè xanh", "Chè đen", "Chè búp"):
        factories.product(producer, name)
    factories.product(producer, "Mật ong bạc hà")


def test_a_search_past_the_cap_says_more_than_and_asks_to_narrow(client, staff_user, four_teas, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 3)
    client.force_login(staff_user)
    response = client.get(PRODUCT_LIST, {"q": "che"})
    html = response.content.decode()
    assert "Hơn 3 kết quả: hãy thêm từ khóa hoặc bộ lọc để thu hẹp tìm kiếm." in html
    assert response.context["paginator"].count == 3
    assert response.context["paginator"].capped


def test_a_search_within_the_cap_and_a_list_without_search_count_exactly(client, staff_user, four_teas, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_COUNT_CAP", 4)
    client.force_login(staff_user)
    searched = client.get(PRODUCT_LIST, {"q": "che"})
    assert searched.context["paginator"].count == 4
    assert "4 kết quả" in searched.content.decode()
    assert "Hơn" not in searched.content.decode()
    everything = client.get(PRODUCT_LIST)  # no search: every row counted, whatever the cap
    assert everything.context["paginator"].count == 5
    assert not everything.context["paginator"].capped
