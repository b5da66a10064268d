"""The staff lists' sort "Relevance" (products.ranking): the closest matches of the search first, on SQLite and
PostgreSQL alike; name order stays the default."""

import pytest
from django.urls import reverse

from tests import factories

PRODUCTS = "products:staff.product.list"
PRODUCERS = "products:staff.producer.list"


@pytest.fixture
def registry(db):
    tam_hoa = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    for name in ("Bánh lạp sườn", "Lạp sườn hun khói", "Chiếu trúc", "Lạp sườn"):
        factories.product(tam_hoa, name)
    factories.product(factories.producer("Cơ sở Lạp Sườn Bảy Tới", "Cao Bằng"), "Mắm tép")


def names(client, url, **params):
    response = client.get(reverse(url), params)
    assert response.status_code == 200
    return [obj.name for obj in response.context["object_list"]]


def test_relevance_puts_the_exact_name_first_then_names_starting_with_it(client, staff_user, registry):
    client.force_login(staff_user)
    assert names(client, PRODUCTS, q="lap suon", o="relevance") == [
        "Lạp sườn",  # the name is the search
        "Lạp sườn hun khói",  # the name starts with it
        "Bánh lạp sườn",  # the name holds every word
        "Mắm tép",  # found by its producer's name only
    ]


def test_name_order_stays_the_default(client, staff_user, registry):
    client.force_login(staff_user)
    assert names(client, PRODUCTS, q="Lạp sườn") == ["Bánh lạp sườn", "Lạp sườn", "Lạp sườn hun khói", "Mắm tép"]
    assert names(client, PRODUCTS, o="relevance")[:2] == ["Bánh lạp sườn", "Chiếu trúc"]  # no search: by name


def test_relevance_ranks_names_holding_the_words_before_other_matches(client, staff_user, registry):
    client.force_login(staff_user)
    ranked = names(client, PRODUCTS, q="sườn lạp", o="relevance")
    assert set(ranked[:3]) == {"Lạp sườn", "Lạp sườn hun khói", "Bánh lạp sườn"}
    assert ranked[3:] == ["Mắm tép"]


def test_relevance_on_producers_puts_the_name_match_before_what_a_producer_makes(client, staff_user, registry):
    factories.product(factories.producer("Cơ sở An Bình", "Cao Bằng"), "Lạp sườn An Bình")
    client.force_login(staff_user)
    # Cơ sở An Bình and HTX Tâm Hòa are found by what they make; the other producer by its own name.
    by_name = ["Cơ sở An Bình", "Cơ sở Lạp Sườn Bảy Tới", "HTX Tâm Hòa"]
    assert names(client, PRODUCERS, q="lạp sườn") == by_name
    assert names(client, PRODUCERS, q="lạp sườn", o="relevance") == [
        "Cơ sở Lạp Sườn Bảy Tới",
        "Cơ sở An Bình",
        "HTX Tâm Hòa",
    ]
    assert names(client, PRODUCERS, q="hợp tác xã", o="relevance") == ["HTX Tâm Hòa"]
