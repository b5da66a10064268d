"""Default programme configuration following DOMAIN rules (Thông tư 26/2014/TT-BCT, 14/2018/TT-BCT and
38/2025/TT-BCT). Everything here is data: staff edit it in the admin."""

import datetime

from django.db import migrations

LEVELS = [
    # code, name, rank, area, organiser, next, letter, lower certificate, valid_from, valid_until
    ("district", "Cấp huyện", 1, "district", "peoples_committee", "province", "H", False, None,
     datetime.date(2025, 6, 30)),
    ("commune", "Cấp xã", 1, "commune", "peoples_committee", "province", "X", False, datetime.date(2025, 7, 1), None),
    ("province", "Cấp tỉnh", 2, "province", "peoples_committee", "region", "T", False, None, None),
    ("region", "Cấp khu vực", 3, "region", "ministry_agency", "national", "KV", True, None, None),
    ("national", "Cấp quốc gia", 4, "national", "ministry_agency", None, "QG", True, None, None),
]
# document type code, required, product group code (None: every group)
CHECKLIST = [
    ("registration", True, None),
    ("product_description", True, None),
    ("quality_certificate", False, None),
    ("self_declaration", False, None),
    ("food_safety", False, "2"),
    ("trademark", False, None),
    ("commendation", False, None),
    ("other", False, None),
]
REGIONS = {
    ("bac", "Khu vực phía Bắc"): [
        "Hà Nội", "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai", "Thái Nguyên", "Lạng Sơn",
        "Quảng Ninh", "Bắc Ninh", "Phú Thọ", "Hải Phòng", "Hưng Yên", "Ninh Bình",
    ],
    ("trung-tay-nguyen", "Khu vực miền Trung – Tây Nguyên"): [
        "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa",
        "Đắk Lắk", "Lâm Đồng",
    ],
    ("nam", "Khu vực phía Nam"): [
        "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
    ],
}


def load(apps, schema_editor):
    Programme = apps.get_model("awards", "Programme")
    Level = apps.get_model("awards", "Level")
    LevelChecklistItem = apps.get_model("awards", "LevelChecklistItem")
    Region = apps.get_model("awards", "Region")
    DocumentType = apps.get_model("products", "DocumentType")
    ProductGroup = apps.get_model("products", "ProductGroup")
    AdministrativeUnit = apps.get_model("products", "AdministrativeUnit")

    programme, _ = Programme.objects.get_or_create(
        code="spcnnttb",
        defaults={
            "name": "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
            "legal_basis": "Thông tư 26/2014/TT-BCT, sửa đổi bởi Thông tư 14/2018/TT-BCT; Thông tư 38/2025/TT-BCT",
        },
    )
    levels = {}
    for code, name, rank, area, organiser, _next, letter, lower, valid_from, valid_until in LEVELS:
        levels[code], _ = Level.objects.get_or_create(
            programme=programme, code=code,
            defaults={"name": name, "rank": rank, "area_kind": area, "organiser_kind": organiser,
                      "receipt_letter": letter, "requires_lower_certificate": lower, "valid_from": valid_from,
                      "valid_until": valid_until},
        )
    for code, *_rest in LEVELS:
        next_code = dict((row[0], row[5]) for row in LEVELS)[code]
        if next_code and levels[code].next_level_id is None:
            levels[code].next_level = levels[next_code]
            levels[code].save(update_fields=["next_level"])
    doc_types = {d.code: d for d in DocumentType.objects.all()}
    groups = {g.code: g for g in ProductGroup.objects.all()}
    for level in levels.values():
        for doc_code, required, group_code in CHECKLIST:
            LevelChecklistItem.objects.get_or_create(
                level=level, document_type=doc_types[doc_code], group=groups.get(group_code),
                defaults={"required": required},
            )
    provinces = {u.name: u for u in AdministrativeUnit.objects.filter(level="province", is_current=True)}
    for (code, name), members in REGIONS.items():
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
        region.provinces.add(*[provinces[m] for m in members])


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial"), ("products", "0003_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
