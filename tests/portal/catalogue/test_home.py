"""The home page's shop window (the newest recognised products as cards) costs the same queries with a few
recognised products or many, cached or not."""

import datetime

import pytest
from django.urls import reverse

from tests import factories

from .conftest import TODAY, add_photo, rate, recognise

HOME = reverse("home")


def _recognised(superuser, n, start=0):
    producers = [factories.producer(f"Cơ sở {k}", name) for k, name in enumerate(["Cao Bằng", "Cà Mau", "Huế"])]
    for i in range(start, start + n):
        product = factories.product(producers[i % 3], f"Sản phẩm {i:03d}", group_code=str(i % 4 + 1))
        recognise(product, superuser, "province", 2020 + i % 3)
        rate(product, superuser, 3 + i % 3, TODAY - datetime.timedelta(days=30 + i))
        add_photo(product)


@pytest.mark.parametrize("cache_seconds", [0, 60])
def test_home_page_query_count_does_not_grow_with_the_recognitions(
    client, superuser, count_queries, settings, cache_seconds
):
    settings.CATALOGUE_CACHE_SECONDS = cache_seconds
    _recognised(superuser, 2)
    small, _response = count_queries(client, HOME)
    _recognised(superuser, 30, start=2)
    large, response = count_queries(client, HOME)
    assert large == small, large
    assert len(response.context["newest_products"]) == 6
    assert all(card.photo_src for card in response.context["newest_products"])
    assert large <= (5 if cache_seconds == 0 else 2)  # open rounds and the data version; uncached, the cards too
