"""Reference data the portal cannot work without: administrative units (today's and before 1 July 2025),
the four product groups of Thông tư 26/2014/TT-BCT and the document types of a dossier. All of it stays
editable in the admin."""

from django.db import migrations

GROUPS = [
    ("1", "Thủ công mỹ nghệ", 1),
    ("2", "Chế biến nông, lâm, thủy sản và thực phẩm", 2),
    ("3", "Thiết bị, máy móc, dụng cụ và phụ tùng cơ khí", 3),
    ("4", "Sản phẩm khác", 4),
]

DOCUMENT_TYPES = [
    # code, name, scope, has_expiry, order
    ("registration", "Giấy chứng nhận đăng ký doanh nghiệp / hợp tác xã / hộ kinh doanh", "producer", False, 1),
    ("food_safety", "Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "producer", True, 2),
    ("environment", "Hồ sơ, giấy phép về bảo vệ môi trường", "producer", False, 3),
    ("product_description", "Bản thuyết minh sản phẩm", "product", False, 10),
    ("quality_certificate", "Giấy chứng nhận chất lượng, tiêu chuẩn sản phẩm", "product", True, 11),
    ("self_declaration", "Bản tự công bố sản phẩm", "product", False, 12),
    ("trademark", "Giấy chứng nhận đăng ký nhãn hiệu", "product", True, 13),
    ("commendation", "Bằng khen, giấy khen, giải thưởng", "product", False, 14),
    ("other", "Tài liệu khác", "product", False, 99),
]


def load(apps, schema_editor):
    from products.units import load_administrative_units

    load_administrative_units(apps.get_model("products", "AdministrativeUnit"))
    ProductGroup = apps.get_model("products", "ProductGroup")
    for code, name, order in GROUPS:
        ProductGroup.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    DocumentType = apps.get_model("products", "DocumentType")
    for code, name, scope, has_expiry, order in DOCUMENT_TYPES:
        DocumentType.objects.get_or_create(
            code=code, defaults={"name": name, "scope": scope, "has_expiry": has_expiry, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("products", "0002_search_extensions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
