"""Vietnamese dictionary order in every list, select and export, the same on PostgreSQL (ICU, the rules of "vi-x-icu")
and on SQLite (the collation registered from portal.core.collation.vietnamese_key). CI runs these on both databases:
the lists below come from the database's ORDER BY, compared with the order a Vietnamese dictionary gives."""

import random
import re

import pytest
from django.db import connection
from django.urls import reverse

from portal.accounts.models import User
from portal.core.collation import vietnamese_key
from products.enums import OrganizationKind
from products.models import AdministrativeUnit, Organization, Producer, Product
from tests import factories
from tests.portal.exports.test_list_exports import read

pytestmark = pytest.mark.django_db

# a ă â b c d đ e ê …, the tones after the letters (ngang, huyền, hỏi, ngã, sắc, nặng), lower case before upper.
PRODUCERS = [
    "An Khang",
    "Ăn Lành",
    "Âu Cơ",
    "Bánh khảo Bảo",
    "Bánh khảo Bình",
    "Cà Mau Xanh",
    "Cao Bằng Xanh",
    "Công ty TNHH 688",
    "Công ty TNHH An Phú",
    "Dương Thảo",
    "Đà Nẵng Food",
    "Đại Phát",
    "Eo Gió",
    "Ê Đê",
    "Ơn Trời",
    "Xanh",
]
PRODUCTS = ["Trà ma", "Trà mà", "Trà mả", "Trà mã", "Trà má", "Trà mạ", "Trà mai", "trà Mận", "Trà mận", "Trà Mận"]


def shuffled(names):
    names = list(names)
    random.Random(17).shuffle(names)
    return names


@pytest.fixture
def registry(db):
    for name in shuffled(PRODUCERS):
        factories.producer(name, "Cao Bằng")
    maker = Producer.objects.get(name="Xanh")
    for name in shuffled(PRODUCTS):
        factories.product(maker, name)


def test_the_python_key_gives_the_dictionary_order():
    assert sorted(shuffled(PRODUCERS), key=vietnamese_key) == PRODUCERS
    assert sorted(shuffled(PRODUCTS), key=vietnamese_key) == PRODUCTS


def test_the_database_sorts_producers_and_products_in_dictionary_order(registry):
    assert list(Producer.objects.values_list("name", flat=True)) == PRODUCERS
    assert list(Product.objects.values_list("name", flat=True)) == PRODUCTS


def test_the_staff_lists_and_their_exports_are_in_dictionary_order(client, registry, staff_user):
    client.force_login(staff_user)
    producers = client.get(reverse("products:staff.producer.list"))
    assert [p.name for p in producers.context["producers"]] == PRODUCERS
    products = client.get(reverse("products:staff.product.list"))
    assert [p.name for p in products.context["products"]] == PRODUCTS
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("products:staff.producer.list"), {"export": fmt})
        rows = read(response, fmt)
        assert [value for row in rows for value in row if value in PRODUCERS] == PRODUCERS


def test_the_public_catalogue_lists_products_in_dictionary_order(client, superuser):
    from tests.portal.catalogue.conftest import recognise

    maker = factories.producer("HTX Bánh khảo Trùng Khánh", "Cao Bằng")
    expected = ["Bánh khảo Bào", "Bánh khảo Bảo", "Bánh khảo Bình", "Dưa muối", "Đậu phụ", "Ếch khô"]
    for name in shuffled(expected):
        recognise(factories.product(maker, name), superuser)
    response = client.get(reverse("catalogue:public.product.list"), {"sort": "name"})
    assert [p.name for p in response.context["products"]] == expected


def test_registration_offers_provinces_in_dictionary_order(client):
    page = client.get(reverse("accounts:register")).content.decode()
    select = re.search(r'<select name="producer-province".*?</select>', page, re.S).group(0)
    names = [
        re.sub(r"^(Tỉnh|Thành phố) ", "", label) for label in re.findall(r'<option value="\d+"[^>]*>([^<]+)', select)
    ]
    assert len(names) == 34
    assert names == sorted(names, key=vietnamese_key)
    assert names.index("Cà Mau") < names.index("Cao Bằng") < names.index("Cần Thơ") < names.index("Đà Nẵng")
    assert names.index("Đồng Tháp") < names.index("Gia Lai")


def test_communes_of_a_province_are_in_dictionary_order(client):
    cao_bang = factories.province("Cao Bằng")
    response = client.get(reverse("products:unit.options"), {"producer-province": cao_bang.pk})
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]+)', response.content.decode())
    expected = [u.full_name for u in sorted(cao_bang.children.all(), key=lambda u: vietnamese_key(u.name))]
    assert len(labels) == cao_bang.children.count() > 10
    assert labels == expected


def test_database_and_python_agree_on_random_names_with_tones_case_digits_and_punctuation():
    rng = random.Random(2026)
    syllables = "a à ả ã á ạ ă ằ ẳ ẵ ắ ặ â ầ ấ ậ b c d đ e è é ê ề ế g h i ì í k l m n o ò ó ô ồ ố ơ ờ ớ"
    syllables += " p q r s t u ù ú ư ừ ứ v x y ý"
    pieces = [*syllables.split(), " ", "-", "(", ")", ".", ",", "&", "/", "0", "1", "9"]
    names = set()
    while len(names) < 400:
        name = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))).strip()
        names.add(name.capitalize() if rng.random() < 0.5 else name.upper() if rng.random() < 0.2 else name)
    names.discard("")
    Organization.objects.bulk_create(Organization(name=n, kind=OrganizationKind.MINISTRY_AGENCY) for n in names)
    assert list(Organization.objects.order_by("name").values_list("name", flat=True)) == sorted(
        names, key=vietnamese_key
    )


def test_names_differing_only_in_case_or_tone_stay_distinct():
    for name in ("Hà Nội", "hà nội", "Ha Noi"):
        Organization.objects.create(name=name, kind=OrganizationKind.MINISTRY_AGENCY)
    assert list(Organization.objects.filter(name="hà nội").values_list("name", flat=True)) == ["hà nội"]
    assert list(Organization.objects.values_list("name", flat=True)) == ["Ha Noi", "hà nội", "Hà Nội"]


def test_people_are_listed_in_dictionary_order():
    for name in ("Đặng Văn Bình", "Dương Thị Hoa", "Đàm Thị Hường", "Bế Văn Đức"):
        factories.UserFactory(full_name=name)
    assert list(User.objects.order_by("full_name").values_list("full_name", flat=True)) == [
        "Bế Văn Đức",
        "Dương Thị Hoa",
        "Đàm Thị Hường",
        "Đặng Văn Bình",
    ]


@pytest.mark.parametrize("index", ["producer_name_id", "product_name_id", "producer_province_name"])
def test_the_sort_indexes_are_built_on_the_vietnamese_collation(index):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.collname FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid, "
                "unnest(i.indkey::int2[], i.indcollation::oid[]) AS k(attnum, coll) "
                "JOIN pg_attribute a ON a.attnum = k.attnum LEFT JOIN pg_collation c ON c.oid = k.coll "
                "WHERE x.relname = %s AND a.attrelid = i.indrelid AND a.attname = 'name'",
                [index],
            )
        else:
            cursor.execute("SELECT coll FROM pragma_index_xinfo(%s) WHERE name = 'name'", [index])
        assert cursor.fetchall() == [("vietnamese",)]


def test_units_and_provinces_sort_the_same_in_python_and_in_the_database():
    names = list(AdministrativeUnit.objects.filter(level="province").order_by("name").values_list("name", flat=True))
    assert len(names) == 34 + 63
    assert names == sorted(names, key=vietnamese_key)
