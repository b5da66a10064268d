"""What search engines read: robots.txt, sitemap.xml and a product page's schema.org Product (JSON-LD)."""

import json
import re

import pytest
from django.urls import reverse

from .conftest import LAST_YEAR, add_photo

pytestmark = pytest.mark.django_db

ROBOTS = reverse("catalogue:public.robots")
SITEMAP = reverse("catalogue:public.sitemap")


def test_robots_lets_search_engines_into_the_catalogue_only(client, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Allow: /catalogue/\n" in text
    assert "Disallow: /\n" in text
    assert "Sitemap: https://cnnt.example.vn/sitemap.xml" in text


def test_sitemap_lists_recognised_products_only(client, catalogue, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locs = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    base = "https://cnnt.example.vn"
    assert locs[:2] == [f"{base}/", f"{base}/catalogue/"]
    products = {catalogue[k].pk for k in ("lap_suon", "chieu", "kho_ca")}
    assert sorted(locs[2:]) == sorted(f"{base}/catalogue/{pk}/" for pk in products)
    assert f"{base}/catalogue/{catalogue['mat_ong'].pk}/" not in locs  # not recognised


def test_sitemap_costs_one_query_whatever_the_data(client, catalogue, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(SITEMAP).status_code == 200


@pytest.mark.parametrize("role_fixture", [None, "producer_user", "staff_user", "member_user"])
@pytest.mark.parametrize("url", [ROBOTS, SITEMAP])
def test_robots_and_sitemap_are_public_to_everyone(client, request, role_fixture, url):
    """Permission matrix rows for the two public addresses: every role and no sign-in get the same 200."""
    if role_fixture:
        client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_product_page_describes_the_product_in_json_ld(client, catalogue, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    product = catalogue["lap_suon"]
    photo = add_photo(product)
    html = client.get(reverse("catalogue:public.product.detail", args=[product.pk])).content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(raw)
    assert data["@type"] == "Product"
    assert data["name"] == "Lạp sườn Tâm Hòa"
    assert data["url"] == f"https://cnnt.example.vn/catalogue/{product.pk}/"
    assert data["manufacturer"]["name"] == "HTX Tâm Hòa"
    assert data["manufacturer"]["address"]["addressRegion"] == "Cao Bằng"
    assert data["award"] == [f"Cấp tỉnh {LAST_YEAR - 1}", f"Cấp khu vực {LAST_YEAR}"]
    assert data["image"] == [f"https://cnnt.example.vn/catalogue/photos/{photo.uid}/?w=960"]
    assert "taxID" not in data
    assert product.producer.tax_code not in raw


def test_json_ld_cannot_close_its_script_element(client, catalogue):
    product = catalogue["chieu"]
    product.description = "Chiếu </script><script>alert(1)</script> & đẹp"
    product.save()
    html = client.get(reverse("catalogue:public.product.detail", args=[product.pk])).content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(raw)["description"].startswith("Chiếu </script><script>alert(1)</script> & đẹp")
