import unicodedata

import pytest
from django.urls import reverse

from products.models import Producer, Product
from products.search import fold, query_terms
from products.selectors import producer_list, product_list, search_filter
from tests import factories


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Đồng Tháp – Lạp Sườn", "dong thap - lap suon"),
        ("Chiếu trúc — Cao Bằng", "chieu truc - cao bang"),
        ("  LẠP   SƯỜN  ", "lap suon"),
        ("đường phèn", "duong phen"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_accents_case_and_extra_spaces(value, expected):
    assert fold(value) == expected


def test_fold_gives_same_result_for_decomposed_input():
    composed = "Đồng Tháp – Lạp Sườn"
    assert nfd(composed) != composed
    assert fold(nfd(composed)) == fold(composed) == "dong thap - lap suon"


def test_query_terms_split_folded_words():
    assert query_terms("  Lạp   SƯỜN ") == ["lap", "suon"]


@pytest.fixture
def catalogue(db):
    """Two producers of Cao Bằng with distinctive names and a tax code that is easy to search for."""
    dong_thap = factories.producer("HTX Nông sản Đồng Tháp", "Cao Bằng", tax_code="0109876543")
    tam_hoa = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    return {
        "dong_thap": dong_thap,
        "tam_hoa": tam_hoa,
        "lap_suon": factories.product(tam_hoa, "Lạp sườn hun khói"),
        "chieu_truc": factories.product(tam_hoa, "Chiếu trúc", group_code="1"),
        "lap_xuong": factories.product(dong_thap, "Lạp xưởng tươi"),
    }


def product_names(query, user):
    return sorted(search_filter(product_list(user), query).values_list("name", flat=True))


def producer_names(query, user):
    return sorted(search_filter(producer_list(user), query).values_list("name", flat=True))


@pytest.mark.parametrize(
    "query",
    ["lap suon", "Lạp sườn", "LẠP SƯỜN", "LAP SUON", "suo", "sườn lạp", nfd("lạp sườn"), nfd("LẠP SƯỜN")],
)
def test_product_search_finds_vietnamese_name_without_accents_case_or_order(catalogue, superuser, query):
    assert product_names(query, superuser) == ["Lạp sườn hun khói"]


def test_product_search_upper_case_partial_word_finds_every_match(catalogue, superuser):
    assert product_names("LẠP", superuser) == ["Lạp sườn hun khói", "Lạp xưởng tươi"]


def test_producer_search_without_accents_finds_dong_thap(catalogue, superuser):
    assert producer_names("dong thap", superuser) == ["HTX Nông sản Đồng Tháp"]


def test_product_search_finds_products_by_producer_name(catalogue, superuser):
    assert product_names("dong thap", superuser) == ["Lạp xưởng tươi"]


def test_search_finds_partial_tax_code(catalogue, superuser):
    assert producer_names("98765", superuser) == ["HTX Nông sản Đồng Tháp"]
    assert product_names("98765", superuser) == ["Lạp xưởng tươi"]


def test_search_has_no_false_positive(catalogue, superuser):
    # "lạp xưởng" and "lạp sườn" share a word: both words of the query must match.
    assert product_names("lap xuong", superuser) == ["Lạp xưởng tươi"]
    assert product_names("lap suon", superuser) == ["Lạp sườn hun khói"]
    assert product_names("chieu suon", superuser) == []
    assert producer_names("tam thap", superuser) == []
    assert product_names("banh chung", superuser) == []


def test_search_treats_sql_wildcards_as_text(catalogue, superuser):
    assert product_names("%", superuser) == []
    assert product_names("l_p", superuser) == []


def test_search_finds_name_stored_in_decomposed_form(superuser, producer_a):
    factories.product(producer_a, nfd("Mật ong bạc hà"))
    assert Product.objects.get().name == "Mật ong bạc hà"  # stored composed (NFC)
    assert product_names("mat ong bac ha", superuser) == ["Mật ong bạc hà"]


def test_search_text_refreshed_after_producer_rename_is_found(catalogue, superuser):
    from products import services

    services.producer_update(producer=catalogue["tam_hoa"], name="HTX Bánh cuốn Phủ Lý")
    assert product_names("banh cuon", superuser) == ["Chiếu trúc", "Lạp sườn hun khói"]
    assert product_names("tam hoa", superuser) == []


def list_names(client, url_name, query, key):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    return sorted(obj.name for obj in response.context[key])


@pytest.mark.parametrize("query", ["lap suon", "LẠP SƯỜN", "suo", nfd("lạp sườn")])
def test_product_list_view_search_finds_lap_suon(client, catalogue, staff_user, query):
    client.force_login(staff_user)
    assert list_names(client, "products:staff.product.list", query, "products") == ["Lạp sườn hun khói"]


def test_producer_list_view_search_finds_dong_thap(client, catalogue, staff_user):
    client.force_login(staff_user)
    assert list_names(client, "products:staff.producer.list", "dong thap", "producers") == ["HTX Nông sản Đồng Tháp"]
    assert list_names(client, "products:staff.producer.list", "Đồng tháp", "producers") == ["HTX Nông sản Đồng Tháp"]


def test_producer_list_view_search_by_partial_tax_code(client, catalogue, staff_user):
    client.force_login(staff_user)
    assert list_names(client, "products:staff.producer.list", "8765", "producers") == ["HTX Nông sản Đồng Tháp"]


def test_list_view_search_without_match_is_empty(client, catalogue, staff_user):
    client.force_login(staff_user)
    assert list_names(client, "products:staff.product.list", "banh chung", "products") == []
    assert list_names(client, "products:staff.producer.list", "xyz", "producers") == []


def test_list_view_search_stays_inside_staff_province(client, catalogue, other_staff_user):
    # Cà Mau staff search for a Cao Bằng product: the province scope still applies.
    factories.product(factories.producer("HTX Tân Phát Lợi", "Cà Mau"), "Lạp sườn Cà Mau")
    client.force_login(other_staff_user)
    assert list_names(client, "products:staff.product.list", "lap suon", "products") == ["Lạp sườn Cà Mau"]


def test_producer_found_by_what_it_makes(producer_a, producer_b):
    from products import services

    product = factories.product(producer_a, "Lạp sườn hun khói")
    assert list(search_filter(Producer.objects.all(), "lap suon")) == [producer_a]
    services.product_update(product=product, name="Thịt trâu gác bếp")
    assert list(search_filter(Producer.objects.all(), "lap suon")) == []
    assert list(search_filter(Producer.objects.all(), "trau gac bep")) == [producer_a]


def test_vietnamese_dictionary_order():
    from portal.core.collation import vietnamese_key

    names = ["Huế", "Đắk Lắk", "Hà Tĩnh", "Hải Phòng", "Zeta", "Hà Nội", "Lâm Đồng", "Lào Cai", "Cao Bằng", "Cà Mau"]
    assert sorted(names, key=vietnamese_key) == [
        "Cà Mau",
        "Cao Bằng",
        "Đắk Lắk",
        "Hà Nội",
        "Hà Tĩnh",
        "Hải Phòng",
        "Huế",
        "Lào Cai",
        "Lâm Đồng",
        "Zeta",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HTX Tâm Hòa", ["hop tac xa", "tam", "hoa"]),
        ("dn tư nhân", ["doanh nghiep tu nhan"]),  # DN tư nhân is DNTN, one legal form
        ("tổ hợp tác Nà Mạ", ["to hop tac", "na", "ma"]),  # typed in full: the same term as THT
        ("hợp tác", ["hop", "tac"]),
        ("HKD", ["ho kinh doanh"]),
        ("tht", ["to hop tac"]),
        ("CSSX Bánh", ["co so san xuat", "banh"]),
        ("dnx", ["dnx"]),
    ],
)
def test_query_terms_expand_legal_form_abbreviations(query, expected):
    assert query_terms(query) == expected


@pytest.mark.django_db
def test_abbreviation_and_full_form_find_each_other_in_staff_search():
    full = factories.producer(name="Hợp tác xã Tâm Hòa")
    short = factories.producer(name="HTX Miến Dong Bình Lư")
    names = {p.name for p in search_filter(Producer.objects.all(), "htx tam hoa")}
    assert names == {full.name}
    assert {p.name for p in search_filter(Producer.objects.all(), "HTX Tâm Hòa")} == {full.name}
    assert {p.name for p in search_filter(Producer.objects.all(), "hợp tác xã miến")} == {short.name}


@pytest.mark.parametrize("title", ["Hỗ trợ HTX Tâm Hòa", "Hỗ trợ Hợp tác xã Tâm Hòa"])
def test_project_title_search_matches_either_spelling_of_a_legal_form(title):
    import re

    from extension_projects.selectors import _pattern

    assert all(re.search(_pattern(term), title) for term in query_terms("htx tâm hòa"))
    # Titles have no stored expanded text: the full words find the full spelling only.
    assert all(re.search(_pattern(term), "Hỗ trợ Hợp tác xã Tâm Hòa") for term in query_terms("hợp tác xã tam hoa"))


@pytest.mark.django_db
def test_migration_expands_abbreviations_already_stored():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("products.migrations.0018_expand_abbreviations")
    producer = factories.producer(name="HTX Tâm Hòa")
    product = factories.product(producer, "Lạp sườn")
    Producer.objects.filter(pk=producer.pk).update(search_text="htx tam hoa | cssx")
    Product.objects.filter(pk=product.pk).update(search_text="lap suon | htx tam hoa")
    migration.expand(apps, None)
    assert Producer.objects.get(pk=producer.pk).search_text == "hop tac xa tam hoa | co so san xuat"
    assert Product.objects.get(pk=product.pk).search_text == "lap suon | hop tac xa tam hoa"
    assert [p.name for p in search_filter(Product.objects.all(), "HTX tam hoa")] == ["Lạp sườn"]


@pytest.mark.django_db
def test_company_abbreviations_expand_too():
    factories.producer(name="Công ty TNHH MTV Chè Shan")
    assert [p.name for p in search_filter(Producer.objects.all(), "cty mtv che")] == ["Công ty TNHH MTV Chè Shan"]


def test_query_of_two_letter_words_finds_its_rows(superuser, producer_a):
    # "bạc hà": words of two letters give a trigram index nothing to look up; the search finds the product anyway.
    factories.product(producer_a, "Mật ong bạc hà")
    factories.product(producer_a, "Bánh đa")
    assert product_names("bạc hà", superuser) == ["Mật ong bạc hà"]
    assert product_names("ha ba", superuser) == ["Mật ong bạc hà"]
