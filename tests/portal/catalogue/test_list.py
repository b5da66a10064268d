"""The public catalogue's list: recognised products only, accent-insensitive search, filters, pagination, meta and
Open Graph tags, the cache, and a query count that does not grow with the data."""

import datetime
import re

import pytest
from django.urls import reverse

from awards.models import Level
from products.models import AdministrativeUnit, ProductGroup
from tests import factories

from .conftest import LAST_YEAR, TODAY, add_photo, rate, recognise

pytestmark = pytest.mark.django_db

LIST = reverse("catalogue:public.product.list")


def names(response) -> list[str]:
    return [p.name for p in response.context["products"]]


def get(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return response


def test_anonymous_visitor_sees_only_recognised_products(client, catalogue):
    response = get(client, sort="name")
    assert names(response) == ["Chiếu trúc", "Khô cá lóc", "Lạp sườn Tâm Hòa"]
    html = response.content.decode()
    assert "Mật ong bạc hà" not in html
    assert "Danh mục sản phẩm được công nhận" in html  # Vietnamese first
    assert "3 kết quả" in html


def test_card_shows_producer_province_highest_level_and_current_stars(client, catalogue):
    response = get(client, q="lap suon")
    (card,) = response.context["products"]
    assert card.producer.name == "HTX Tâm Hòa"
    assert card.producer.current_province.name == "Cao Bằng"
    assert card.highest_level["name"] == "Cấp khu vực"
    assert [lvl["name"] for lvl in card.levels] == ["Cấp tỉnh", "Cấp khu vực"]
    assert card.ocop_stars == 4
    html = response.content.decode()
    assert f"Cấp khu vực {LAST_YEAR}" in html
    assert "4★" in html
    assert "Cấp tỉnh → Cấp khu vực" in html


def test_expired_ocop_rating_shows_no_stars(client, catalogue):
    (card,) = get(client, q="chieu truc").context["products"]
    assert card.ocop_stars is None


@pytest.mark.parametrize("query", ["lap suon", "LAP SUON", "Lạp sườn", "lạp  SƯỜN tam hoa", "cao bang lap"])
def test_accent_free_search_finds_diacritic_names(client, catalogue, query):
    assert names(get(client, q=query)) == ["Lạp sườn Tâm Hòa"]


def test_search_by_producer_name_and_province(client, catalogue):
    assert names(get(client, q="tan phat loi")) == ["Khô cá lóc"]
    assert names(get(client, q="ca mau")) == ["Khô cá lóc"]


def test_search_never_matches_a_tax_code(client, catalogue):
    """Product texts hold the producer's tax code for staff search; the public cannot probe it."""
    tax_code = catalogue["tam_hoa"].tax_code
    assert names(get(client, q=tax_code)) == []
    assert names(get(client, q=tax_code[:6])) == []
    # Digits that are part of a name are still found.
    assert names(get(client, q="688")) == ["Chiếu trúc"]


def test_search_without_match_says_so(client, catalogue):
    response = get(client, q="khong co san pham nay")
    assert names(response) == []
    assert "Không có sản phẩm được công nhận nào khớp" in response.content.decode()


def test_filter_by_province_today(client, catalogue):
    ca_mau = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cà Mau")
    assert names(get(client, province=ca_mau.pk)) == ["Khô cá lóc"]


def test_filter_by_province_includes_producers_recorded_under_an_old_province(client, superuser):
    old = AdministrativeUnit.objects.filter(level="province", is_current=False, successor__isnull=False).first()
    product = factories.product(factories.producer("HTX Cũ", old.name, current=False), "Mắm tôm chua")
    recognise(product, superuser, "district", 2018)
    assert names(get(client, province=old.successor_id)) == ["Mắm tôm chua"]
    (card,) = get(client, province=old.successor_id).context["products"]
    assert card.producer.current_province.name == old.successor.name


def test_filter_by_group(client, catalogue):
    group_1 = ProductGroup.objects.get(code="1")
    assert names(get(client, group=group_1.pk)) == ["Chiếu trúc"]


def test_filter_by_level_reached(client, catalogue):
    province_rank = Level.objects.get(programme__code="spcnnttb", code="province").rank
    national_rank = Level.objects.get(programme__code="spcnnttb", code="national").rank
    assert names(get(client, level=province_rank)) == ["Lạp sườn Tâm Hòa"]
    assert names(get(client, level=national_rank)) == ["Khô cá lóc"]


def test_level_options_merge_district_and_commune(client, catalogue):
    labels = dict(get(client).context["options"]["levels"])
    assert any("Cấp huyện" in label and "Cấp xã" in label for label in labels.values())


def test_filter_by_current_stars(client, catalogue, superuser):
    assert names(get(client, stars=4)) == ["Lạp sườn Tâm Hòa"]
    # The earlier 3★ of Lạp sườn and the expired 3★ of Chiếu trúc do not count.
    assert names(get(client, stars=3)) == []
    rate(catalogue["kho_ca"], superuser, 3, TODAY - datetime.timedelta(days=10))
    assert names(get(client, stars=3)) == ["Khô cá lóc"]


def test_filters_combine_and_unknown_values_are_ignored(client, catalogue):
    cao_bang = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    assert names(get(client, province=cao_bang.pk, q="chieu")) == ["Chiếu trúc"]
    assert len(names(get(client, province="99999999", group="abc", level="-1", stars="9"))) == 3


def test_filter_inputs_have_labels(client, catalogue):
    html = get(client).content.decode()
    for field in ("q", "province", "group", "level", "stars"):
        assert f'<label for="catalogue-{field}">' in html
        assert f'id="catalogue-{field}" name="{field}"' in html
    assert 'role="search"' in html


def test_pagination(client, superuser):
    producer = factories.producer("HTX Đông Khê", "Cao Bằng")
    for i in range(30):
        recognise(factories.product(producer, f"Miến dong {i:02d}"), superuser, "province", 2020)
    first = get(client, sort="name")
    assert len(names(first)) == 24
    assert names(first)[0] == "Miến dong 00"
    second = get(client, sort="name", page=2)
    assert names(second) == [f"Miến dong {i:02d}" for i in range(24, 30)]
    assert "trang 2/2" in second.content.decode()
    # A page past the end shows the last page.
    assert names(get(client, sort="name", page=9)) == names(second)
    # The query string is kept in the page links.
    html = get(client, q="mien").content.decode()
    assert "?q=mien&amp;page=2" in html


def test_meta_description_canonical_and_open_graph(client, catalogue, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    add_photo(catalogue["chieu"])
    html = get(client).content.decode()
    assert '<meta name="description" content="3 sản phẩm công nghiệp nông thôn tiêu biểu' in html
    assert '<link rel="canonical" href="https://cnnt.example.vn/catalogue/">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<meta property="og:url" content="https://cnnt.example.vn/catalogue/">' in html
    assert '<meta property="og:title" content="Danh mục sản phẩm được công nhận">' in html
    assert re.search(r'<meta property="og:image" content="https://cnnt\.example\.vn/catalogue/photos/[0-9a-f-]+/', html)
    assert '<meta property="og:description"' in html


def test_card_photos_have_alt_text(client, catalogue):
    add_photo(catalogue["lap_suon"], caption="Lạp sườn treo gác bếp")
    add_photo(catalogue["chieu"])
    html = get(client).content.decode()
    assert 'alt="Lạp sườn treo gác bếp"' in html
    assert 'alt="Ảnh sản phẩm Chiếu trúc"' in html
    assert "<img" in html
    assert 'alt=""' not in html


def test_page_has_landmarks_and_one_h1(client, catalogue):
    html = get(client).content.decode()
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert '<nav class="pagination"' in html
    assert html.index("<h1") < html.index('<h2 id="product-')


def test_home_page_links_to_the_catalogue(client):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{LIST}"' in html


def test_newly_recognised_product_shows_at_once_despite_the_cache(client, catalogue, superuser, settings):
    settings.CATALOGUE_CACHE_SECONDS = 300
    assert names(get(client, q="mat ong")) == []
    assert get(client).context["page_obj"].paginator.count == 3
    recognise(catalogue["mat_ong"], superuser, "province", 2020)
    assert names(get(client, q="mat ong")) == ["Mật ong bạc hà"]
    assert get(client).context["page_obj"].paginator.count == 4


def test_cache_can_be_switched_off(client, catalogue, settings, count_queries):
    settings.CATALOGUE_CACHE_SECONDS = 0
    uncached, _response = count_queries(client, LIST)
    settings.CATALOGUE_CACHE_SECONDS = 60
    cached, _response = count_queries(client, LIST)
    assert cached < uncached


def _add_recognised(superuser, n, start=0):
    producers = [factories.producer(f"Cơ sở {k}", name) for k, name in enumerate(["Cao Bằng", "Cà Mau", "Huế"])]
    for i in range(start, start + n):
        product = factories.product(producers[i % 3], f"Sản phẩm {i:03d}", group_code=str(i % 4 + 1))
        recognise(product, superuser, "province", 2020 + i % 3)
        if i % 2:
            recognise(product, superuser, "region", 2024)
        rate(product, superuser, 3 + i % 3, TODAY - datetime.timedelta(days=30 + i))
        add_photo(product)


@pytest.mark.parametrize("params", [{}, {"q": "san pham"}, {"stars": "3"}, {"level": "2", "group": "1"}, {"page": "2"}])
def test_query_count_does_not_grow_with_the_data(client, superuser, count_queries, params, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0  # every read made, none from the cache
    _add_recognised(superuser, 1)
    small, _response = count_queries(client, LIST, params)
    _add_recognised(superuser, 40, start=1)
    large, response = count_queries(client, LIST, params)
    assert large == small
    assert large <= 9  # version, 4 for the filter options (levels, provinces, groups, the counts), count, keys, rows,
    # their recognitions
    assert response.context["products"]


def test_warm_cache_costs_one_query(client, superuser, count_queries, settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    _add_recognised(superuser, 30)
    for params in ({}, {"page": "2"}, {"q": "san pham", "stars": "4"}):
        queries, response = count_queries(client, LIST, params)
        assert queries == 1  # the data version
        assert response.context["products"]


def test_new_photo_shows_at_once_despite_the_cache(client, catalogue, settings):
    settings.CATALOGUE_CACHE_SECONDS = 300
    (card,) = get(client, q="chieu truc").context["products"]
    assert card.photo_src == ""
    photo = add_photo(catalogue["chieu"])
    (card,) = get(client, q="chieu truc").context["products"]
    assert str(photo.uid) in card.photo_src


@pytest.mark.parametrize("role_fixture", ["producer_user", "staff_user", "member_user", "other_staff_user"])
def test_signed_in_users_see_the_same_public_list(client, catalogue, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert names(get(client, sort="name")) == ["Chiếu trúc", "Khô cá lóc", "Lạp sườn Tâm Hòa"]


def test_list_reveals_nothing_private(client, catalogue):
    html = get(client).content.decode()
    producer = catalogue["tam_hoa"]
    for private in (producer.tax_code, producer.phone, producer.email, "Nguyễn Thanh Tâm", "74.5", "74,5"):
        assert private not in html


def test_provinces_in_the_filter_are_in_vietnamese_order(client):
    page = client.get(reverse("catalogue:public.product.list")).content.decode()
    select = page.split('name="province"', 1)[1].split("</select>", 1)[0]
    positions = [select.index(f">{name}<") for name in ("Cà Mau", "Cao Bằng", "Đắk Lắk", "Hà Nội", "Huế", "Lâm Đồng")]
    assert positions == sorted(positions)


def test_search_ranks_product_names_before_producer_names(client, superuser):
    """Testers' case: "mien dong" listed a coffee first because its producer's name matched."""
    coffee_maker = factories.producer("HTX Miến Dong Ba Bể", "Cao Bằng")
    for name in ("Cà phê Arabica", "Chè shan tuyết", "Bánh khảo"):
        recognise(factories.product(coffee_maker, name), superuser, "province", 2024)
    other = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    recognise(factories.product(other, "Bún khô miến dong"), superuser, "province", 2020)
    recognise(factories.product(other, "Miến dong Bình Lư"), superuser, "province", 2020)
    recognise(factories.product(other, "Miến dong"), superuser, "province", 2019)
    response = get(client, q="mien dong")
    assert names(response) == [
        "Miến dong",  # the name itself
        "Miến dong Bình Lư",  # a name starting with it
        "Bún khô miến dong",  # a name holding the words
        "Bánh khảo",  # only the producer's name matches
        "Cà phê Arabica",
        "Chè shan tuyết",
    ]
    assert '<option value="relevance" selected>Phù hợp nhất</option>' in response.content.decode()
    assert names(get(client, q="mien dong", sort="name"))[:2] == ["Bánh khảo", "Bún khô miến dong"]


def test_abbreviated_legal_form_finds_the_producer(client, superuser):
    producer = factories.producer("Hợp tác xã Tâm Hòa", "Cao Bằng")
    recognise(factories.product(producer, "Lạp sườn"), superuser, "province", 2020)
    assert names(get(client, q="HTX Tâm Hòa")) == ["Lạp sườn"]
    assert names(get(client, q="htx tam hoa")) == ["Lạp sườn"]


def test_without_a_search_the_newest_recognitions_come_first(client, superuser):
    producer = factories.producer("HTX Đông Khê", "Cao Bằng")
    recognise(factories.product(producer, "Bánh khảo"), superuser, "province", 2019)
    recognise(factories.product(producer, "Miến dong"), superuser, "province", 2024)
    recognise(factories.product(producer, "Chè"), superuser, "province", 2021)
    response = get(client)
    assert names(response) == ["Miến dong", "Chè", "Bánh khảo"]
    html = response.content.decode()
    assert '<option value="newest" selected>Mới công nhận</option>' in html
    assert 'value="relevance"' not in html  # nothing to be relevant to
    assert names(get(client, sort="name")) == ["Bánh khảo", "Chè", "Miến dong"]
    assert names(get(client, sort="relevance")) == ["Miến dong", "Chè", "Bánh khảo"]  # falls back to newest
    assert names(get(client, sort="bogus")) == ["Miến dong", "Chè", "Bánh khảo"]


def test_a_producer_recorded_under_an_old_province_shows_both_names_and_can_be_filtered(client, superuser):
    ha_giang = factories.province("Hà Giang", current=False)
    assert ha_giang.successor.name == "Tuyên Quang"
    product = factories.product(factories.producer("HTX Chè Shan", "Hà Giang", current=False), "Chè shan tuyết")
    recognise(product, superuser, "province", 2020)
    recognise(factories.product(factories.producer("HTX Sơn Dương", "Tuyên Quang"), "Chè xanh"), superuser)
    html = get(client, q="che shan").content.decode()
    assert "Hà Giang (cũ) → Tuyên Quang" in html
    assert '<label for="catalogue-old_province">Tỉnh trước 01/07/2025</label>' in html
    assert names(get(client, old_province=ha_giang.pk)) == ["Chè shan tuyết"]
    assert sorted(names(get(client, province=ha_giang.successor_id))) == ["Chè shan tuyết", "Chè xanh"]
    assert "Tuyên Quang (cũ)" not in get(client, q="che xanh").content.decode()
    detail = client.get(reverse("catalogue:public.product.detail", args=[product.pk])).content.decode()
    assert "Hà Giang (cũ) → Tuyên Quang" in detail


def test_home_page_shows_the_newest_recognitions_as_cards(client, superuser):
    producer = factories.producer("HTX Đông Khê", "Cao Bằng")
    for year, name in enumerate(["Bánh khảo", "Chè", "Miến dong", "Mật ong", "Gạo nếp", "Lạp sườn", "Trà hoa"]):
        recognise(factories.product(producer, name), superuser, "province", 2018 + year)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert "Sản phẩm mới được công nhận" in html
    assert [p.name for p in response.context["newest_products"]] == [
        "Trà hoa",
        "Lạp sườn",
        "Gạo nếp",
        "Mật ong",
        "Miến dong",
        "Chè",
    ]
    assert "Bánh khảo" not in html  # the oldest, seventh
    assert f"Cấp tỉnh {2018 + 6}" in html
    assert '<h3 id="product-' in html


def test_a_card_without_photo_shows_its_group_instead_of_an_empty_frame(client, catalogue):
    html = get(client, q="khô cá").content.decode()
    assert '<span class="no-photo-group">' in html
    assert "Chưa có ảnh" in html  # for screen readers


def test_browse_tiles_count_recognised_products_by_province_and_group(client, catalogue):
    html = get(client).content.decode()
    assert "Theo tỉnh" in html
    cao_bang = AdministrativeUnit.objects.get(level="province", is_current=True, name="Cao Bằng")
    # Lạp sườn and Chiếu trúc are recognised in Cao Bằng; Mật ong bạc hà is not recognised.
    assert re.search(
        rf'href="\?province={cao_bang.pk}"><span class="tile-name">Cao Bằng</span> '
        r'<span class="tile-count">2 sản phẩm</span>',
        html,
    )
    assert "Hà Nội</span>" not in html  # no recognised product there: no tile
    group = ProductGroup.objects.get(code="2")
    assert (
        f'href="?group={group.pk}"><span class="tile-name">{group.name}</span> <span class="tile-count">2 sản phẩm'
        in html
    )
    assert "Theo tỉnh" not in get(client, q="lap").content.decode()  # a search shows its results only


def test_canonical_of_a_later_page_in_another_order_is_the_first_page(client, superuser, settings):
    settings.PUBLIC_BASE_URL = "https://cnnt.example.vn"
    producer = factories.producer("HTX Đông Khê", "Cao Bằng")
    for i in range(25):
        recognise(factories.product(producer, f"Miến dong {i:02d}"), superuser, "province", 2020)
    assert (
        '<link rel="canonical" href="https://cnnt.example.vn/catalogue/?page=2">'
        in get(client, page=2).content.decode()
    )
    html = get(client, page=2, sort="name").content.decode()
    assert '<link rel="canonical" href="https://cnnt.example.vn/catalogue/">' in html


def test_newest_first_orders_products_by_their_newest_recognition_at_any_page(client, superuser):
    """Products recognised at several levels and years, some in the same year: the list's default order is each
    product's newest recognition (year, then the latest recorded), page after page, with and without a filter."""
    import random

    from awards.models import Recognition
    from portal.catalogue import ranking, selectors

    rng = random.Random(7)
    producer = factories.producer("HTX Đông Khê", "Cao Bằng")
    other_group = ProductGroup.objects.exclude(pk=factories.product(producer, "Mẫu").group_id).first()
    awards = []
    for i in range(30):
        product = factories.product(producer, f"Sản phẩm {i:02d}")
        if i % 3 == 0:
            product.group = other_group
            product.save(update_fields=["group"])
        for code in rng.sample(["district", "province", "region", "national"], rng.randint(1, 3)):
            awards.append((product, code, rng.choice([2019, 2021, 2021, 2024])))
    rng.shuffle(awards)  # recorded in any order: a product's recognitions of one year are not consecutive rows
    for product, code, year in awards:
        recognise(product, superuser, code, year)
    newest = {}
    for product_id, year, pk in Recognition.objects.values_list("product_id", "year", "pk"):
        newest[product_id] = max(newest.get(product_id, (0, 0)), (year, pk))
    for query in (selectors.CatalogueQuery(), selectors.CatalogueQuery(group=other_group.pk)):
        products = selectors.filtered_products(query)
        expected = sorted(products.values_list("pk", flat=True), key=lambda pk: newest[pk], reverse=True)
        pages = [
            ranking.page_keys(products, query.sort, query.q, bottom, bottom + 7, filtered=query.is_filtered)
            for bottom in range(0, len(expected), 7)
        ]
        assert [pk for page in pages for pk in page] == expected
    first_page = [p.name for p in get(client).context["products"]]
    assert first_page[0] == Recognition.objects.order_by("-year", "-pk").first().product.name
