import io

import pytest
from django.core.management import call_command

from products.models import AdministrativeUnit, Producer, Product
from products.search import fold
from products.services import producer_search_text, product_search_text

from .. import factories

pytestmark = pytest.mark.django_db


def run(count, **options):
    out = io.StringIO()
    call_command("generate_scale", products=count, stdout=out, **options)
    return out.getvalue()


def scale_products():
    return Product.objects.filter(is_generated=True, producer__tax_code__startswith="9")


def test_generates_the_requested_products_across_all_current_provinces():
    run(300, batch=70)

    products = scale_products().select_related("producer", "producer__current_province", "producer__unit")
    assert products.count() == 300
    producers = Producer.objects.filter(is_generated=True, tax_code__startswith="9")
    # About one producer per 2.5 products.
    assert 300 / 3.2 < producers.count() < 300 / 1.9

    current = set(AdministrativeUnit.objects.filter(level="province", is_current=True).values_list("id", flat=True))
    assert len(current) == 34
    assert set(producers.values_list("current_province_id", flat=True)) == current

    for product in products:
        producer = product.producer
        assert product.is_generated
        assert producer.is_generated
        assert producer.current_province_id in current
        assert producer.province_id == producer.current_province_id
        assert producer.unit.parent_id == producer.current_province_id
        assert producer.unit.is_current
        assert product.search_text == product_search_text(product, producer)
        assert fold(product.name) in product.search_text

    for producer in producers:
        assert producer.search_text == producer_search_text(producer)
        assert len(producer.tax_code) == 10
        assert producer.tax_code.isdigit()
        producer.full_clean()  # valid as a form would save it (tax code format, lengths, choices)

    # Vietnamese names with diacritics, and food (group 2) the most common group.
    assert any(name != fold(name) for name in products.values_list("name", flat=True))
    by_group = {code: products.filter(group__code=code).count() for code in "1234"}
    assert max(by_group, key=by_group.get) == "2"


def test_rerun_adds_nothing_and_a_larger_target_adds_only_the_difference():
    run(120)
    tax_codes = set(Producer.objects.values_list("tax_code", flat=True))

    assert "nothing added" in run(120)
    assert scale_products().count() == 120
    assert set(Producer.objects.values_list("tax_code", flat=True)) == tax_codes

    run(150)
    assert scale_products().count() == 150
    assert len(set(Producer.objects.values_list("tax_code", flat=True))) == Producer.objects.count()


def test_leaves_other_producers_alone():
    other = factories.producer("HTX Tâm Hòa", "Cao Bằng")
    factories.product(other, "Lạp sườn Tâm Hòa")

    run(50)

    assert scale_products().count() == 50
    assert Product.objects.count() == 51
    assert not Producer.objects.filter(is_generated=False).exclude(pk=other.pk).exists()
