"""Demo data: Hà Giang's SPCNNTTB targets for 2022–2030 (DOMAIN §6): 73 products recognised at district level and
63 at province level over the period, of which 12 and 10 in 2022. Hà Giang is the old province, merged into
Tuyên Quang on 1 July 2025: the targets stay on the old province and count its producers' recognitions.

The source gives only the targets. So that the report's actual column means something, a few Hà Giang
recognitions are recorded below from the generated Hà Giang products; how many, in which years and with which
decision numbers is an ASSUMPTION of the demo, not a published figure (each row's note says so).

Called by `manage.py load_demo`; idempotent (get_or_create on the targets; the recognitions are skipped when
Hà Giang has any)."""

import datetime

from awards.enums import RecognitionSource
from awards.models import Level, Programme, Recognition, RecognitionTarget
from awards.services import recognition_valid_until
from products.models import AdministrativeUnit, Product

SOURCE = "Kế hoạch phát triển sản phẩm CNNT tiêu biểu tỉnh Hà Giang giai đoạn 2022–2030"
# (level code, year or None for the whole period, products)
TARGETS = [
    ("district", None, 73),
    ("province", None, 63),
    ("district", 2022, 12),
    ("province", 2022, 10),
]
ASSUMED_NOTE = "Dữ liệu mẫu giả định: nguồn chỉ công bố chỉ tiêu, không công bố kết quả từng năm."
# ASSUMPTION: district rounds every year from 2021, province rounds in even years; the products recognised at
# province level in a year were recognised at district level the year before (the level chain).
# (district year, products, province year or None, how many of them go up)
ASSUMED_CHAINS = [
    (2021, 10, 2022, 10),  # 2022: 10 province-level products (the 2022 target: 10)
    (2022, 11, 2024, 9),  # 2022: 11 district-level products (the 2022 target: 12)
    (2023, 12, None, 0),
    (2024, 13, None, 0),
]
DECISIONS = {
    ("district", 2021): "1025/QĐ-UBND",
    ("district", 2022): "986/QĐ-UBND",
    ("district", 2023): "1104/QĐ-UBND",
    ("district", 2024): "1187/QĐ-UBND",
    ("province", 2022): "2015/QĐ-UBND",
    ("province", 2024): "1932/QĐ-UBND",
}


def ha_giang() -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(level="province", is_current=False, name="Hà Giang")


def load_targets() -> int:
    province = ha_giang()
    levels = {level.code: level for level in Level.objects.filter(code__in={code for code, *_ in TARGETS})}
    made = 0
    for code, year, count in TARGETS:
        _target, created = RecognitionTarget.objects.get_or_create(
            province=province,
            level=levels[code],
            period_start=2022,
            period_end=2030,
            year=year,
            defaults={"count": count, "source": SOURCE},
        )
        made += created
    return made


def load_assumed_recognitions() -> int:
    province = ha_giang()
    if Recognition.objects.filter(product__producer__province=province).exists():
        return 0
    programme = Programme.objects.get(code="spcnnttb")
    levels = {level.code: level for level in Level.objects.filter(programme=programme).select_related("programme")}
    needed = sum(n for _year, n, _up, _m in ASSUMED_CHAINS)
    pool = list(Product.objects.filter(producer__province=province, is_generated=True).order_by("id")[:needed])
    rows, start = [], 0
    for district_year, count, province_year, going_up in ASSUMED_CHAINS:
        products = pool[start : start + count]
        start += count
        for i, product in enumerate(products):
            rows.append(recognition(product, levels["district"], district_year))
            if province_year and i < going_up:
                rows.append(recognition(product, levels["province"], province_year))
    Recognition.objects.bulk_create(rows)
    return len(rows)


def recognition(product, level, year) -> Recognition:
    decided = datetime.date(year, 9 if level.code == "district" else 10, 12)
    return Recognition(
        product=product,
        level=level,
        year=year,
        decision_number=DECISIONS[(level.code, year)],
        decision_date=decided,
        valid_until=recognition_valid_until(level, year=year, decision_date=decided),
        source=RecognitionSource.ARCHIVE,
        note=ASSUMED_NOTE,
    )


def load() -> dict:
    return {"recognition targets": load_targets(), "assumed Hà Giang recognitions": load_assumed_recognitions()}
