"""The default programme that migration 0002 loads: the level chain with its validity dates, the regions and
the default dossier checklist. Staff edit these rows later; the defaults must match the regulations."""

import datetime

import pytest

from awards.enums import AreaKind
from awards.models import Level, LevelChecklistItem, Region
from products.models import AdministrativeUnit, ProductGroup

from .helpers import level, programme

LEVEL_CODES = ["district", "commune", "province", "region", "national"]


def test_default_programme_has_the_five_levels(db):
    codes = set(Level.objects.filter(programme=programme()).values_list("code", flat=True))
    assert codes == set(LEVEL_CODES)


@pytest.mark.parametrize(
    ("code", "next_code"),
    [
        ("district", "province"),
        ("commune", "province"),
        ("province", "region"),
        ("region", "national"),
        ("national", None),
    ],
)
def test_level_chain_leads_to_the_next_level(db, code, next_code):
    next_level = level(code).next_level
    assert (next_level.code if next_level else None) == next_code


@pytest.mark.parametrize(
    ("code", "area_kind", "rank"),
    [
        ("district", AreaKind.DISTRICT, 1),
        ("commune", AreaKind.COMMUNE, 1),
        ("province", AreaKind.PROVINCE, 2),
        ("region", AreaKind.REGION, 3),
        ("national", AreaKind.NATIONAL, 4),
    ],
)
def test_level_area_and_rank_follow_the_chain(db, code, area_kind, rank):
    lvl = level(code)
    assert (lvl.area_kind, lvl.rank) == (area_kind, rank)


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (datetime.date(2014, 1, 1), True),
        (datetime.date(2025, 6, 30), True),
        (datetime.date(2025, 7, 1), False),
        (datetime.date(2026, 11, 25), False),
    ],
)
def test_district_level_is_valid_until_30_june_2025(db, day, valid):
    assert level("district").is_valid_on(day) is valid


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (datetime.date(2014, 1, 1), False),
        (datetime.date(2025, 6, 30), False),
        (datetime.date(2025, 7, 1), True),
        (datetime.date(2030, 1, 1), True),
    ],
)
def test_commune_level_is_valid_from_1_july_2025(db, day, valid):
    assert level("commune").is_valid_on(day) is valid


@pytest.mark.parametrize("code", ["province", "region", "national"])
def test_upper_levels_are_valid_before_and_after_the_reform(db, code):
    lvl = level(code)
    assert lvl.is_valid_on(datetime.date(2018, 5, 1))
    assert lvl.is_valid_on(datetime.date(2025, 6, 30))
    assert lvl.is_valid_on(datetime.date(2025, 7, 1))


@pytest.mark.parametrize(
    ("code", "requires_lower_certificate"),
    [("district", False), ("commune", False), ("province", False), ("region", True), ("national", True)],
)
def test_level_defaults_for_photos_and_lower_certificate(db, code, requires_lower_certificate):
    lvl = level(code)
    assert lvl.min_photos == 3
    assert lvl.requires_lower_certificate is requires_lower_certificate


def test_regions_cover_every_current_province_exactly_once(db):
    current = AdministrativeUnit.objects.filter(level="province", is_current=True)
    assert current.count() == 34
    members = list(Region.provinces.through.objects.values_list("administrativeunit_id", flat=True))
    assert sorted(members) == sorted(current.values_list("pk", flat=True))


def test_there_are_three_regions(db):
    assert set(Region.objects.values_list("code", flat=True)) == {"bac", "trung-tay-nguyen", "nam"}


@pytest.mark.parametrize(
    ("province_name", "region_code"),
    [("Cao Bằng", "bac"), ("Hà Nội", "bac"), ("Đắk Lắk", "trung-tay-nguyen"), ("Cà Mau", "nam")],
)
def test_province_belongs_to_its_region(db, province_name, region_code):
    regions = Region.objects.filter(provinces__name=province_name, provinces__is_current=True)
    assert list(regions.values_list("code", flat=True)) == [region_code]


@pytest.mark.parametrize("code", LEVEL_CODES)
@pytest.mark.parametrize("document_code", ["registration", "product_description"])
def test_default_checklist_requires_document_for_every_group_at_every_level(db, code, document_code):
    items = LevelChecklistItem.objects.filter(level=level(code), document_type__code=document_code)
    assert [(item.group_id, item.required) for item in items] == [(None, True)]


@pytest.mark.parametrize("code", LEVEL_CODES)
def test_default_checklist_asks_food_safety_only_for_group_2(db, code):
    items = LevelChecklistItem.objects.filter(level=level(code), document_type__code="food_safety")
    assert [item.group for item in items] == [ProductGroup.objects.get(code="2")]


@pytest.mark.parametrize("code", LEVEL_CODES)
def test_default_checklist_has_no_other_group_specific_item(db, code):
    specific = LevelChecklistItem.objects.filter(level=level(code), group__isnull=False)
    assert list(specific.values_list("document_type__code", flat=True)) == ["food_safety"]
